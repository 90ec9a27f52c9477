using System.Diagnostics;
using System.Globalization;
using DocExtract.Bench.Pipeline;
using DocExtract.Pipeline.TextExtraction;
using DocExtract.TestSupport.Pdfs;
using DocExtract.TestSupport.Servers;
using Microsoft.Extensions.Options;

// Issue #2's benchmark: upload-to-result throughput of the whole pipeline (HTTP, PostgreSQL, outbox, RabbitMQ,
// worker, text stage) against the same PDFs through the text stage alone, in one run. Prints figures; never
// passes or fails on time.
var options = BenchOptions.Parse(args);
if (options is null)
{
    Console.WriteLine(BenchOptions.Help);
    return 0;
}

var template = options.Pdf is null ? null : await File.ReadAllBytesAsync(options.Pdf);
var pdfs = Enumerable.Range(0, options.Documents)
    .Select(i => template is null
        ? TestPdfs.WithPages($"Bench document {i}\nInvoice number: INV-{i:D5}\nTotal: {i * 3.5:0.00} EUR")
        // A comment after %%EOF changes the bytes (so each copy is its own file) and nothing a reader sees.
        : [.. template, .. System.Text.Encoding.ASCII.GetBytes($"\n% copy {i}\n")])
    .ToList();
var folder = Directory.CreateTempSubdirectory("docextract-bench-").FullName;
var paths = pdfs.Select((pdf, i) => Path.Combine(folder, $"{i:D4}.pdf")).ToList();
for (var i = 0; i < pdfs.Count; i++)
{
    await File.WriteAllBytesAsync(paths[i], pdfs[i]);
}

Console.WriteLine($"{options.Documents} {(options.Pdf is null ? "generated one-page PDFs" : $"copies of {Path.GetFileName(options.Pdf)}")}, " +
    $"worker concurrency {options.Concurrency}, {options.Warmup} warm-up documents, {Environment.ProcessorCount} cores");

// 1. The text stage alone, with the worker's parallelism: the worker's own extractor (pdftotext under prlimit).
var extractor = PdfTextExtractor.Create(new TextExtractionOptions());
var textStage = await Timed(() => Parallel.ForEachAsync(paths, new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency },
    async (path, ct) => await extractor.ExtractAsync(path, ct)));

// 2. Bare pdftotext, for reference.
var bare = await Timed(() => Parallel.ForEachAsync(paths, new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency },
    async (path, ct) =>
    {
        using var process = Process.Start(new ProcessStartInfo("pdftotext", [path, "-"]) { RedirectStandardOutput = true })!;
        await process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
    }));

// 3. The whole pipeline, upload to result.
await using var database = await TestDatabase.CreateAsync();
await using var queue = new TestQueue();
var settings = new Dictionary<string, string?>(queue.Settings)
{
    ["ConnectionStrings:Postgres"] = database.ConnectionString,
    ["Worker:ConcurrentMessageLimit"] = options.Concurrency.ToString(CultureInfo.InvariantCulture),
    ["Logging:LogLevel:Default"] = "Warning",
};
var (api, address) = ServiceProcess.StartApi(settings);
await using var apiProcess = api;
await using var worker = ServiceProcess.StartWorker(settings);
using var http = new HttpClient { BaseAddress = address }.Authenticated(await TestKeys.CreateAsync(database.ConnectionString, role: "submit"));
await Pipeline.WaitUntilUpAsync(http);
await Pipeline.WarmUpAsync(http, database, options.Warmup);

var ids = new List<Guid>();
var cpuBefore = CpuTime.Snapshot(apiProcess.Pid, worker.Pid);
var pipeline = await Timed(async () =>
{
    using var uploads = new SemaphoreSlim(8);
    var posted = await Task.WhenAll(pdfs.Select(async (pdf, i) =>
    {
        await uploads.WaitAsync();
        try
        {
            return await Pipeline.UploadAsync(http, pdf, $"{i:D4}.pdf");
        }
        finally
        {
            uploads.Release();
        }
    }));
    ids.AddRange(posted);
    await Pipeline.WaitForAllAsync(database, ids, TimeSpan.FromMinutes(10));
});

var cpuAfter = CpuTime.Snapshot(apiProcess.Pid, worker.Pid);
var succeeded = await database.ScalarAsync<long>("SELECT count(*) FROM documents WHERE status = 'succeeded'");
Console.WriteLine();
Console.WriteLine("| measure | seconds | documents/s |");
Console.WriteLine("|---|---:|---:|");
Row("bare pdftotext", bare);
Row("text stage alone (the worker's extractor: pdftotext under limits)", textStage);
Row("whole pipeline, upload to result", pipeline);
Console.WriteLine();
Console.WriteLine("Where the pipeline's CPU went (ms per document):");
Console.WriteLine("| part | CPU ms/document |");
Console.WriteLine("|---|---:|");
foreach (var (part, seconds) in cpuAfter.Select(p => (p.Key, p.Value - cpuBefore[p.Key])).OrderByDescending(p => p.Item2))
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {part} | {seconds * 1000 / options.Documents:0.00} |"));
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"| all | {cpuAfter.Sum(p => p.Value - cpuBefore[p.Key]) * 1000 / options.Documents:0.00} |"));
Console.WriteLine();
Console.WriteLine($"succeeded: {succeeded}/{options.Documents}");
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"pipeline / text stage = {pipeline.TotalSeconds / textStage.TotalSeconds:0.00} (overhead {(pipeline.TotalSeconds / textStage.TotalSeconds - 1) * 100:0}% of the text stage's time; target < 25%)"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"pipeline / bare pdftotext = {pipeline.TotalSeconds / bare.TotalSeconds:0.00}"));
Directory.Delete(folder, recursive: true);
return succeeded == options.Documents ? 0 : 1;

void Row(string name, TimeSpan elapsed) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"| {name} | {elapsed.TotalSeconds:0.00} | {options.Documents / elapsed.TotalSeconds:0.0} |"));

static async Task<TimeSpan> Timed(Func<Task> work)
{
    var clock = Stopwatch.StartNew();
    await work();
    return clock.Elapsed;
}
