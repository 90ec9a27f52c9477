using System.Diagnostics;
using System.Globalization;
using DocExtract.Pipeline;
using DocExtract.Pipeline.EmbeddedInvoices;
using DocExtract.Pipeline.TextExtraction;
using DocExtract.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

// Issue #12's benchmark: e-invoices per second through the worker's text stage and the embedded-XML route (pdftotext,
// pdfdetach -list and -save under prlimit and unshare, safe XML parsing, mapping, evidence, page check), against the
// same tool runs made bare (no limits, no parsing), in one run. Prints figures; never passes or fails on time.
var documents = Option("--documents", 600);
var concurrency = Option("--concurrency", 2);
var rounds = Option("--rounds", 2);
var folder = Path.Combine(Repository.Corpus, "einvoice", "pdfs");
var pdfs = Directory.EnumerateFiles(folder, "*.pdf").Where(p => !Path.GetFileName(p).StartsWith("neg_", StringComparison.Ordinal))
    .Order(StringComparer.Ordinal).ToList();
var work = Enumerable.Range(0, documents).Select(i => pdfs[i % pdfs.Count]).ToList();

var services = new ServiceCollection().AddLogging()
    .AddDocExtractPipeline(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Schemas:Directory"] = Path.Combine(Repository.Root, "schemas"),
    }).Build())
    .BuildServiceProvider();
var text = services.GetRequiredService<PdfTextExtractor>();
var route = services.GetRequiredService<EmbeddedInvoiceRoute>();

// The bare runs save the attachment pdfdetach numbers as the invoice XML, as the route does after listing.
var xmlNumber = new Dictionary<string, string>();
foreach (var pdf in pdfs)
{
    var listing = await RunAsync("pdfdetach", ["-list", pdf]);
    xmlNumber[pdf] = listing.Split('\n').First(l => l.EndsWith(".xml", StringComparison.OrdinalIgnoreCase)).Split(':')[0];
}

Console.WriteLine($"{documents} e-invoices ({pdfs.Count} distinct corpus files, 1-4 pages, 3-1067 KB of XML), " +
    $"concurrency {concurrency}, {Environment.ProcessorCount} cores, {rounds} round(s) each, alternating");
Console.WriteLine($"load average before: {File.ReadAllText("/proc/loadavg").Trim()}");
var read = 0;
await OursAsync(pdfs); // warm-up: JIT, schema catalog, page cache
for (var round = 1; round <= rounds; round++)
{
    var bare = await TimedAsync(() => BareAsync(work));
    Report($"round {round} bare pdfdetach -list + -save + pdftotext", bare);
    read = 0;
    var ours = await TimedAsync(() => OursAsync(work));
    Report($"round {round} worker text stage + embedded-XML route", ours);
    Console.WriteLine($"         read from the attachment: {read} of {documents}; route costs {ours.Wall / bare.Wall:0.00}x the bare tools' wall time");
}
Console.WriteLine($"load average after: {File.ReadAllText("/proc/loadavg").Trim()}");
return 0;

Task BareAsync(IEnumerable<string> files) => Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = concurrency },
    async (pdf, ct) =>
    {
        await RunAsync("pdfdetach", ["-list", pdf]);
        await RunAsync("pdfdetach", ["-save", xmlNumber[pdf], "-o", "/dev/stdout", pdf]);
        await RunAsync("pdftotext", ["-enc", "UTF-8", pdf, "-"]);
    });

Task OursAsync(IEnumerable<string> files) => Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = concurrency },
    async (pdf, ct) =>
    {
        var pages = await text.ExtractAsync(pdf, ct);
        if ((await route.ReadAsync(pdf, pages, requested: null, ct)).Data is not null)
        {
            Interlocked.Increment(ref read);
        }
    });

async Task<(double Wall, double Cpu)> TimedAsync(Func<Task> run)
{
    var cpu = CpuSeconds();
    var clock = Stopwatch.StartNew();
    await run();
    return (clock.Elapsed.TotalSeconds, CpuSeconds() - cpu);
}

void Report(string what, (double Wall, double Cpu) time) => Console.WriteLine(
    $"{what,-58} {documents / time.Wall,7:0.0} documents/s  {time.Wall,6:0.00} s wall  " +
    $"{1000 * time.Cpu / documents,5:0.0} ms CPU per document (this process and its children)");

static async Task<string> RunAsync(string tool, string[] arguments)
{
    using var process = Process.Start(new ProcessStartInfo(tool, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
    var output = process.StandardOutput.ReadToEndAsync();
    await process.StandardError.ReadToEndAsync();
    await process.WaitForExitAsync();
    return await output;
}

// utime + stime of this process and its reaped children, from /proc/self/stat (fields 14-17), in clock ticks of 1/100 s.
static double CpuSeconds()
{
    var stat = File.ReadAllText("/proc/self/stat");
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return Enumerable.Range(11, 4).Sum(i => long.Parse(fields[i], CultureInfo.InvariantCulture)) / 100.0;
}

int Option(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
}
