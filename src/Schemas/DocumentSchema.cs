using System.Text.Json;
using DocExtract.Schemas.Rules;

namespace DocExtract.Schemas;

/// <summary>
/// One document type as loaded from its schema file, with everything derived from it checked at load time: a type
/// whose grammar or validator cannot be built never gets this far.
/// </summary>
/// <param name="Name">The file name without ".json"; see <see cref="DocumentTypeName"/>.</param>
/// <param name="Version">Lowercase hex SHA-256 of the file's bytes: any edit, even of whitespace, is a new version,
/// so a stored result always names the exact text it was extracted and validated with.</param>
/// <param name="Json">The file's text.</param>
/// <param name="Root">The parsed schema, detached from any document, safe to keep.</param>
public sealed record DocumentSchema(
    string Name,
    string Version,
    string Title,
    string Description,
    string Json,
    JsonElement Root,
    GbnfGrammar Grammar,
    SchemaValidator Validator)
{
    /// <summary>The checks across fields declared under <c>x-docextract-rules</c> (issue #6), already checked
    /// against the schema's own fields.</summary>
    public IReadOnlyList<DocumentRule> Rules { get; init; } = [];
}
