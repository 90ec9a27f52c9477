using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using NJsonSchema.Validation;

namespace DocExtract.Schemas;

/// <summary>
/// Checks a JSON document against the full schema after generation: the grammar bounds the shape, this checks
/// everything else the schema says. Uses NJsonSchema 10.7.2 behind a bridge for draft 2020-12 (see NJsonSchemaBridge).
/// One instance may serve concurrent callers: validation only reads the schema.
/// </summary>
public sealed class SchemaValidator
{
    private readonly JsonSchema _schema;

    private SchemaValidator(JsonSchema schema) => _schema = schema;

    /// <exception cref="SchemaNotSupportedException">The schema uses a keyword NJsonSchema would not check.</exception>
    /// <exception cref="System.Text.Json.JsonException">The schema is not JSON, or repeats a property name.</exception>
    public static async Task<SchemaValidator> CreateAsync(string schemaJson, CancellationToken cancellationToken = default)
    {
        var schema = await JsonSchema.FromJsonAsync(NJsonSchemaBridge.Rewrite(schemaJson), cancellationToken).ConfigureAwait(false);
        return new SchemaValidator(schema);
    }

    /// <summary>
    /// Returns one line per error, path then kind (<c>#/line_items[0].amount: number expected</c>); none when valid.
    /// </summary>
    public IReadOnlyList<string> Validate(string json)
    {
        // Strict syntax first: Newtonsoft, which NJsonSchema reads through, also takes single quotes, comments and
        // bare names, none of which a consumer of the result should have to cope with.
        try
        {
            using var strict = System.Text.Json.JsonDocument.Parse(json, new System.Text.Json.JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (System.Text.Json.JsonException error)
        {
            return [$"not valid JSON: {error.Message}"];
        }

        // Dates stay strings, or a "format": "date" check would see a parsed DateTime instead of the text.
        using var reader = new JsonTextReader(new StringReader(json)) { DateParseHandling = DateParseHandling.None };
        return _schema.Validate(JToken.ReadFrom(reader)).SelectMany(error => Describe(error, parentPath: null)).ToList();
    }

    private static IEnumerable<string> Describe(ValidationError error, string? parentPath)
    {
        IEnumerable<ValidationError> causes = error switch
        {
            ChildSchemaValidationError child => child.Errors.SelectMany(pair => pair.Value),
            MultiTypeValidationError multi => multi.Errors.SelectMany(pair => pair.Value),
            _ => [],
        };

        // "array item not valid" only wraps the errors inside the item, which carry their own paths.
        if (error.Kind == ValidationErrorKind.ArrayItemNotValid)
        {
            return causes.SelectMany(cause => Describe(cause, parentPath));
        }

        var text = error.Path == parentPath ? Humanize(error.Kind) : $"{error.Path}: {Humanize(error.Kind)}";
        var details = causes.SelectMany(cause => Describe(cause, error.Path)).Distinct().ToList();
        return [details.Count == 0 ? text : $"{text} ({string.Join("; ", details)})"];
    }

    // NotInEnumeration -> "not in enumeration".
    private static string Humanize(ValidationErrorKind kind)
    {
        var name = kind.ToString();
        var text = new StringBuilder(name.Length + 8);
        foreach (var c in name)
        {
            if (char.IsUpper(c) && text.Length > 0)
            {
                text.Append(' ');
            }

            text.Append(char.ToLowerInvariant(c));
        }

        return text.ToString();
    }
}
