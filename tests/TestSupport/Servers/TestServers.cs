namespace DocExtract.TestSupport.Servers;

/// <summary>
/// The real servers the tests use, started by scripts/services.sh. Overridable for a machine where they run
/// elsewhere on loopback.
/// </summary>
public static class TestServers
{
    public static string PostgresAdmin { get; } = Environment.GetEnvironmentVariable("DOCEXTRACT_TEST_POSTGRES")
        ?? "Host=127.0.0.1;Port=5432;Database=postgres;Username=docextract;Password=docextract";

    public static string RabbitHost { get; } = Environment.GetEnvironmentVariable("DOCEXTRACT_TEST_RABBITMQ_HOST") ?? "127.0.0.1";

    public static int RabbitPort { get; } =
        int.TryParse(Environment.GetEnvironmentVariable("DOCEXTRACT_TEST_RABBITMQ_PORT"), out var port) ? port : 5672;
}
