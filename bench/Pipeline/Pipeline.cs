using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using DocExtract.TestSupport.Pdfs;
using DocExtract.TestSupport.Servers;

namespace DocExtract.Bench.Pipeline;

internal sealed record BenchOptions(int Documents, int Concurrency, string? Pdf, int Warmup)
{
    public const string Help = """
        DocExtract pipeline benchmark (issue #2): the whole service, upload to result, against the text stage alone.
        Needs PostgreSQL and RabbitMQ (scripts/services.sh) and a Release build (scripts/setup.sh).

        usage: bench/pipeline.sh [--documents N] [--concurrency N]
          --documents N     how many small PDFs (default 200)
          --concurrency N   worker concurrency, and the text stage's parallelism (default 2)
          --warmup N        documents pushed through first, untimed, so the JIT's tiering of ASP.NET, EF Core,
                            Npgsql and MassTransit is done before timing, as in a service that has run a while
                            (default 2000: fewer leave much of it undone on 2 cores)
          --pdf FILE        use copies of this PDF (each made unique by a trailing comment) instead of
                            generated one-page PDFs
        """;

    public static BenchOptions? Parse(string[] args)
    {
        var options = new BenchOptions(200, 2, null, 2000);
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--documents": options = options with { Documents = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture) }; break;
                case "--concurrency": options = options with { Concurrency = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture) }; break;
                case "--pdf": options = options with { Pdf = args[++i] }; break;
                case "--warmup": options = options with { Warmup = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture) }; break;
                default: return null;
            }
        }
        return options;
    }
}

internal static class Pipeline
{
    public static async Task<Guid> UploadAsync(HttpClient http, byte[] pdf, string name)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(pdf);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(file, "file", name);
        using var response = await http.PostAsync("/documents", form);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public static async Task WaitUntilUpAsync(HttpClient http)
    {
        for (var i = 0; i < 600; i++)
        {
            try
            {
                if ((await http.GetAsync("/health/live")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("the API did not start");
    }

    /// <summary>
    /// Documents through first, untimed: start-up (connections, queue declaration) and the JIT's tier-up of the hot
    /// paths are not what a service that has been running a while pays per document.
    /// </summary>
    public static async Task WarmUpAsync(HttpClient http, TestDatabase database, int documents)
    {
        var ids = new List<Guid>();
        for (var i = 0; i < Math.Max(1, documents); i++)
        {
            ids.Add(await UploadAsync(http, TestPdfs.WithPages($"warm up {i}"), $"warm-up-{i}.pdf"));
        }
        await WaitForAllAsync(database, ids, TimeSpan.FromMinutes(5));
        await database.ScalarAsync<long>("DELETE FROM results");
        await database.ScalarAsync<long>("DELETE FROM documents");
    }

    public static async Task WaitForAllAsync(TestDatabase database, IReadOnlyList<Guid> ids, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (await database.ScalarAsync<long>(
                   "SELECT count(*) FROM documents WHERE status IN ('succeeded', 'failed') AND id = ANY($1)", ids.ToArray()) < ids.Count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"not all {ids.Count} documents finished within {timeout}");
            }
            await Task.Delay(20);
        }
    }
}
