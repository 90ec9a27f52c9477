using System.Diagnostics;
using Xunit.Abstractions;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DocExtract.Persistence.Entities;
using DocExtract.TestSupport;
using DocExtract.TestSupport.Servers;
using static DocExtract.TestSupport.Servers.ReviewedDocumentSeed;

namespace DocExtract.EndToEnd.Tests;

/// <summary>
/// scripts/evaluate.sh as an operator runs it (#13, "corrections as labels"): on a database of reviewed documents of a
/// tenant's custom type, the stored outputs' figures, and with --model the generated test model's beside them.
/// </summary>
public sealed class Evaluating_models_on_the_command_line(ITestOutputHelper log) : IAsyncLifetime
{
    private const string Tenant = "acme";
    private static readonly DateTimeOffset _reviewed = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        var content = Encoding.UTF8.GetBytes(CustomSchemas.PaymentSlip);
        await using (var db = _database.CreateContext())
        {
            db.CustomSchemas.Add(new CustomSchema
            {
                Id = Guid.NewGuid(), TenantId = Tenant, Name = "payment-slip", Version = Convert.ToHexStringLower(SHA256.HashData(content)),
                Content = content, CreatedAt = _reviewed.AddDays(-1),
            });
            await db.SaveChangesAsync();
        }
        // Stored outputs: the first slip right but for an amount written differently, the second with the wrong payee.
        await _database.AddAsync(Tenant, "payment-slip", """{ "payee": "Müller GmbH", "amount": 120.5 }""",
            new Dictionary<string, double> { ["/payee"] = 0.9, ["/amount"] = 0.7 },
            [new Approval("""{ "payee": "MÜLLER GMBH", "amount": "120,50" }""", _reviewed)],
            pageText: "Please pay Müller GmbH the amount of 120,50 EUR.");
        await _database.AddAsync(Tenant, "payment-slip", """{ "payee": "Bank", "amount": 80 }""",
            new Dictionary<string, double> { ["/payee"] = 0.6, ["/amount"] = 0.8 },
            [new Approval("""{ "payee": "Schmidt AG", "amount": 80 }""", _reviewed.AddHours(1))],
            pageText: "Pay to Schmidt AG: 80.00 EUR via the bank.");
        // Another tenant's review of the same type, which must not count.
        await _database.AddAsync("other", "payment-slip", """{ "payee": "X", "amount": 1 }""",
            new Dictionary<string, double> { ["/payee"] = 0.9, ["/amount"] = 0.9 },
            [new Approval("""{ "payee": "Y", "amount": 2 }""", _reviewed)]);
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Prints_the_stored_outputs_figures_as_a_table_and_as_json()
    {
        var (code, table, errors) = await RunAsync("--type", "payment-slip", "--tenant", Tenant);
        var (jsonCode, json, jsonErrors) = await RunAsync("--type", "payment-slip", "--tenant", Tenant, "--json");

        Assert.True(code == 0, errors);
        Assert.True(jsonCode == 0, jsonErrors);
        log.WriteLine(table);
        // 3 of 4 values right (the amount only once normalised), the wrong payee the least sure value: an AUC of 1.
        Assert.Matches(@"right \(normalised match\)\s+75% \(3\)", table);
        Assert.Matches(@"exact match\s+25% \(1\)", table);
        Assert.Matches(@"confidence ROC AUC\s+1\b", table);
        using var report = JsonDocument.Parse(json);
        var figures = report.RootElement.GetProperty("figures");
        Assert.Equal(("payment-slip", 2, 3, 1.0), (report.RootElement.GetProperty("type").GetString(), figures.GetProperty("documents").GetInt32(),
            figures.GetProperty("overall").GetProperty("right").GetInt32(), figures.GetProperty("overall").GetProperty("confidence").GetProperty("auc").GetDouble()));
        // Every value at or above 0.7 was right: 0.7 is the lowest threshold reaching 95%.
        Assert.Equal(0.7, figures.GetProperty("suggestion").GetProperty("threshold").GetDouble());
    }

    [Fact]
    public async Task Runs_another_model_over_the_reviewed_documents_text_and_prints_its_figures_beside_the_stored_ones()
    {
        var (code, output, errors) = await RunAsync("--type", "payment-slip", "--tenant", Tenant, "--model", TestModels.Tiny, "--json",
            "--Llm:ContextSize", "2048", "--Llm:MaxSequences", "2");

        Assert.True(code == 0, errors);
        using var result = JsonDocument.Parse(output);
        var root = result.RootElement;
        log.WriteLine($"the model read 2 documents in {root.GetProperty("seconds").GetDouble()} s");
        Assert.Equal(TestModels.Tiny, root.GetProperty("model").GetString());
        Assert.Equal(3, root.GetProperty("stored").GetProperty("figures").GetProperty("overall").GetProperty("right").GetInt32());
        // The random model's values are noise; what is checked is that it read both documents under the type's grammar
        // and that each of its values was compared with its own confidence.
        var candidate = root.GetProperty("candidate").GetProperty("figures");
        var overall = candidate.GetProperty("overall");
        Assert.Empty(root.GetProperty("failures").EnumerateArray());
        Assert.Equal(2, candidate.GetProperty("documents").GetInt32());
        Assert.Equal(4, overall.GetProperty("right").GetInt32() + overall.GetProperty("wrong").GetInt32() + overall.GetProperty("missing").GetInt32());
        Assert.Equal(4, overall.GetProperty("confidence").GetProperty("scored").GetInt32());
        Assert.Contains("2 of 2 documents read by the model", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_that_does_not_exist_exits_1_naming_it()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-model-{Guid.NewGuid():N}.gguf");

        var (code, output, errors) = await RunAsync("--type", "payment-slip", "--tenant", Tenant, "--model", missing);

        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Contains($"the model file {missing} (Llm:Model) does not exist", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_argument_exits_2_naming_it()
    {
        var (code, _, errors) = await RunAsync("--type", "payment-slip", "--from", "someday");

        Assert.Equal(2, code);
        Assert.Contains("from must be an ISO 8601 date or instant", errors, StringComparison.Ordinal);
    }

    private Task<(int Code, string Output, string Errors)> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(Repository.Root, "scripts", "evaluate.sh"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["ConnectionStrings__Postgres"] = _database.ConnectionString;
        start.Environment["CONFIGURATION"] = Repository.Configuration;
        return CommandLine.RunAsync(start, TimeSpan.FromMinutes(2));
    }
}
