using DocExtract.Api.Security;
using DocExtract.Contracts;
using DocExtract.Operations.Webhooks;
using DocExtract.Persistence.DocumentTypes;
using DocExtract.Persistence.Entities;
using DocExtract.Schemas;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace DocExtract.Api.Documents;

public sealed record UploadRead(Upload? Upload, ProblemHttpResult? Problem);

/// <summary>
/// Reads and checks a multipart upload before anything is stored: empty, not a PDF (by magic bytes), too
/// large, unknown document type and a malformed Idempotency-Key each get their own problem.
/// </summary>
public sealed class UploadReader(TenantLimits limits, IOptions<WebhookOptions> webhooks, IOptions<OcrLanguageOptions> ocr, DocumentTypeCatalog types,
    PasswordSealing sealing)
{
    // Room for the multipart boundaries and the small fields around the file.
    public const long MultipartOverheadBytes = 64 * 1024;
    private const int MaxFileNameLength = 255;
    private const int MaxIdempotencyKeyLength = 255;
    private const int MaxCallbackLength = 2048;
    private const int MaxPasswordLength = 1024;

    public async Task<UploadRead> ReadAsync(HttpRequest request, Caller caller, CancellationToken cancellationToken)
    {
        var limit = limits.For(caller.TenantId).MaxUploadBytes;
        if (request.ContentLength > limit + MultipartOverheadBytes)
        {
            return Fail(Problems.TooLarge($"the upload is {Megabytes(request.ContentLength.Value)}; the limit is {Megabytes(limit)}"));
        }
        if (!request.HasFormContentType)
        {
            return Fail(Problems.BadRequest("send the PDF as multipart/form-data in a field named 'file'"));
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(cancellationToken);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Fail(Problems.TooLarge($"the upload is larger than the limit of {Megabytes(limit)}"));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status408RequestTimeout)
        {
            // Kestrel's MinRequestBodyDataRate: a body trickling in slower than that is given up (issue #15).
            return Fail(Problems.RequestTimeout("the upload arrived too slowly and was given up; send the body at a steady rate"));
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            // A malformed body is the client's to fix, whatever its size (issue #15): no boundary, too many fields, an
            // oversized part header, a broken header line, no closing boundary. The form reader names which.
            return Fail(Problems.BadRequest($"the multipart/form-data body cannot be read ({e.Message.TrimEnd('.')}); send the PDF in a well-formed multipart field named 'file'"));
        }

        if (form.Files.GetFile("file") is not { } file)
        {
            return Fail(Problems.BadRequest("no file: send the PDF in a multipart field named 'file'"));
        }
        if (file.Length == 0)
        {
            return Fail(Problems.BadRequest("the file is empty (0 bytes)"));
        }
        if (file.Length > limit)
        {
            return Fail(Problems.TooLarge($"the file is {Megabytes(file.Length)}; the limit is {Megabytes(limit)}"));
        }

        var schema = form.TryGetValue("schema", out var given) && !string.IsNullOrWhiteSpace(given)
            ? given.ToString().Trim().ToLowerInvariant()
            : DocumentsApi.DefaultSchema;
        var tenant = caller.TenantId;
        if (schema != DocumentTypeName.Auto && await UnknownTypeAsync(types, tenant, schema, version: null, cancellationToken) is { } unknown)
        {
            return Fail(unknown);
        }

        string? callback = null;
        if (form.TryGetValue("callback", out var givenCallback) && !string.IsNullOrWhiteSpace(givenCallback))
        {
            callback = givenCallback.ToString().Trim();
            if (callback.Length > MaxCallbackLength)
            {
                return Fail(Problems.BadRequest($"the callback URL is longer than {MaxCallbackLength} characters"));
            }

            // Nothing leaves the box unless the operator put the host on the allow-list (issue #6).
            if (webhooks.Value.Refusal(callback) is { } refusal)
            {
                return Fail(Problems.BadRequest(refusal));
            }
        }

        var (language, languageProblem) = ocr.Value.Check(form.TryGetValue("language", out var givenLanguage) ? givenLanguage.ToString() : limits.For(tenant).OcrLanguages);
        if (languageProblem is not null)
        {
            return Fail(Problems.BadRequest(languageProblem));
        }

        // The password of a protected PDF is sealed at once and travels only so (#14).
        var (sealedPassword, passwordProblem) = SealPassword(sealing, form.TryGetValue("password", out var password) ? password.ToString() : null, tenant);
        if (passwordProblem is not null)
        {
            return Fail(Problems.BadRequest(passwordProblem));
        }

        var key = request.Headers[DocumentsApi.IdempotencyKeyHeader].ToString();
        if (request.Headers.ContainsKey(DocumentsApi.IdempotencyKeyHeader) &&
            (key.Length is 0 or > MaxIdempotencyKeyLength))
        {
            return Fail(Problems.BadRequest($"the Idempotency-Key header must be 1 to {MaxIdempotencyKeyLength} characters"));
        }

        var content = new byte[file.Length];
        await using (var stream = file.OpenReadStream())
        {
            await stream.ReadExactlyAsync(content, cancellationToken);
        }
        if (!PdfSniffer.LooksLikePdf(content))
        {
            return Fail(Problems.NotAPdf($"the file is not a PDF: it {PdfSniffer.Describe(content)}"));
        }

        var fileName = SafeFileName(file.FileName);
        return new UploadRead(new Upload(content, fileName, schema, key.Length > 0 ? key : null, DocumentSources.Api,
            Uploader.From(caller)) { CallbackUrl = callback, Language = language, SealedPassword = sealedPassword }, null);
    }

    /// <summary>A PDF password sealed for the tenant (#14), or why it cannot be taken; null and null when none is given.</summary>
    public static (string? Sealed, string? Problem) SealPassword(PasswordSealing sealing, string? password, string tenant) =>
        string.IsNullOrEmpty(password) ? (null, null)
        : password.Length > MaxPasswordLength ? (null, $"the password is longer than {MaxPasswordLength} characters")
        : sealing.Seal is not { } seal
            ? (null, "this service takes no `password`: set Secrets:KeyFile (the same key file) on the API and the workers, or send an unprotected copy")
            : (seal.Seal(password, tenant), null);

    /// <summary>A 400 naming what is wrong and what exists, or null when the type (and version) can be used.</summary>
    public static async Task<ProblemHttpResult?> UnknownTypeAsync(
        DocumentTypeCatalog types, string tenant, string schema, string? version, CancellationToken cancellationToken)
    {
        var found = await types.FindAsync(tenant, schema, version, cancellationToken);
        if (found.Type is not null)
        {
            return null;
        }
        var known = string.Join(", ", (await types.ListAsync(tenant, cancellationToken)).Select(t => t.Schema.Name));
        return Problems.BadRequest($"{found.Problem}: use 'auto' or one of {known} (GET /schemas lists them)");
    }

    public static string SafeFileName(string? given)
    {
        // Control characters and bidi controls go (issue #15: "invoice\u202Egpj.exe" shows as "invoiceexe.jpg"); the
        // file's own bytes are never touched.
        var name = DisplayNames.Clean(Path.GetFileName(given ?? "")).Trim();
        if (name.Length == 0)
        {
            name = "document.pdf";
        }
        return name.Length <= MaxFileNameLength ? name : name[..MaxFileNameLength];
    }

    private static UploadRead Fail(ProblemHttpResult problem) => new(null, problem);

    private static string Megabytes(long bytes) => bytes < 1024 * 1024 ? $"{bytes} bytes" : $"{bytes / (1024.0 * 1024.0):0.#} MB";
}
