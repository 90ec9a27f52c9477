namespace DocExtract.Persistence.Results;

/// <summary>Why a result needs a person: the kind, the value concerned (a JSON Pointer) where there is one, and a sentence.</summary>
public sealed record ReviewReason(string Kind, string? Pointer, string Detail)
{
    public const string LowConfidence = "low-confidence";
    public const string Unsupported = "unsupported";
    public const string UnknownType = "unknown-type";
    public const string FailedRule = "failed-rule";
    public const string Contradicted = "contradicted";
}

/// <summary>The verdict stored with a result: <see cref="Needed"/> makes the document needs_review instead of succeeded.</summary>
public sealed record Review(bool Needed, IReadOnlyList<ReviewReason> Reasons)
{
    public static Review None { get; } = new(false, []);
}
