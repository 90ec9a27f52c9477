using System.Diagnostics;

namespace DocExtract.Llama;

/// <summary>
/// Continuous batching over one context (issue #5): up to <see cref="BatchSchedulerOptions.Slots"/> prompts are
/// decoded side by side, every step advancing each generating sequence by one token in a single llama_decode, each
/// under its own grammar sampler. A newcomer takes a slot as soon as one frees, and its prompt is fed in chunks
/// beside the generating tokens so they keep moving. A shared prefix (a document type's instructions) is evaluated
/// once into a cache sequence and copied into each new slot (llama_memory_seq_cp). One thread owns the context;
/// after each decode the sequences' next tokens are chosen side by side on the thread pool (issue #11), each by its
/// own sampler over its own row of logits.
/// </summary>
public sealed unsafe class BatchScheduler : IDisposable
{
    private readonly LlamaContext _context;
    private readonly BatchSchedulerOptions _options;
    private readonly LlamaBatch _batch;
    private readonly Lock _lock = new();
    private readonly LinkedList<Job> _pending = new();
    private readonly Job?[] _slots;
    private readonly PrefixCache _prefixes;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Thread _thread;

    // The context's thread counts as configured; small generation steps borrow the first for batches too.
    private readonly int _threads;
    private readonly int _threadsBatch;
    private readonly ParallelOptions _sampling;
    private readonly Sampling[] _sampled;
    private long _steps;
    private long _stepsOnGenerationThreads;
    private long _decodeTicks;
    private long _samplingTicks;

    public BatchScheduler(LlamaContext context, BatchSchedulerOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        options.Validate(context);
        _context = context;
        _options = options;
        _batch = context.CreateBatch();
        (_threads, _threadsBatch) = (context.Threads, context.ThreadsBatch);
        _slots = new Job?[options.Slots];
        _sampled = new Sampling[options.Slots];
        _sampling = new ParallelOptions { MaxDegreeOfParallelism = options.SamplingThreads };
        _prefixes = new PrefixCache(context, firstSequence: options.Slots, options.PrefixCacheSize);
        _thread = new Thread(Run) { IsBackground = true, Name = "llama decode loop" };
        _thread.Start();
    }

    public int Slots => _options.Slots;

    public PrefixCacheStatistics PrefixStatistics => _prefixes.Statistics;

    public StepStatistics StepStatistics => new(
        Interlocked.Read(ref _steps),
        Interlocked.Read(ref _stepsOnGenerationThreads),
        Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _decodeTicks)),
        Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _samplingTicks)));

    /// <summary>
    /// Queues <paramref name="prompt"/> and completes with its generation once done. <see cref="GenerationOptions.SequenceId"/>
    /// is ignored: the scheduler picks the slot. Cancelling frees the slot and its KV cells without disturbing the others.
    /// </summary>
    public Task<GenerationResult> SubmitAsync(ScheduledPrompt prompt, GenerationOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        ArgumentNullException.ThrowIfNull(options);
        ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
        if (prompt.Length == 0)
        {
            throw new ArgumentException("the prompt has no tokens", nameof(prompt));
        }

        foreach (var token in prompt.Prefix.Concat(prompt.Rest))
        {
            _context.Model.CheckToken(token);
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxTokens, 1, nameof(options.MaxTokens));
        if (prompt.Length + options.MaxTokens > _context.ContextSizePerSequence)
        {
            throw new ArgumentException(
                $"the prompt ({prompt.Length} tokens) plus up to {options.MaxTokens} generated tokens do not fit " +
                $"the {_context.ContextSizePerSequence} tokens of context a sequence has here", nameof(prompt));
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<GenerationResult>(cancellationToken);
        }

        var job = new Job(prompt, options, cancellationToken);
        lock (_lock)
        {
            // Checked under the lock the decode loop drains the queue under when it stops: a job is either drained
            // (and failed) or refused here, never left waiting forever.
            ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
            job.Registration = cancellationToken.UnsafeRegister(static state => ((BatchScheduler)state!).Wake(), this);
            _pending.AddLast(job);
        }

        Wake();
        return job.Completion.Task;
    }

    public void Dispose()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        _stopping.Cancel();
        _wake.Release();
        _thread.Join();
        try
        {
            // The context outlives the scheduler: hand it back as it came.
            UseThreadsBatch(_threadsBatch);
        }
        catch (ObjectDisposedException)
        {
            // The context was disposed first: there is nothing left to hand back.
        }

        _batch.Dispose();
        _stopping.Dispose();
        _wake.Dispose();
    }

    private void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (ObjectDisposedException)
        {
            // A cancellation after Dispose: nothing is left to wake.
        }
    }

    private void Run()
    {
        while (!_stopping.IsCancellationRequested)
        {
            DropCancelled();
            Admit();
            if (_slots.All(job => job is null))
            {
                _wake.Wait();
                continue;
            }

            try
            {
                Step();
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception error)
            {
                // A failed decode leaves the batch's cells in doubt: fail the documents in it, forget the prefixes.
                for (var slot = 0; slot < _slots.Length; slot++)
                {
                    Finish(slot, job => job.Completion.TrySetException(error));
                }

                _prefixes.Clear();
            }
        }

        var stopped = new ObjectDisposedException(nameof(BatchScheduler), "the scheduler was stopped");
        for (var slot = 0; slot < _slots.Length; slot++)
        {
            Finish(slot, job => job.Completion.TrySetException(stopped));
        }

        lock (_lock)
        {
            foreach (var job in _pending)
            {
                job.Dispose();
                job.Completion.TrySetException(stopped);
            }

            _pending.Clear();
        }
    }

    private void DropCancelled()
    {
        for (var slot = 0; slot < _slots.Length; slot++)
        {
            if (_slots[slot] is { Cancellation.IsCancellationRequested: true })
            {
                Finish(slot, job => job.Completion.TrySetCanceled(job.Cancellation));
            }
        }

        lock (_lock)
        {
            for (var node = _pending.First; node is not null;)
            {
                var next = node.Next;
                if (node.Value.Cancellation.IsCancellationRequested)
                {
                    _pending.Remove(node);
                    node.Value.Dispose();
                    node.Value.Completion.TrySetCanceled(node.Value.Cancellation);
                }

                node = next;
            }
        }
    }

    private void Admit()
    {
        for (var slot = 0; slot < _slots.Length; slot++)
        {
            if (_slots[slot] is not null)
            {
                continue;
            }

            Job? job;
            lock (_lock)
            {
                job = _pending.First?.Value;
                if (job is null)
                {
                    return;
                }

                _pending.RemoveFirst();
            }

            try
            {
                Start(job, slot);
                _slots[slot] = job;
            }
            catch (Exception error)
            {
                _context.ClearSequence(slot);
                job.Dispose();
                job.Completion.TrySetException(error);
            }
        }
    }

    /// <summary>Gives <paramref name="job"/> its slot: its sampler, and the cached prefix when there is one.</summary>
    private void Start(Job job, int slot)
    {
        job.Queued = Stopwatch.GetElapsedTime(job.Submitted);
        job.Sampler = TokenSampler.Create(_context.Model, job.Options.Sampler, job.Options.Grammar);
        _context.ClearSequence(slot);
        var prompt = job.Prompt;
        job.PromptStarted = Stopwatch.GetTimestamp();
        if (prompt.PrefixKey is not null && prompt.Prefix.Length > 0 && _options.PrefixCacheSize > 0)
        {
            // A prefix is prompt work: on the batch count, whatever the last generation step left set.
            UseThreadsBatch(_threadsBatch);
            var (sequence, hit) = _prefixes.Get(prompt.PrefixKey, prompt.Prefix, _stopping.Token);
            _context.CopySequence(sequence, slot);
            job.Reused = hit ? prompt.Prefix.Length : 0;
            job.Feed = prompt.Rest;
            job.Position = prompt.Prefix.Length;
        }
        else
        {
            job.Feed = [.. prompt.Prefix, .. prompt.Rest];
        }

        if (job.Feed.Length == 0)
        {
            // The whole prompt was the prefix: re-evaluate its last token in this slot for the first logits.
            job.Position--;
            job.Feed = [prompt.Prefix[^1]];
            _context.ClearSequenceFrom(slot, job.Position);
        }
    }

    /// <summary>One llama_decode: a token for each generating slot, then prompt chunks of the newcomers.</summary>
    private void Step()
    {
        _batch.Clear();
        Span<int> logitsIndex = stackalloc int[_slots.Length];
        logitsIndex.Fill(-1);
        for (var slot = 0; slot < _slots.Length; slot++)
        {
            if (_slots[slot] is { Feed: null } job)
            {
                logitsIndex[slot] = _batch.Add(job.NextToken, job.Position++, slot, outputLogits: true);
            }
        }

        var generated = _batch.Count;
        var budget = Math.Min(_options.PromptChunk, _batch.Capacity - _batch.Count);
        for (var slot = 0; slot < _slots.Length && budget > 0; slot++)
        {
            if (_slots[slot] is not { Feed: { } feed } job)
            {
                continue;
            }

            var take = Math.Min(budget, feed.Length - job.Fed);
            for (var i = 0; i < take; i++)
            {
                var last = job.Fed + i == feed.Length - 1;
                var index = _batch.Add(feed[job.Fed + i], job.Position++, slot, outputLogits: last);
                if (last)
                {
                    logitsIndex[slot] = index;
                }
            }

            job.Fed += take;
            budget -= take;
        }

        SetThreadsFor(generationOnly: _batch.Count == generated);
        var started = Stopwatch.GetTimestamp();
        _context.Decode(_batch, _stopping.Token);
        var decoded = Stopwatch.GetTimestamp();
        Interlocked.Add(ref _decodeTicks, decoded - started);
        SampleAll(logitsIndex);
        Interlocked.Add(ref _samplingTicks, Stopwatch.GetTimestamp() - decoded);
        for (var slot = 0; slot < _slots.Length; slot++)
        {
            if (logitsIndex[slot] < 0 || _slots[slot] is not { } job)
            {
                continue;
            }

            var (sampled, error) = (_sampled[slot].Token, _sampled[slot].Error);
            _sampled[slot] = default;
            if (error is not null)
            {
                Finish(slot, failed => failed.Completion.TrySetException(error));
                continue;
            }

            try
            {
                Advance(slot, job, sampled);
            }
            catch (Exception failure)
            {
                Finish(slot, failed => failed.Completion.TrySetException(failure));
            }
        }
    }

    /// <summary>
    /// Chooses each sequence's next token. The rows of logits are located here, on the decode thread
    /// (llama_get_logits_ith synchronizes the context, which is not thread-safe), and read in place; the samplers,
    /// one per job with its own scratch space, then run side by side.
    /// </summary>
    private void SampleAll(ReadOnlySpan<int> logitsIndex)
    {
        var vocabulary = _context.Model.VocabularySize;
        var count = 0;
        for (var slot = 0; slot < _slots.Length; slot++)
        {
            if (logitsIndex[slot] >= 0 && _slots[slot] is not null)
            {
                fixed (float* row = _context.GetLogits(logitsIndex[slot]))
                {
                    // The row lives in llama.cpp's output buffer, unmoved until the next decode.
                    _sampled[slot] = new Sampling { Row = (nint)row };
                }

                count++;
            }
        }

        if (count <= 1 || _sampling.MaxDegreeOfParallelism == 1)
        {
            for (var slot = 0; slot < _slots.Length; slot++)
            {
                Sample(slot, vocabulary);
            }
        }
        else
        {
            Parallel.For(0, _slots.Length, _sampling, slot => Sample(slot, vocabulary));
        }
    }

    private void Sample(int slot, int vocabulary)
    {
        ref var sampling = ref _sampled[slot];
        if (sampling.Row == 0 || _slots[slot] is not { } job)
        {
            return;
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            sampling.Token = job.Sampler!.Next(new ReadOnlySpan<float>((float*)sampling.Row, vocabulary), job.Options.Alternatives);
            job.SamplingTicks += Stopwatch.GetTimestamp() - started;
        }
        catch (Exception error)
        {
            sampling.Error = error;
        }
    }

    private void UseThreadsBatch(int threadsBatch)
    {
        if (_context.ThreadsBatch != threadsBatch)
        {
            _context.SetThreads(_threads, threadsBatch);
        }
    }

    private void SetThreadsFor(bool generationOnly)
    {
        var small = generationOnly && _batch.Count > 1 && _batch.Count <= _options.SmallStepTokens;
        UseThreadsBatch(small ? _threads : _threadsBatch);

        Interlocked.Increment(ref _steps);
        if (small || _batch.Count == 1)
        {
            Interlocked.Increment(ref _stepsOnGenerationThreads);
        }
    }

    private void Advance(int slot, Job job, SampledToken sampled)
    {
        if (job.Feed is not null)
        {
            job.Feed = null;
            job.PromptTime = Stopwatch.GetElapsedTime(job.PromptStarted);
            job.GenerationStarted = Stopwatch.GetTimestamp();
        }

        var (token, logProbability, alternatives, fullVocabulary) = sampled;
        job.FullVocabularySteps += fullVocabulary ? 1 : 0;
        var stop = (StopReason?)null;
        if (_context.Model.IsEndOfGeneration(token))
        {
            stop = StopReason.EndOfGeneration;
        }
        else
        {
            job.Tokens.Add(token);
            job.LogProbabilities.Add(logProbability);
            if (alternatives is not null)
            {
                job.Alternatives.Add(alternatives);
            }
            job.Text.AddRange(_context.Model.TokenToPieceUtf8(token));
            job.NextToken = token;
            if (job.Tokens.Count == job.Options.MaxTokens)
            {
                stop = StopReason.MaxTokens;
            }
        }

        if (stop is { } reason)
        {
            var result = new GenerationResult(
                System.Text.Encoding.UTF8.GetString([.. job.Text]),
                job.Tokens,
                job.LogProbabilities,
                reason,
                job.Prompt.Length,
                job.Tokens.Count,
                job.PromptTime,
                Stopwatch.GetElapsedTime(job.GenerationStarted))
            {
                PromptTokensReused = job.Reused,
                Alternatives = job.Options.Alternatives > 0 ? job.Alternatives : null,
                QueueTime = job.Queued,
                FullVocabularySteps = job.FullVocabularySteps,
                SamplingTime = Stopwatch.GetElapsedTime(0, job.SamplingTicks),
            };
            Finish(slot, done => done.Completion.TrySetResult(result));
        }
    }

    private void Finish(int slot, Action<Job> complete)
    {
        if (_slots[slot] is not { } job)
        {
            return;
        }

        _slots[slot] = null;
        _context.ClearSequence(slot);
        job.Dispose();
        complete(job);
    }

    /// <summary>One slot's share of a step: where its logits are, then what its sampler chose or why it failed.</summary>
    private struct Sampling
    {
        public nint Row;
        public SampledToken Token;
        public Exception? Error;
    }

    private sealed class Job(ScheduledPrompt prompt, GenerationOptions options, CancellationToken cancellation) : IDisposable
    {
        public ScheduledPrompt Prompt { get; } = prompt;

        public GenerationOptions Options { get; } = options;

        public CancellationToken Cancellation { get; } = cancellation;

        public CancellationTokenRegistration Registration { get; set; }

        public TaskCompletionSource<GenerationResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public long Submitted { get; } = Stopwatch.GetTimestamp();

        public TimeSpan Queued { get; set; }

        public TokenSampler? Sampler { get; set; }

        /// <summary>Prompt tokens still to evaluate in this slot; null once the prompt is done and generation runs.</summary>
        public int[]? Feed { get; set; }

        public int Fed { get; set; }

        public int Position { get; set; }

        public int Reused { get; set; }

        public int NextToken { get; set; }

        public int FullVocabularySteps { get; set; }

        public long SamplingTicks { get; set; }

        public long PromptStarted { get; set; }

        public TimeSpan PromptTime { get; set; }

        public long GenerationStarted { get; set; }

        public List<int> Tokens { get; } = [];

        public List<float> LogProbabilities { get; } = [];

        public List<TokenAlternative[]> Alternatives { get; } = [];

        public List<byte> Text { get; } = [];

        public void Dispose()
        {
            Registration.Dispose();
            Sampler?.Dispose();
            Sampler = null;
        }
    }
}
