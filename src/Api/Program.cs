using DocExtract.Api.Commands;
using DocExtract.Api.Extensions;
using DocExtract.Api.Usage;
using DocExtract.Persistence;

switch (args)
{
    case ["--help" or "-h", ..]:
        Console.WriteLine("""
            DocExtract API: accepts PDFs (POST /documents), stores them, queues them, serves results.

            usage: DocExtract.Api [--urls http://HOST:PORT] [--Section:Key value ...]
                   DocExtract.Api migrate [--ConnectionStrings:Postgres "..."]
                   DocExtract.Api keys create --tenant SLUG --role submit|read|admin [--name TEXT]
                   DocExtract.Api keys list [--tenant SLUG] | keys revoke KEY_ID
                   DocExtract.Api audit verify
                   DocExtract.Api cost-report --tenant SLUG [--from DATE] [--to DATE] [--json]

              migrate   apply the checked-in database migrations and exit
              keys      create (prints the key once), list or revoke API keys
              audit     verify the audit trail's hash chain; exit code 1 names the first broken record
              cost-report  a tenant's usage priced by the Cost settings against cloud list prices (as GET /usage/report)
            Settings come from appsettings.json, environment variables (Section__Key) and --Section:Key value;
            docs/operations.md lists them all with their defaults.
            """);
        return;
    case ["migrate", ..]:
        await PersistenceExtensions.MigrateAsync(Settings(args[1..]).GetPostgresConnectionString());
        Console.WriteLine("migrations applied");
        return;
    case ["keys", .. var rest]:
        Environment.ExitCode = await KeysCommand.RunAsync(rest, Settings([]).GetPostgresConnectionString(), Console.Out, Console.Error);
        return;
    case ["cost-report", .. var rest]:
        var settings = Settings([]);
        Environment.ExitCode = await CostReportCommand.RunAsync(rest, settings.GetPostgresConnectionString(),
            settings.GetSection(CostOptions.Section).Get<CostOptions>() ?? new CostOptions(), Console.Out, Console.Error);
        return;
    case ["audit", .. var rest]:
        Environment.ExitCode = await AuditCommand.RunAsync(rest, Settings([]).GetPostgresConnectionString(), Console.Out, Console.Error);
        return;
}

var builder = WebApplication.CreateBuilder(args);
builder.AddDocExtractApi();

var app = builder.Build();
app.MapDocExtractApi();
app.Run();

static IConfiguration Settings(string[] args) => new ConfigurationBuilder().AddJsonFile("appsettings.json", optional: true)
    .AddEnvironmentVariables().AddCommandLine(args).Build();

public partial class Program;
