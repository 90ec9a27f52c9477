using System.Globalization;
using DocExtract.Llama.Models;

namespace DocExtract.Cli.Models;

/// <summary>The parsed command line of `models`: a verb, its one target and --options, checked before any work.</summary>
internal sealed class Arguments
{
    private static readonly Dictionary<string, string[]> _optionsByVerb = new()
    {
        ["pull"] = ["sha256", "name", "retries", "stall-seconds", "models-dir"],
        ["import"] = ["sha256", "name", "models-dir"],
        ["import-ollama"] = ["name", "models-dir"],
        ["list"] = ["json", "models-dir"],
        ["rm"] = ["models-dir"],
    };

    private static readonly string[] _flags = ["json"];

    private readonly Dictionary<string, string> _options = [];

    private Arguments(string verb) => Verb = verb;

    public string Verb { get; }

    public string Target { get; private set; } = "";

    /// <summary>The model's name: --name, else made from the target.</summary>
    public string? Name { get; private set; }

    public string? Sha256 => Option("sha256");

    public string? Option(string name) => _options.GetValueOrDefault(name);

    public bool Flag(string name) => _options.ContainsKey(name);

    public int Number(string name, int fallback) => Option(name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    public static bool TryParse(string[] args, out Arguments parsed, out string? problem)
    {
        parsed = new Arguments(args.FirstOrDefault() ?? "");
        problem = null;
        if (args is [] or ["-h" or "--help", ..] || args.Contains("--help") || args.Contains("-h"))
        {
            return false;
        }

        if (!_optionsByVerb.TryGetValue(parsed.Verb, out var allowed))
        {
            problem = $"unknown command '{parsed.Verb}': pull, import-ollama, import, list or rm";
            return false;
        }

        problem = parsed.Read(args[1..], allowed) ?? parsed.Check();
        return problem is null;
    }

    private string? Read(string[] args, string[] allowed)
    {
        var targets = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                targets.Add(args[i]);
                continue;
            }

            var option = args[i][2..];
            if (!allowed.Contains(option))
            {
                return $"{Verb} has no option --{option}";
            }

            if (_flags.Contains(option))
            {
                _options[option] = "";
            }
            else if (i + 1 < args.Length)
            {
                _options[option] = args[++i];
            }
            else
            {
                return $"--{option} needs a value";
            }
        }

        return (Verb, targets.Count) switch
        {
            ("list", 0) => null,
            ("list", _) => "list takes no name",
            (_, 1) => SetTarget(targets[0]),
            (_, 0) => $"{Verb} needs {(Verb == "pull" ? "a URL" : Verb == "import" ? "a file" : "a name")}",
            _ => $"one at a time (got {string.Join(", ", targets)})",
        };
    }

    private string? SetTarget(string target)
    {
        Target = target;
        return null;
    }

    private string? Check()
    {
        if (Sha256 is { } sha256)
        {
            if (sha256.Length != 64 || !sha256.All(Uri.IsHexDigit))
            {
                return $"--sha256 needs 64 hex digits, not '{sha256}'";
            }

            _options["sha256"] = sha256.ToLowerInvariant();
        }

        foreach (var number in new[] { "retries", "stall-seconds" })
        {
            if (Option(number) is { } value && (!int.TryParse(value, CultureInfo.InvariantCulture, out var n) || n < 0 || (n == 0 && number != "retries")))
            {
                return $"--{number} needs a whole number{(number == "retries" ? "" : " above 0")}, not '{value}'";
            }
        }

        if (Verb == "pull")
        {
            if (!Uri.TryCreate(Target, UriKind.Absolute, out var url) || !ModelDownload.IsAllowed(url))
            {
                return $"'{Target}' is not an https:// URL (http:// is accepted for loopback hosts only, for tests)";
            }
        }

        try
        {
            Name = Option("name") ?? Verb switch
            {
                "pull" => WithoutGguf(Uri.UnescapeDataString(new Uri(Target).Segments[^1]).Trim('/')) is { Length: > 0 } fromUrl
                    ? fromUrl
                    : throw new ArgumentException($"{Target} names no file to call the model after: give it a --name"),
                "import" => WithoutGguf(Path.GetFileName(Target)),
                "import-ollama" => OllamaStore.LocalName(Target),
                "rm" => Target,
                _ => null,
            };
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }

        return Name is null || ModelStore.IsValidName(Name)
            ? null
            : $"'{Name}' is not a model name: letters, digits and . _ : + - (give one with --name)";
    }

    private static string WithoutGguf(string file) =>
        file.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase) ? file[..^5] : file;
}
