using DocExtract.Api.Extensions;
using DocExtract.Persistence;

switch (args)
{
    case ["--help" or "-h", ..]:
        Console.WriteLine("""
            DocExtract API: accepts PDFs (POST /documents), stores them, queues them, serves results.

            usage: DocExtract.Api [--urls http://HOST:PORT] [--Section:Key value ...]
                   DocExtract.Api migrate [--ConnectionStrings:Postgres "..."]

              migrate   apply the checked-in database migrations and exit
            Settings come from appsettings.json, environment variables (Section__Key) and --Section:Key value;
            the README lists them all with their defaults.
            """);
        return;
    case ["migrate", ..]:
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
