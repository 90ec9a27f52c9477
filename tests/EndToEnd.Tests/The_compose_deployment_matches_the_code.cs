using System.Reflection;
using System.Text.RegularExpressions;
using DocExtract.Api.Documents;
using DocExtract.Contracts;
using DocExtract.Operations.Outbox;
using DocExtract.Operations.Webhooks;
using DocExtract.Pipeline.Extraction;
using DocExtract.Pipeline.TextExtraction;
using DocExtract.TestSupport;
using DocExtract.Worker.Processing;

namespace DocExtract.EndToEnd.Tests;

/// <summary>
/// CI has no Docker engine, so compose/ cannot be run here. What can be checked is checked: every setting the
/// compose file gives a service exists in the code under that name, and every file its Dockerfiles copy exists.
/// </summary>
public sealed partial class The_compose_deployment_matches_the_code
{
    private static readonly string _compose = Path.Combine(Repository.Root, "compose");

    private static readonly Dictionary<string, Type> _sections = new()
    {
        [ApiOptions.Section] = typeof(ApiOptions),
        [OutboxOptions.Section] = typeof(OutboxOptions),
        [RabbitMqOptions.Section] = typeof(RabbitMqOptions),
        [WorkerOptions.Section] = typeof(WorkerOptions),
        [LlmOptions.Section] = typeof(LlmOptions),
        [TextExtractionOptions.Section] = typeof(TextExtractionOptions),
        [DocExtract.Api.WatchedFolder.WatchedFolderOptions.Section] = typeof(DocExtract.Api.WatchedFolder.WatchedFolderOptions),
        [WebhookOptions.Section] = typeof(WebhookOptions),
        [SecretOptions.Section] = typeof(SecretOptions),
        [DocExtract.Operations.Management.ManagementOptions.Section] = typeof(DocExtract.Operations.Management.ManagementOptions),
        [DocExtract.Api.Review.ReviewOptions.Section] = typeof(DocExtract.Api.Review.ReviewOptions),
    };

    [Fact]
    public void Every_setting_in_the_compose_file_is_one_the_services_read()
    {
        var compose = File.ReadAllText(Path.Combine(_compose, "docker-compose.yml"));
        var settings = Setting().Matches(compose).Select(m => m.Groups["key"].Value).Distinct().ToList();

        Assert.NotEmpty(settings);
        Assert.All(settings, key =>
        {
            var (section, name) = (key.Split("__")[0], key.Split("__")[1]);
            if (section == "ConnectionStrings")
            {
                Assert.Equal(DocExtract.Persistence.PersistenceExtensions.ConnectionStringName, name);
                return;
            }
            Assert.True(_sections.TryGetValue(section, out var options), $"compose sets {key}, but no options class reads section {section}");
            Assert.True(options.GetProperty(name, BindingFlags.Public | BindingFlags.Instance)?.CanWrite == true,
                $"compose sets {key}, but {options.Name} has no settable {name}");
        });
    }

    [Theory]
    [InlineData("api.Dockerfile")]
    [InlineData("worker.Dockerfile")]
    public void Every_file_a_dockerfile_copies_from_the_checkout_exists(string dockerfile)
    {
        var text = File.ReadAllText(Path.Combine(_compose, dockerfile));
        Assert.Contains(dockerfile, File.ReadAllText(Path.Combine(_compose, "docker-compose.yml")), StringComparison.Ordinal);

        var sources = CopyFromContext().Matches(text).Select(m => m.Groups["source"].Value).Where(s => s != ".").ToList();
        var scripts = Script().Matches(text).Select(m => m.Groups["script"].Value).ToList();
        var projects = Publish().Matches(text).Select(m => m.Groups["project"].Value).ToList();

        Assert.All(sources, s => Assert.True(Path.Exists(Path.Combine(Repository.Root, s)), $"{dockerfile} copies {s}, which does not exist"));
        Assert.All(scripts, s => Assert.True(File.Exists(Path.Combine(Repository.Root, s)), $"{dockerfile} runs {s}, which does not exist"));
        Assert.NotEmpty(projects);
        Assert.All(projects, p => Assert.True(Directory.Exists(Path.Combine(Repository.Root, p)), $"{dockerfile} publishes {p}, which does not exist"));
    }

    [GeneratedRegex(@"^\s+(?<key>[A-Za-z]+__[A-Za-z]+):", RegexOptions.Multiline)]
    private static partial Regex Setting();

    [GeneratedRegex(@"^COPY (?!--from)(?<source>\S+) ", RegexOptions.Multiline)]
    private static partial Regex CopyFromContext();

    [GeneratedRegex(@"(?<script>scripts/[\w.-]+\.sh)")]
    private static partial Regex Script();

    [GeneratedRegex(@"dotnet publish (?<project>\S+)")]
    private static partial Regex Publish();
}
