using System.Text.RegularExpressions;

namespace DocExtract.Schemas;

/// <summary>
/// The rules for a document type's name, which is its schema's file name: lowercase ASCII letters, digits and inner
/// hyphens, at most 64 characters, so that it reads the same in a URL, a folder, a log line and a database column.
/// </summary>
public static partial class DocumentTypeName
{
    /// <summary>Reserved for "let the service decide the type", so no schema may be called that.</summary>
    public const string Auto = "auto";

    /// <summary>Reserved for "the classifier was not sure enough of any type" (#6), so no schema may be called that.</summary>
    public const string Unknown = "unknown";

    public const int MaxLength = 64;

    public static bool IsValid(string name) => Problem(name) is null;

    /// <summary>Why a name is not a valid document type name, or null when it is.</summary>
    public static string? Problem(string name) => name switch
    {
        Auto => $"'{Auto}' is reserved for automatic type detection",
        Unknown => $"'{Unknown}' is reserved for documents whose type could not be determined",
        { Length: 0 } => "the name is empty",
        { Length: > MaxLength } => $"the name is longer than {MaxLength} characters",
        _ when !Pattern().IsMatch(name) => $"'{name}' is not a valid name: use lowercase letters, digits and inner hyphens",
        _ => null,
    };

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex Pattern();
}
