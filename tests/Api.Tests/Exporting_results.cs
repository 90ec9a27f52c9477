using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using DocExtract.Persistence.Entities;

namespace DocExtract.Api.Tests;

/// <summary>
/// GET /results over seeded results. The tests share one database, so each seeds its rows in a time window of its own
/// (a different day) and asks for that window with since= and until=.
/// </summary>
public sealed class Exporting_results(ApiFixture api) : IClassFixture<ApiFixture>
{
    // The seeded results' creation times, in minutes after the day began.
    private static readonly int[] _minutes = [1, 2, 2, 2, 3];

    private const string Invoice = """
        {"invoice_number":"RE-1, \"urgent\"","issue_date":"2026-03-02","seller":{"name":"Krüger & Söhne GmbH","vat_id":"DE812345673"},
         "line_items":[{"description":"Work","amount":100.5}],"subtotal":100.5,"tax_amount":-19.1,"total":null,
         "payment_terms":"=HYPERLINK(\"http://evil.example\",\"pay\")","payment_reference":"line one\nline two"}
        """;

    private const string FailedRule = """[{"name":"subtotal plus tax is the total","kind":"sum-of","outcome":"fail","reason":"...","values":{}},{"name":"IBAN check digits","kind":"iban","outcome":"pass","reason":null,"values":{}}]""";

    [Fact]
    public async Task Ndjson_has_one_line_per_result_of_the_type_oldest_first()
    {
        var day = Day(1);
        var second = await Seed.ResultAsync(api.Database, "invoice", day.AddMinutes(2), """{"invoice_number":"B"}""");
        var first = await Seed.ResultAsync(api.Database, "invoice", day.AddMinutes(1), Invoice, FailedRule, "first.pdf");
        await Seed.ResultAsync(api.Database, "receipt", day.AddMinutes(3), """{"receipt_number":"R"}""");
        await Seed.DocumentAsync(api.Database, "invoice", DocumentStatus.Queued, createdAt: day.AddMinutes(4));

        using var response = await GetAsync($"/results?schema=invoice&{Window(day)}", "application/x-ndjson");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Equal("", lines[2]);
        using var one = JsonDocument.Parse(lines[0]);
        Assert.Equal(first.DocumentId, one.RootElement.GetProperty("documentId").GetGuid());
        Assert.Equal(first.ExtractionId, one.RootElement.GetProperty("extractionId").GetGuid());
        Assert.Equal("first.pdf", one.RootElement.GetProperty("fileName").GetString());
        Assert.Equal("succeeded", one.RootElement.GetProperty("status").GetString());
        Assert.Equal(day.AddMinutes(1), one.RootElement.GetProperty("createdAt").GetDateTimeOffset());
        Assert.Equal("RE-1, \"urgent\"", one.RootElement.GetProperty("data").GetProperty("invoice_number").GetString());
        Assert.Equal("fail", one.RootElement.GetProperty("rules")[0].GetProperty("outcome").GetString());
        Assert.False(one.RootElement.TryGetProperty("pages", out _));
        using var two = JsonDocument.Parse(lines[1]);
        Assert.Equal(second.DocumentId, two.RootElement.GetProperty("documentId").GetGuid());
    }

    [Fact]
    public async Task Csv_has_a_column_per_top_level_field_quoted_and_defused()
    {
        var day = Day(2);
        var seeded = await Seed.ResultAsync(api.Database, "invoice", day.AddMinutes(1), Invoice, FailedRule, "=cmd.pdf");

        using var response = await GetAsync($"/results?schema=invoice&{Window(day)}", "text/csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var rows = Csv.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(2, rows.Count);
        Assert.Equal(
            ["document_id", "extraction_id", "file_name", "status", "created_at", "invoice_number", "invoice_type", "issue_date",
             "due_date", "service_period_start", "service_period_end", "seller", "buyer", "purchase_order_number", "currency",
             "line_items", "subtotal", "tax_amount", "total", "payment_terms", "iban", "bic", "payment_reference",
             "document_type_code", "line_total", "allowance_total", "charge_total", "tax_breakdown", "prepaid_amount", "amount_due", "failed_rules"],
            rows[0]);
        var row = rows[0].Zip(rows[1]).ToDictionary(pair => pair.First, pair => pair.Second);
        Assert.Equal(seeded.DocumentId.ToString(), row["document_id"]);
        Assert.Equal("'=cmd.pdf", row["file_name"]);
        Assert.Equal("RE-1, \"urgent\"", row["invoice_number"]);
        Assert.Equal("""{"name":"Krüger & Söhne GmbH","vat_id":"DE812345673"}""", JsonSerializer.Deserialize<JsonElement>(row["seller"]).ToString());
        Assert.Equal(100.5, JsonSerializer.Deserialize<JsonElement>(row["line_items"])[0].GetProperty("amount").GetDouble());
        Assert.Equal("100.5", row["subtotal"]);
        Assert.Equal("-19.1", row["tax_amount"]);
        Assert.Equal("", row["total"]);
        Assert.Equal("", row["buyer"]);
        Assert.Equal("'=HYPERLINK(\"http://evil.example\",\"pay\")", row["payment_terms"]);
        Assert.Equal("line one\nline two", row["payment_reference"]);
        Assert.Equal("subtotal plus tax is the total", row["failed_rules"]);
    }

    [Theory]
    [InlineData("format=csv", "application/x-ndjson", "text/csv")]
    [InlineData("format=ndjson", "text/csv", "application/x-ndjson")]
    [InlineData("", null, "application/x-ndjson")]
    [InlineData("", "*/*", "application/x-ndjson")]
    [InlineData("", "application/json;q=0.5, text/csv", "text/csv")]
    public async Task Format_wins_over_accept_and_ndjson_is_the_default(string format, string? accept, string expected)
    {
        using var response = await GetAsync($"/results?schema=invoice&{Window(Day(3))}&{format}", accept);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Paging_by_the_last_rows_time_and_id_returns_every_result_once_in_order_even_on_equal_times()
    {
        var day = Day(4);
        var seeded = new List<Guid>();
        foreach (var minute in (int[])[1, 2, 2, 2, 3])
        {
            seeded.Add((await Seed.ResultAsync(api.Database, "invoice", day.AddMinutes(minute), "{}")).ExtractionId);
        }

        var expected = seeded.Select((id, i) => (Time: day.AddMinutes(_minutes[i]), Id: id))
            .OrderBy(r => r.Time).ThenBy(r => r.Id.ToString(), StringComparer.Ordinal).Select(r => r.Id).ToList();
        var seen = new List<Guid>();
        var query = $"since={Uri.EscapeDataString(day.ToString("O"))}";
        for (var page = 0; page < 10; page++)
        {
            using var response = await GetAsync($"/results?schema=invoice&{query}&until={Uri.EscapeDataString(day.AddDays(1).ToString("O"))}&limit=2", null);
            var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (lines.Length == 0)
            {
                break;
            }

            using var last = JsonDocument.Parse(lines[^1]);
            seen.AddRange(lines.Select(line => JsonDocument.Parse(line).RootElement.GetProperty("extractionId").GetGuid()));
            query = $"since={last.RootElement.GetProperty("createdAt").GetString()}&after={last.RootElement.GetProperty("extractionId").GetGuid()}";
        }

        Assert.Equal(expected, seen);
    }

    [Theory]
    [InlineData("/results", null, HttpStatusCode.BadRequest, "name the document type to export with schema=")]
    [InlineData("/results?schema=horoscope", null, HttpStatusCode.BadRequest, "unknown schema 'horoscope': use one of bank-statement, contract, invoice, letter, receipt")]
    [InlineData("/results?schema=invoice&limit=0", null, HttpStatusCode.BadRequest, "limit must be between 1 and")]
    [InlineData("/results?schema=invoice&after=0195a0a0-0000-7000-8000-000000000000", null, HttpStatusCode.BadRequest, "give since= too")]
    [InlineData("/results?schema=invoice&format=xml", null, HttpStatusCode.NotAcceptable, "format=ndjson or format=csv")]
    [InlineData("/results?schema=invoice", "application/xml", HttpStatusCode.NotAcceptable, "results come as application/x-ndjson or text/csv")]
    public async Task A_bad_request_is_a_problem_saying_what_to_change(string url, string? accept, HttpStatusCode status, string detail)
    {
        using var response = await GetAsync(url, accept);

        Assert.Equal(status, response.StatusCode);
        Assert.Contains(detail, (await response.ProblemAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static DateTimeOffset Day(int n) => new(2030, 1, n, 0, 0, 0, TimeSpan.Zero);

    private static string Window(DateTimeOffset day) =>
        $"since={Uri.EscapeDataString(day.ToString("O"))}&until={Uri.EscapeDataString(day.AddDays(1).ToString("O"))}";

    private async Task<HttpResponseMessage> GetAsync(string url, string? accept)
    {
        using var client = api.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        return await client.SendAsync(request);
    }
}

/// <summary>An RFC 4180 reader for the tests: quoted fields, doubled quotes, CRLF records, line breaks inside quotes.</summary>
internal static class Csv
{
    public static List<List<string>> Parse(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                Assert.True(field.Length == 0, "a quote inside an unquoted field");
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(field.ToString());
                field.Clear();
                rows.Add(row);
                row = [];
                i++;
            }
            else
            {
                Assert.False(c is '\r' or '\n', "a bare line break outside quotes");
                field.Append(c);
            }
        }

        Assert.False(quoted, "an unterminated quoted field");
        Assert.True(field.Length == 0 && row.Count == 0, "the last record does not end with CRLF");
        return rows;
    }
}
