using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DocExtract.Schemas.Rules;

namespace DocExtract.Schemas;

// Turns one schema file into a DocumentSchema, or into the reason it cannot be one. Everything a later step would
// trip over (the name, the JSON, the grammar, the validator) is tried here, so a bad file is reported when it is
// dropped into the folder, not when the first document of its type arrives.
internal static class SchemaFileLoader
{
    public const string Draft202012 = "https://json-schema.org/draft/2020-12/schema";

    private static readonly UTF8Encoding _strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly JsonDocumentOptions _strictJson = new() { AllowDuplicateProperties = false };

    public static async Task<(DocumentSchema? Schema, SchemaFileError? Error)> LoadAsync(
        string path, GbnfOptions grammarOptions, CancellationToken cancellationToken)
    {
        var fileName = Path.GetFileName(path);
        try
        {
            return (await LoadCheckedAsync(path, grammarOptions, cancellationToken).ConfigureAwait(false), null);
        }
        catch (InvalidSchemaFileException problem)
        {
            return (null, new SchemaFileError(fileName, problem.Message));
        }
        catch (SchemaNotSupportedException unsupported)
        {
            return (null, new SchemaFileError(fileName, unsupported.Message));
        }
        catch (Exception unreadable) when (unreadable is IOException or UnauthorizedAccessException)
        {
            return (null, new SchemaFileError(fileName, $"cannot be read: {unreadable.Message}"));
        }
        catch (Exception unexpected) when (unexpected is not OperationCanceledException)
        {
            // One file is a plug-in: whatever goes wrong with it must not take the other types down.
            return (null, new SchemaFileError(fileName, $"cannot be loaded: {unexpected.GetType().Name}: {unexpected.Message}"));
        }
    }

    private static async Task<DocumentSchema> LoadCheckedAsync(string path, GbnfOptions grammarOptions, CancellationToken cancellationToken)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        if (DocumentTypeName.Problem(name) is { } badName)
        {
            throw new InvalidSchemaFileException(badName);
        }

        var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        var version = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var json = Decode(bytes);
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(json, _strictJson);
            root = document.RootElement.Clone();
        }
        catch (JsonException error)
        {
            throw new InvalidSchemaFileException($"is not valid JSON: {error.Message}");
        }

        var (title, description) = CheckRoot(root);
        var grammar = GbnfGrammar.FromJsonSchema(root, grammarOptions);
        var rules = RuleSetReader.Read(root);
        SchemaValidator validator;
        try
        {
            validator = await SchemaValidator.CreateAsync(json, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is not (SchemaNotSupportedException or OperationCanceledException))
        {
            throw new InvalidSchemaFileException($"NJsonSchema cannot load it: {error.Message}");
        }

        return new DocumentSchema(name, version, title, description, json, root, grammar, validator) { Rules = rules };
    }

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
            throw new InvalidSchemaFileException("is not UTF-8 text");
        }
    }

    // A document type's schema describes one JSON object with a title and a description: the extraction result is an
    // object, and the prompt opens with the two texts.
    private static (string Title, string Description) CheckRoot(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidSchemaFileException("the schema must be a JSON object");
        }

        if (root.TryGetProperty("$schema", out var dialect)
            && !(dialect.ValueKind == JsonValueKind.String && dialect.GetString() == Draft202012))
        {
            throw new InvalidSchemaFileException($"declares \"$schema\": {dialect.GetRawText()}; only draft 2020-12 ({Draft202012}) is supported");
        }

        if (!root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "object")
        {
            throw new InvalidSchemaFileException("the root must be \"type\": \"object\", as an extraction result is one JSON object");
        }

        return (RequiredText(root, "title"), RequiredText(root, "description"));
    }

    private static string RequiredText(JsonElement root, string keyword) =>
        root.TryGetProperty(keyword, out var text) && text.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(text.GetString())
            ? text.GetString()!
            : throw new InvalidSchemaFileException($"has no \"{keyword}\": the prompt needs it to tell the model what the document is");

    private sealed class InvalidSchemaFileException(string reason) : Exception(reason);
}
