using DocExtract.Llama.Interop;

namespace DocExtract.Llama;

/// <summary>
/// The grammars one model has parsed, so that each distinct grammar is parsed once per process rather than once
/// per document (issue #16). A document's sampler is a copy of the parsed one (llama_sampler_clone copies the rules
/// and the start state), so documents of one type share no grammar state. llama.cpp's parser gives its reasons
/// only on stderr; parsing once also means stderr is captured once per grammar in the life of a worker, not around
/// every document. A grammar llama.cpp refused is kept too, with its reason, so a broken type does not parse (and
/// capture) again for each of its documents.
/// </summary>
/// <remarks>
/// Why not capture stderr once for the whole process instead: pointing descriptor 2 at a pipe for good, with a
/// reader thread, was tried and left out. Whatever the runtime or llama.cpp writes while the process dies (an
/// assertion, a stack overflow, a fatal error) would then sit in a pipe that dies with the process, unread. With
/// the parse kept here, descriptor 2 is the real stderr except for the milliseconds of each new grammar's parse.
/// </remarks>
internal sealed class GrammarCache : IDisposable
{
    /// <summary>
    /// How many grammars are kept, the least recently used dropped first. A deployment has a few document types,
    /// each one grammar (a cascade tier, a retry and the review's check use the same one); an entry holds the text
    /// and llama.cpp's parsed rules, tens of kilobytes for a large schema.
    /// </summary>
    public const int Capacity = 64;

    /// <summary>
    /// How many characters of grammar text are kept at most, however few grammars that is (a schema is up to
    /// Api:MaxSchemaBytes, and its grammar and parsed rules grow with it): 16 Mi characters, tens of megabytes with the
    /// rules. The grammar just used is always kept.
    /// </summary>
    public const long MaxCharacters = 16L * 1024 * 1024;

    private readonly LlamaModel _model;
    private readonly int _capacity;
    private readonly long _maxCharacters;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LinkedListNode<Entry>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _recent = new();
    private long _parses;
    private long _characters;

    public GrammarCache(LlamaModel model, int capacity = Capacity, long maxCharacters = MaxCharacters)
    {
        _model = model;
        _capacity = capacity;
        _maxCharacters = maxCharacters;
    }

    /// <summary>How many grammars were parsed since the model loaded (the rest were copies).</summary>
    public long Parses => Interlocked.Read(ref _parses);

    /// <summary>A sampler in the grammar's start state, the caller's to dispose; throws with llama.cpp's reason when it is invalid.</summary>
    public SafeLlamaSamplerHandle Create(string gbnf)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(gbnf, out var node))
            {
                node = _recent.AddFirst(Parse(gbnf));
                _entries.Add(gbnf, node);
                _characters += gbnf.Length;
                while (_entries.Count > _capacity || (_characters > _maxCharacters && _entries.Count > 1))
                {
                    var oldest = _recent.Last!;
                    _recent.RemoveLast();
                    _entries.Remove(oldest.Value.Grammar);
                    _characters -= oldest.Value.Grammar.Length;
                    oldest.Value.Parsed?.Dispose();
                }
            }
            else if (node != _recent.First)
            {
                _recent.Remove(node);
                _recent.AddFirst(node);
            }

            var entry = node.Value;
            return entry.Parsed is null
                ? throw new LlamaGrammarException(entry.ParseError!)
                : NativeMethods.CloneSampler(entry.Parsed);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var entry in _recent)
            {
                entry.Parsed?.Dispose();
            }

            _recent.Clear();
            _entries.Clear();
            _characters = 0;
        }
    }

    private Entry Parse(string gbnf)
    {
        Interlocked.Increment(ref _parses);
        try
        {
            return new Entry(gbnf, LlamaGrammar.Parse(_model, gbnf), null);
        }
        catch (LlamaGrammarException e)
        {
            return new Entry(gbnf, null, e.ParseError);
        }
    }

    private sealed record Entry(string Grammar, SafeLlamaSamplerHandle? Parsed, string? ParseError);
}
