namespace DocExtract.Llama;

/// <summary>
/// Shared prompt prefixes held in their own sequences of the context, least recently used evicted first. A prefix
/// is found by its key and must match token for token (a schema edited since gives another prefix under the same
/// key, which replaces the old one). Used by the <see cref="BatchScheduler"/> thread only.
/// </summary>
internal sealed class PrefixCache(LlamaContext context, int firstSequence, int capacity)
{
    private readonly List<Entry> _entries = [];
    private long _clock;
    private long _hits;
    private long _misses;
    private long _evictions;
    private long _tokensSaved;

    public PrefixCacheStatistics Statistics =>
        new(Interlocked.Read(ref _hits), Interlocked.Read(ref _misses), Interlocked.Read(ref _evictions), Interlocked.Read(ref _tokensSaved));

    /// <summary>The sequence holding <paramref name="tokens"/>, evaluating them first on a miss.</summary>
    public (int Sequence, bool Hit) Get(string key, int[] tokens, CancellationToken cancellationToken)
    {
        var entry = _entries.Find(e => e.Key == key);
        if (entry is not null && entry.Tokens.AsSpan().SequenceEqual(tokens))
        {
            entry.LastUsed = ++_clock;
            Interlocked.Increment(ref _hits);
            Interlocked.Add(ref _tokensSaved, tokens.Length);
            return (entry.Sequence, true);
        }

        Interlocked.Increment(ref _misses);
        if (entry is null)
        {
            var sequence = Enumerable.Range(firstSequence, capacity).FirstOrDefault(s => _entries.TrueForAll(e => e.Sequence != s), -1);
            if (sequence < 0)
            {
                var oldest = _entries.MinBy(e => e.LastUsed)!;
                _entries.Remove(oldest);
                Interlocked.Increment(ref _evictions);
                sequence = oldest.Sequence;
            }

            entry = new Entry(key, sequence);
            _entries.Add(entry);
        }

        context.ClearSequence(entry.Sequence);
        entry.Tokens = [];
        Evaluate(tokens, entry.Sequence, cancellationToken);
        entry.Tokens = tokens;
        entry.LastUsed = ++_clock;
        return (entry.Sequence, false);
    }

    /// <summary>Forgets every prefix and frees their cells.</summary>
    public void Clear()
    {
        foreach (var entry in _entries)
        {
            context.ClearSequence(entry.Sequence);
        }

        _entries.Clear();
    }

    private void Evaluate(int[] tokens, int sequence, CancellationToken cancellationToken)
    {
        using var batch = context.CreateBatch();
        for (var start = 0; start < tokens.Length; start += batch.Capacity)
        {
            batch.Clear();
            var end = Math.Min(tokens.Length, start + batch.Capacity);
            for (var i = start; i < end; i++)
            {
                batch.Add(tokens[i], i, sequence, outputLogits: false);
            }

            context.Decode(batch, cancellationToken);
        }
    }

    private sealed class Entry(string key, int sequence)
    {
        public string Key { get; } = key;

        public int Sequence { get; } = sequence;

        public int[] Tokens { get; set; } = [];

        public long LastUsed { get; set; }
    }
}
