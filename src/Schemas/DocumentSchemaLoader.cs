using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DocExtract.Schemas.Rules;

namespace DocExtract.Schemas;

/// <summary>
/// Turns a schema's bytes into a <see cref="DocumentSchema"/>, trying everything a later step would trip over (the
/// name, the JSON, the grammar, the validator), so a bad schema is reported when it is added, not when the first
/// document of its type arrives. Shared by the schema folder and by schemas stored through the API (#6), so both
/// accept the same schemas and compute the same version.
/// </summary>
public static class DocumentSchemaLoader
{
    public const string Draft202012 = "https://json-schema.org/draft/2020-12/schema";

    private static readonly UTF8Encoding _strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly JsonDocumentOptions _strictJson = new() { AllowDuplicateProperties = false };

    /// <summary>Lowercase hex SHA-256 of the schema's bytes: the version of a document type.</summary>
    public static string VersionOf(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <exception cref="InvalidSchemaException">Bad name, not UTF-8, not JSON, not an object, no title or description,
    /// another draft, a NUL character, or NJsonSchema cannot load it.</exception>
    /// <exception cref="SchemaNotSupportedException">A keyword the grammar or the validator cannot honour.</exception>
    public static Task<DocumentSchema> LoadAsync(
        string name, byte[] bytes, GbnfOptions grammarOptions, CancellationToken cancellationToken = default) =>
        LoadAsync(name, bytes, grammarOptions, limits: null, cancellationToken);

    /// <summary>
    /// As above, and held to <paramref name="limits"/> (a schema sent through the API, #15): the counts are checked on
    /// the parsed JSON before the grammar, the validator or the prompt is built, the sizes of those as they are built.
    /// </summary>
    /// <exception cref="SchemaLimitException">The first limit the schema is over.</exception>
    public static async Task<DocumentSchema> LoadAsync(
        string name, byte[] bytes, GbnfOptions grammarOptions, SchemaLimits? limits, CancellationToken cancellationToken)
    {
        if (DocumentTypeName.Problem(name) is { } badName)
        {
            throw new InvalidSchemaException(badName);
        }

        var version = VersionOf(bytes);
        var json = Decode(bytes);
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(json, _strictJson);
            root = document.RootElement.Clone();
        }
        catch (JsonException error)
        {
            throw new InvalidSchemaException($"is not valid JSON: {error.Message}");
        }

        if (limits is not null)
        {
            SchemaLimitCheck.Structure(root, limits);
        }

        // JSON can hold U+0000 only as the escape "\u0000", so a text without one needs no walk.
        if (json.Contains("\\u0000", StringComparison.Ordinal))
        {
            RefuseNul(root, JsonPointer.Root);
        }

        var (title, description) = CheckRoot(root);
        var grammar = GbnfGrammar.FromJsonSchema(root, grammarOptions);
        if (limits is not null)
        {
            SchemaLimitCheck.Grammar(grammar, limits);
            SchemaLimitCheck.Instructions(PromptFields.Render(root), limits);
        }

        var rules = RuleSetReader.Read(root);
        SchemaValidator validator;
        try
        {
            validator = await SchemaValidator.CreateAsync(json, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is not (SchemaNotSupportedException or OperationCanceledException))
        {
            throw new InvalidSchemaException($"NJsonSchema cannot load it: {error.Message}");
        }

        return new DocumentSchema(name, version, title, description, json, root, grammar, validator) { Rules = rules };
    }

    // PostgreSQL stores no U+0000 in text or jsonb: a const or enum value holding one made every result of the type
    // fail to store, and a name or description holding one would reach the prompt and the results the same way (#15).
    private static void RefuseNul(JsonElement node, string pointer)
    {
        switch (node.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var member in node.EnumerateObject())
                {
                    var at = JsonPointer.Append(pointer, member.Name);
                    if (member.Name.Contains('\0', StringComparison.Ordinal))
                    {
                        throw new InvalidSchemaException(NulAt($"a property name at {pointer}"));
                    }

                    RefuseNul(member.Value, at);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in node.EnumerateArray())
                {
                    RefuseNul(item, JsonPointer.Append(pointer, index++));
                }

                break;
            case JsonValueKind.String when node.GetString()!.Contains('\0', StringComparison.Ordinal):
                throw new InvalidSchemaException(NulAt(pointer));
        }
    }

    private static string NulAt(string where) =>
        $"contains U+0000 (a NUL character) at {where}, which PostgreSQL cannot store in a result; remove it";

    private static string Decode(byte[] bytes)
    {
        var body = bytes.AsSpan();
        if (body.StartsWith(_strictUtf8.Preamble))
        {
            body = body[_strictUtf8.Preamble.Length..];
        }

        try
        {
            return _strictUtf8.GetString(body);
        }
        catch (DecoderFallbackException)
        {
            throw new InvalidSchemaException("is not UTF-8 text");
        }
    }

    // A document type's schema describes one JSON object with a title and a description: the extraction result is an
    // object, and the prompt opens with the two texts.
    private static (string Title, string Description) CheckRoot(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidSchemaException("the schema must be a JSON object");
        }

        if (root.TryGetProperty("$schema", out var dialect)
            && !(dialect.ValueKind == JsonValueKind.String && dialect.GetString() == Draft202012))
        {
            throw new InvalidSchemaException($"declares \"$schema\": {dialect.GetRawText()}; only draft 2020-12 ({Draft202012}) is supported");
        }

        if (!root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "object")
        {
            throw new InvalidSchemaException("the root must be \"type\": \"object\", as an extraction result is one JSON object");
        }

        return (RequiredText(root, "title"), RequiredText(root, "description"));
    }

    private static string RequiredText(JsonElement root, string keyword) =>
        root.TryGetProperty(keyword, out var text) && text.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(text.GetString())
            ? text.GetString()!
            : throw new InvalidSchemaException($"has no \"{keyword}\": the prompt needs it to tell the model what the document is");
}

/// <summary>A schema that is not a usable document type, for a reason other than an unsupported keyword.</summary>
public sealed class InvalidSchemaException(string reason) : Exception(reason);
