namespace DocExtract.Contracts;

/// <summary>
/// Extract the structured content of a stored document. <paramref name="ExtractionId"/> names this one run:
/// the worker keys the result by it, so a redelivered command never yields a second result.
/// <paramref name="SchemaVersion"/> pins the document type's version (null: its latest when the worker runs) and
/// <paramref name="Tenant"/> says whose custom types <paramref name="Schema"/> may name (null: the default tenant).
/// Both are optional so that commands queued before they existed still read (#6). <paramref name="Language"/> names
/// the OCR languages of a scan (eng+fra; null: the worker chooses from the scan, #14). <paramref name="SealedPassword"/>
/// is the upload's PDF password sealed with Secrets:KeyFile (<see cref="PasswordSeal"/>), never the password itself.
/// </summary>
public sealed record ExtractDocument(
    Guid DocumentId, Guid ExtractionId, string Schema, string? SchemaVersion = null, string? Tenant = null, string? Language = null,
    string? SealedPassword = null);
