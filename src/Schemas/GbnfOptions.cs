namespace DocExtract.Schemas;

/// <summary>
/// The bounds a grammar puts on what the schema leaves open, so that a model cannot ramble forever inside one string,
/// one array or the whitespace between two tokens.
/// </summary>
public sealed record GbnfOptions
{
    /// <summary>
    /// The largest repetition count a grammar uses. llama.cpp expands <c>x{m,n}</c> into n rules and, above its
    /// MAX_REPETITION_THRESHOLD of 2000 (src/llama-grammar.cpp), quietly drops the upper bound; larger schema bounds
    /// are therefore lowered to this, which keeps every produced document valid.
    /// </summary>
    public const int MaxRepetition = 2000;

    public static GbnfOptions Default { get; } = new();

    /// <summary>Length cap for strings without maxLength: a page of text, longer than any single field we extract.</summary>
    public int DefaultMaxStringLength { get; init; } = 512;

    /// <summary>Item cap for arrays without maxItems.</summary>
    public int DefaultMaxItems { get; init; } = 100;

    /// <summary>
    /// Spaces or tabs allowed after a newline between two tokens: pretty-printed JSON eight levels deep at two spaces
    /// each. Between tokens the grammar allows nothing, one space, or one newline plus this indentation.
    /// </summary>
    public int MaxIndent { get; init; } = 16;

    /// <summary>Digits before the decimal point: 15 is the most a double holds exactly.</summary>
    public int MaxIntegerDigits { get; init; } = 15;

    /// <summary>Digits after the decimal point: enough for unit prices and exchange rates.</summary>
    public int MaxFractionDigits { get; init; } = 6;

    internal void EnsureValid()
    {
        Check(DefaultMaxStringLength, 0, nameof(DefaultMaxStringLength));
        Check(DefaultMaxItems, 0, nameof(DefaultMaxItems));
        Check(MaxIndent, 0, nameof(MaxIndent));
        Check(MaxIntegerDigits, 1, nameof(MaxIntegerDigits));
        Check(MaxFractionDigits, 0, nameof(MaxFractionDigits));
    }

    private static void Check(int value, int minimum, string name)
    {
        if (value < minimum || value > MaxRepetition)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be between {minimum} and {MaxRepetition}.");
        }
    }
}
