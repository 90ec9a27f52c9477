using System.Reflection;
using System.Text;
using PdfSharp.Pdf;
using PdfSharp.Pdf.IO;

namespace DocExtract.Pipeline.TextExtraction;

/// <summary>
/// Opens a password-protected PDF once, so that poppler reads an unprotected copy (#14). Poppler 22 takes a
/// password only as a command-line argument (-upw), which every user of the machine can read in /proc; qpdf and
/// Ghostscript are not installed. So the worker's own executable (or `extract`'s), run as a ToolRunner child under
/// the same limits as poppler, reads the password from its stdin and writes the copy with PDFsharp (MIT), into the
/// document's OCR workspace, which is deleted after the document and swept after a crash.
/// </summary>
public static class PdfDecryption
{
    public const string Verb = "--decrypt-pdf";

    private const int WrongPassword = 3;

    /// <summary>The child: `DocExtract.Worker --decrypt-pdf in.pdf out.pdf` (or `extract --decrypt-pdf …`), the password on stdin.</summary>
    public static int Run(string input, string output)
    {
        var password = Console.In.ReadToEnd();
        try
        {
            // A user password opens a document for import, not for change (that needs the owner's): its pages go
            // into a new, unprotected document.
            using var document = PdfReader.Open(input, password, PdfDocumentOpenMode.Import);
            using var copy = new PdfDocument();
            foreach (var page in document.Pages)
            {
                copy.AddPage(page);
            }
            copy.Save(output);
            return 0;
        }
        catch (PdfReaderException e) when (e.Message.Contains("password", StringComparison.OrdinalIgnoreCase))
        {
            Console.Error.WriteLine("wrong password");
            return WrongPassword;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"Error: {e.Message}");
            return 1;
        }
    }

    /// <summary>An unprotected copy of <paramref name="pdfPath"/> in <paramref name="folder"/>, or a reason to fail.</summary>
    public static async Task<string> DecryptAsync(
        ToolRunner tools, TextExtractionOptions settings, string pdfPath, string password, string folder, CancellationToken cancellationToken)
    {
        var output = Path.Combine(folder, "unprotected.pdf");
        var (command, prefix) = Self();
        // The .NET runtime reserves address space by the gigabyte unless its heap is capped below the tool limit.
        var heap = $"0x{settings.ToolMemoryBytes / 2:X}";
        var run = await tools.RunAsync(command, [.. prefix, Verb, pdfPath, output], settings.Limits, cancellationToken,
            input: Encoding.UTF8.GetBytes(password), environment: new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = heap });
        return run.ExitCode switch
        {
            0 => output,
            WrongPassword => throw new PermanentExtractionException(PopplerErrors.WrongPassword),
            _ => throw new PermanentExtractionException(PopplerErrors.Summarise("decryption", run, settings.ToolMemoryBytes)),
        };
    }

    // The programs that answer Verb (their Program.cs): this library runs in one of them, or beside the worker in tests.
    private static readonly string[] _hosts = ["DocExtract.Worker", "extract"];

    // The running program where it answers Verb, else the other one installed beside this library: its apphost
    // where there is one, else `dotnet NAME.dll`.
    private static (string Command, string[] Prefix) Self()
    {
        var running = Assembly.GetEntryAssembly()?.GetName().Name;
        foreach (var host in _hosts.OrderBy(name => name != running))
        {
            var assembly = Path.Combine(AppContext.BaseDirectory, $"{host}.dll");
            if (File.Exists(assembly))
            {
                var apphost = Path.ChangeExtension(assembly, null);
                return File.Exists(apphost) ? (apphost, []) : ("dotnet", [assembly]);
            }
        }

        throw new InvalidOperationException(
            $"neither DocExtract.Worker nor extract is in {AppContext.BaseDirectory}: opening a protected PDF runs one of them ({Verb})");
    }
}
