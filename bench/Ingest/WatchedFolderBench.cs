using System.Diagnostics;
using System.Globalization;
using System.Text;
using DocExtract.TestSupport;
using DocExtract.TestSupport.Pdfs;
using DocExtract.TestSupport.Servers;

namespace DocExtract.Bench.Ingest;

/// <summary>
/// N distinct one-page PDFs written beside the inbox, then renamed into it at once (each lands whole, in one
/// instant), with the API's default SettleTime and RescanInterval. A document is queued when its row and its
/// ExtractDocument command are committed (one transaction), so each file's figure is its created_at minus the
/// instant of the drop.
/// </summary>
public static class WatchedFolderBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var files = TextBench.Option(args, "--files", 500);
        var root = Directory.CreateTempSubdirectory("docextract-bench-watched-").FullName;
        var staging = Path.Combine(root, "staging");
        Directory.CreateDirectory(staging);
        for (var i = 0; i < files; i++)
        {
            await File.WriteAllBytesAsync(Path.Combine(staging, $"{i:D4}.pdf"), TestPdfs.Invoice($"watched-bench-{i}-{Guid.NewGuid()}"));
        }

        await using var database = await TestDatabase.CreateAsync();
        await using var queue = new TestQueue();
        var settings = new Dictionary<string, string?>(queue.Settings)
        {
            ["ConnectionStrings:Postgres"] = database.ConnectionString,
            ["WatchedFolder:Path"] = root,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        var (api, _) = ServiceProcess.StartApi(settings);
        await using var apiProcess = api;
        var inbox = Path.Combine(root, "inbox");
        await Eventually.WaitAsync(() => Task.FromResult(Directory.Exists(inbox) ? "up" : null), TimeSpan.FromSeconds(60), "the API to create the inbox");
        // The watcher starts right after the folders are made; give the host a moment to finish starting.
        await Task.Delay(TimeSpan.FromSeconds(2));

        Console.WriteLine($"{files} one-page PDFs dropped at once into the watched folder (SettleTime 2 s, RescanInterval 30 s), {Environment.ProcessorCount} cores");
        var dropped = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        foreach (var file in Directory.GetFiles(staging))
        {
            File.Move(file, Path.Combine(inbox, Path.GetFileName(file)));
        }
        var moved = clock.Elapsed;
        await Eventually.WaitAsync(
            async () => await database.ScalarAsync<long>("SELECT count(*) FROM documents") >= files ? "all" : null,
            TimeSpan.FromMinutes(10), $"{files} documents\n{api.Output}");
        var all = clock.Elapsed;

        var latencies = new List<double>();
        await using (var context = database.CreateContext())
        {
            foreach (var created in context.Documents.Select(d => d.CreatedAt).ToList())
            {
                latencies.Add((created - dropped).TotalSeconds);
            }
        }
        latencies.Sort();
        var report = new StringBuilder();
        report.AppendLine(CultureInfo.InvariantCulture, $"dropping (renames): {moved.TotalSeconds:0.00} s");
        report.AppendLine(CultureInfo.InvariantCulture, $"drop to queued, per file: p50 {Percentile(latencies, 0.5):0.00} s, p95 {Percentile(latencies, 0.95):0.00} s, max {latencies[^1]:0.00} s");
        report.AppendLine(CultureInfo.InvariantCulture, $"all {files} queued after {all.TotalSeconds:0.00} s: {files / (all.TotalSeconds - 2):0} files/s after the 2 s settle time");
        Console.Write(report);
        Directory.Delete(root, recursive: true);
        return 0;
    }

    private static double Percentile(List<double> sorted, double p) => sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(p * sorted.Count))];
}
