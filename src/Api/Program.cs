using DocExtract.Api.Extensions;
using DocExtract.Persistence;

if (args is ["migrate", ..])
{
    // `DocExtract.Api migrate`: apply the checked-in migrations and exit (scripts/migrate.sh runs this).
    var configuration = new ConfigurationBuilder().AddJsonFile("appsettings.json", optional: true)
        .AddEnvironmentVariables().AddCommandLine(args[1..]).Build();
    await PersistenceExtensions.MigrateAsync(configuration.GetPostgresConnectionString());
    Console.WriteLine("migrations applied");
    return;
}

var builder = WebApplication.CreateBuilder(args);
builder.AddDocExtractApi();

var app = builder.Build();
app.MapDocExtractApi();
app.Run();

public partial class Program;
