using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using DocExtract.TestSupport.Pdfs;
using DocExtract.TestSupport.Servers;

namespace DocExtract.Bench.Pipeline;

internal sealed record BenchOptions(int Documents, int Concurrency)
{
    public const string Help = """
        DocExtract pipeline benchmark (issue #2): the whole service, upload to result, against the text stage alone.
        Needs PostgreSQL and RabbitMQ (scripts/services.sh) and a Release build (scripts/setup.sh).

        usage: bench/pipeline.sh [--documents N] [--concurrency N]
          --documents N     how many small PDFs (default 200)
          --concurrency N   worker concurrency, and the text stage's parallelism (default 2)
        """;

    public static BenchOptions? Parse(string[] args)
    {
        var options = new BenchOptions(200, 2);
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--documents": options = options with { Documents = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture) }; break;
                case "--concurrency": options = options with { Concurrency = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture) }; break;
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

    /// <summary>One document through first, so start-up (JIT, connections, queue declaration) is not timed.</summary>
    public static async Task WarmUpAsync(HttpClient http, TestDatabase database)
    {
        var id = await UploadAsync(http, TestPdfs.WithPages("warm up"), "warm-up.pdf");
        await WaitForAllAsync(database, [id], TimeSpan.FromMinutes(2));
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
