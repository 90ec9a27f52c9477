using System.Text.Json;
using System.Text.RegularExpressions;

namespace DocExtract.Cli.Models;

/// <summary>
/// An Ollama model store as Ollama lays it out: <c>manifests/&lt;host&gt;/&lt;namespace&gt;/&lt;model&gt;/&lt;tag&gt;</c>
/// holds an OCI-style manifest whose layer of media type <see cref="ModelLayer"/> names, by digest, the GGUF in
/// <c>blobs/sha256-&lt;hex&gt;</c>. Read only: DocExtract never writes into it.
/// </summary>
public sealed partial class OllamaStore(string root)
{
    public const string ModelLayer = "application/vnd.ollama.image.model";

    private const string DefaultHost = "registry.ollama.ai";
    private const string DefaultNamespace = "library";
    private const int MaxManifestBytes = 1 << 20;

    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>OLLAMA_MODELS, else ~/.ollama/models (where `ollama pull` run as this user puts them).</summary>
    public static string DefaultRoot =>
        Environment.GetEnvironmentVariable("OLLAMA_MODELS") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".ollama", "models");

    /// <summary>The model's name as `models` keeps it: Ollama's own <c>model:tag</c>.</summary>
    public static string LocalName(string reference)
    {
        var (_, _, model, tag) = Parse(reference);
        return $"{model}:{tag}";
    }

    /// <summary>The GGUF blob of <c>[host/][namespace/]model[:tag]</c>, its size and SHA-256 as the manifest states them.</summary>
    public (string Blob, long Size, string Sha256) Find(string reference)
    {
        var (host, space, model, tag) = Parse(reference);
        var manifest = Path.Combine(Root, "manifests", host, space, model, tag);
        if (!File.Exists(manifest))
        {
            throw new FileNotFoundException(
                $"no Ollama model {model}:{tag} in {Root} (OLLAMA_MODELS; no {manifest}): `ollama list` shows the models there", manifest);
        }

        if (new FileInfo(manifest).Length > MaxManifestBytes)
        {
            throw new InvalidDataException($"{manifest} is over {MaxManifestBytes} bytes: not an Ollama manifest");
        }

        var layers = ReadModelLayers(manifest);
        if (layers.Count != 1)
        {
            throw new InvalidDataException($"{manifest} has {layers.Count} layers of type {ModelLayer}, not one");
        }

        var (digest, size) = layers[0];
        var hex = Digest().Match(digest) is { Success: true } match
            ? match.Groups["hex"].Value
            : throw new InvalidDataException($"{manifest}: the model layer's digest '{digest}' is not sha256:<64 hex digits>");
        // Ollama names blobs sha256-<hex>; releases before 0.1.34 wrote sha256:<hex>.
        var blob = new[] { $"sha256-{hex}", $"sha256:{hex}" }.Select(file => Path.Combine(Root, "blobs", file)).FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException($"{manifest} names the blob sha256-{hex}, which is not in {Path.Combine(Root, "blobs")}");
        return (blob, size, hex);
    }

    private static List<(string Digest, long Size)> ReadModelLayers(string manifest)
    {
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(manifest));
            return json.RootElement.TryGetProperty("layers", out var layers) && layers.ValueKind == JsonValueKind.Array
                ? [.. layers.EnumerateArray()
                    .Where(layer => layer.TryGetProperty("mediaType", out var type) && type.ValueEquals(ModelLayer))
                    .Select(layer => (layer.GetProperty("digest").GetString() ?? "", layer.GetProperty("size").GetInt64()))]
                : throw new InvalidDataException($"{manifest} has no layers: not an Ollama manifest");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{manifest} is not an Ollama manifest ({e.Message})", e);
        }
    }

    // Each part is one path segment of the store: nothing that could climb out of it (no '/', no "..").
    private static (string Host, string Namespace, string Model, string Tag) Parse(string reference)
    {
        var colon = reference.LastIndexOf(':');
        var (path, tag) = colon > reference.LastIndexOf('/') ? (reference[..colon], reference[(colon + 1)..]) : (reference, "latest");
        var parts = path.Split('/');
        var (host, space, model) = parts switch
        {
            [var m] => (DefaultHost, DefaultNamespace, m),
            [var n, var m] => (DefaultHost, n, m),
            [var h, var n, var m] => (h, n, m),
            _ => throw new ArgumentException($"'{reference}' is not an Ollama model name ([host/][namespace/]model[:tag])"),
        };
        if (!new[] { host, space, model, tag }.All(part => Segment().IsMatch(part)))
        {
            throw new ArgumentException($"'{reference}' is not an Ollama model name ([host/][namespace/]model[:tag], letters, digits and . _ -)");
        }

        return (host, space, model, tag);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")]
    private static partial Regex Segment();

    [GeneratedRegex("^sha256:(?<hex>[0-9a-f]{64})$")]
    private static partial Regex Digest();
}
