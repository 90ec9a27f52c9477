using DocExtract.Pipeline.Extraction;
using DocExtract.Pipeline.TextExtraction;
using DocExtract.Worker.Extensions;

if (args is ["--help" or "-h", ..])
{
    Console.WriteLine("""
        DocExtract worker: consumes ExtractDocument commands from RabbitMQ, extracts each PDF's text and, with a
        model (Llm:Model), its structured data; writes the result to PostgreSQL.

        usage: DocExtract.Worker [--Section:Key value ...]
        Settings come from appsettings.json, environment variables (Section__Key) and --Section:Key value; the
        docs/operations.md lists them all with their defaults. For one file without broker or database: scripts/extract.sh.
        """);
    return 0;
}
// The worker runs itself as a contained child to open a password-protected PDF (PdfDecryption).
if (args is [PdfDecryption.Verb, var input, var output])
{
    return PdfDecryption.Run(input, output);
}

var builder = Host.CreateApplicationBuilder(args);
try
{
    builder.AddDocExtractWorker();
    builder.Build().Run();
}
catch (LlmSetupException e)
{
    // A setting the model cannot start with (an unrecognized chat template, #11; a tier that is not configured, #12):
    // say which, exit with a code.
    Console.Error.WriteLine($"DocExtract.Worker: {e.Message}");
    return 2;
}
return 0;
