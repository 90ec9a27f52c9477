using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DocExtract.Persistence.Tenancy;
using DocExtract.TestSupport.Servers;
using static DocExtract.TestSupport.Servers.ReviewedDocumentSeed;

namespace DocExtract.Api.Tests;

/// <summary>An API whose evaluations read at most 3 documents.</summary>
public sealed class EvaluationsApiFixture : ApiFixture
{
    public const int MaxDocuments = 3;

    protected override IReadOnlyDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Outbox:RelayEnabled"] = "false",
        ["Evaluations:MaxDocuments"] = MaxDocuments.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>GET /evaluations (#13, "corrections as labels") on reviewed documents seeded in PostgreSQL for two tenants.</summary>
public sealed class Evaluating_reviewed_documents(EvaluationsApiFixture api) : IClassFixture<EvaluationsApiFixture>
{
    private static readonly DateTimeOffset _day1 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);

    // Tenant A: two invoices (one right after its second review, one with a wrong total), a letter, an e-invoice read
    // from its XML. Tenant B: one invoice whose values are all wrong.
    private async Task<(string A, string B)> SeedAsync()
    {
        var (a, b) = ($"eva-{Guid.NewGuid():N}"[..16], $"evb-{Guid.NewGuid():N}"[..16]);
        var db = api.Database;
        await db.AddAsync(a, "invoice", """{ "invoice_number": "INV-1", "total": 100 }""",
            new Dictionary<string, double> { ["/invoice_number"] = 0.9, ["/total"] = 0.8 },
            [new Approval("""{ "invoice_number": "INV-9", "total": 100 }""", _day1), new Approval("""{ "invoice_number": "INV-1", "total": "100.00" }""", _day1.AddDays(2))]);
        await db.AddAsync(a, "invoice", """{ "invoice_number": "INV-2", "total": 50 }""",
            new Dictionary<string, double> { ["/invoice_number"] = 0.3, ["/total"] = 0.95 },
            [new Approval("""{ "invoice_number": "INV-2", "total": 55 }""", _day1.AddDays(1))]);
        await db.AddAsync(a, "letter", """{ "subject": "x" }""", new Dictionary<string, double> { ["/subject"] = 0.5 },
            [new Approval("""{ "subject": "y" }""", _day1.AddDays(1))]);
        await db.AddAsync(a, "invoice", """{ "invoice_number": "XML", "total": 1 }""", new Dictionary<string, double>(),
            [new Approval("""{ "invoice_number": "XML-1", "total": 2 }""", _day1.AddDays(1))], route: "embedded-xml");
        await db.AddAsync(b, "invoice", """{ "invoice_number": "B-1", "total": 1 }""",
            new Dictionary<string, double> { ["/invoice_number"] = 0.99, ["/total"] = 0.99 },
            [new Approval("""{ "invoice_number": "B-2", "total": 2 }""", _day1.AddDays(1))]);
        return (a, b);
    }

    [Fact]
    public async Task Counts_the_tenants_own_reviewed_documents_of_the_type_with_the_newest_review_as_truth()
    {
        var (a, b) = await SeedAsync();
        using var adminA = await api.CreateClientAsync(a, ApiRoles.Admin);
        using var adminB = await api.CreateClientAsync(b, ApiRoles.Admin);

        var figures = (await adminA.GetFromJsonAsync<JsonElement>("/evaluations?type=invoice")).GetProperty("figures");
        var others = (await adminB.GetFromJsonAsync<JsonElement>("/evaluations?type=invoice")).GetProperty("figures");

        // A: INV-1 and 100 right against the second review ("100.00" only once normalised), INV-2 right, 50 against 55 wrong.
        // Neither B's invoice, A's letter nor A's e-invoice counts.
        var all = figures.GetProperty("overall");
        Assert.Equal((2, 1), (figures.GetProperty("documents").GetInt32(), figures.GetProperty("documentsAllRight").GetInt32()));
        Assert.Equal((4, 2, 3, 1), (Int(all, "stated"), Int(all, "exact"), Int(all, "right"), Int(all, "wrong")));
        Assert.Equal(0.75, all.GetProperty("accuracy").GetDouble());
        // The one wrong value (0.95) was surer than all three right ones: an AUC of 0.
        Assert.Equal(0.0, all.GetProperty("confidence").GetProperty("auc").GetDouble());
        Assert.Equal(["/invoice_number", "/total"], figures.GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("field").GetString()));
        // B sees only its own invoice, all wrong.
        Assert.Equal((1, 0, 2), (others.GetProperty("documents").GetInt32(), Int(others.GetProperty("overall"), "right"), Int(others.GetProperty("overall"), "wrong")));
    }

    [Fact]
    public async Task Takes_only_documents_whose_newest_review_falls_in_the_period()
    {
        var (a, _) = await SeedAsync();
        using var admin = await api.CreateClientAsync(a, ApiRoles.Admin);

        var late = await admin.GetFromJsonAsync<JsonElement>($"/evaluations?type=invoice&from={_day1.AddDays(1.5):O}".Replace("+", "%2B", StringComparison.Ordinal));
        var early = await admin.GetFromJsonAsync<JsonElement>("/evaluations?type=invoice&to=2026-11-02T13:00:00Z");

        // The first invoice's newest review is on day 3 (its first, on day 1, no longer counts); the second's on day 2.
        Assert.Equal((1, 1), (late.GetProperty("figures").GetProperty("documents").GetInt32(), late.GetProperty("figures").GetProperty("documentsAllRight").GetInt32()));
        Assert.Equal((1, 0), (early.GetProperty("figures").GetProperty("documents").GetInt32(), early.GetProperty("figures").GetProperty("documentsAllRight").GetInt32()));
    }

    [Theory]
    [InlineData(ApiRoles.Read)]
    [InlineData(ApiRoles.Submit)]
    public async Task A_key_that_is_not_admin_is_refused(string role)
    {
        using var client = await api.CreateClientAsync("eval-roles", role);

        using var response = await client.GetAsync("/evaluations?type=invoice");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("/evaluations", "type is required")]
    [InlineData("/evaluations?type=Invoice!", "type: 'Invoice!' is not a valid name")]
    [InlineData("/evaluations?type=invoice&from=yesterday", "from must be an ISO 8601 date or instant")]
    [InlineData("/evaluations?type=invoice&from=2026-11-02&to=2026-11-01", "must be before to")]
    [InlineData("/evaluations?type=invoice&precision=1.5", "precision must be a number above 0 and at most 1")]
    [InlineData("/evaluations?type=invoice&version=abc", "version must be a schema version")]
    public async Task A_bad_argument_is_a_problem_naming_it(string path, string expected)
    {
        using var response = await api.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task More_documents_than_the_setting_allows_is_a_problem_naming_the_setting()
    {
        var tenant = $"evm-{Guid.NewGuid():N}"[..16];
        for (var i = 0; i <= EvaluationsApiFixture.MaxDocuments; i++)
        {
            await api.Database.AddAsync(tenant, "invoice", """{ "total": 1 }""", new Dictionary<string, double>(),
                [new Approval("""{ "total": 1 }""", _day1.AddMinutes(i))]);
        }
        using var admin = await api.CreateClientAsync(tenant, ApiRoles.Admin);

        using var response = await admin.GetAsync("/evaluations?type=invoice");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("more than 3 reviewed documents match (Evaluations:MaxDocuments)",
            (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private static int Int(JsonElement element, string name) => element.GetProperty(name).GetInt32();
}
