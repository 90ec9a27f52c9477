namespace DocExtract.Schemas;

// Turns one schema file into a DocumentSchema, or into the reason it cannot be one: the checks are
// DocumentSchemaLoader's, the name is the file's name without ".json".
internal static class SchemaFileLoader
{
    public static async Task<(DocumentSchema? Schema, SchemaFileError? Error)> LoadAsync(
        string path, GbnfOptions grammarOptions, CancellationToken cancellationToken)
    {
        var fileName = Path.GetFileName(path);
        try
        {
            var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
            var schema = await DocumentSchemaLoader.LoadAsync(Path.GetFileNameWithoutExtension(path), bytes, grammarOptions, cancellationToken)
                .ConfigureAwait(false);
            return (schema, null);
        }
        catch (InvalidSchemaException problem)
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
}
