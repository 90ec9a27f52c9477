namespace DocExtract.Schemas;

/// <summary>A schema file that was not loaded, and why.</summary>
public sealed record SchemaFileError(string FileName, string Reason)
{
    public override string ToString() => $"{FileName}: {Reason}";
}
