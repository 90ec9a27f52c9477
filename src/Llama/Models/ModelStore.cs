using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using DocExtract.Llama.Interop;

namespace DocExtract.Llama.Models;

/// <summary>What the models folder knows of a model: its <c>&lt;name&gt;.json</c> beside the file.</summary>
/// <param name="Sha256">Lowercase hex SHA-256 of the file, computed (and, where one was given, checked) when it came in.</param>
/// <param name="Source">Where it came from: the URL, <c>ollama:name:tag</c>, or the imported path.</param>
/// <param name="Path">Null for a file in the folder (<c>&lt;name&gt;.gguf</c>); the absolute path of a file left where it was.</param>
public sealed record ModelRecord(string Sha256, long Size, string Source, DateTimeOffset Added, string? Path = null);

/// <summary>A model of the folder: its name, the file it stands for, and its record (null for a .gguf put there by hand).</summary>
public sealed record StoredModel(string Name, string File, ModelRecord? Record)
{
    public bool IsReference => Record?.Path is not null;
}

/// <summary>How a model's file got into the folder.</summary>
public enum Placement
{
    /// <summary>A finished download renamed into place.</summary>
    Moved,

    /// <summary>A hard link: a second name for the same bytes, no copy.</summary>
    Linked,

    /// <summary>Only the record, pointing at the file where it is (another file system, or not ours to link).</summary>
    Referenced,

    /// <summary>The file was already <c>&lt;name&gt;.gguf</c> in the folder; only the record was written.</summary>
    InPlace,
}

/// <summary>
/// The models folder (issue #11): <c>&lt;name&gt;.gguf</c> and its record <c>&lt;name&gt;.json</c>, or the record
/// alone where it points at a file elsewhere; <c>.partial/</c> holds downloads in progress. The one place that turns
/// a model name into a file, for <c>models</c>, the worker and <c>extract</c> alike.
/// </summary>
public sealed partial class ModelStore(string directory)
{
    /// <summary>Where models live unless Llm:ModelsDirectory says otherwise (scripts/ use .data/models of the checkout).</summary>
    public const string DefaultDirectory = "/var/lib/docextract/models";

    private const int Eexist = 17;
    private const int Exdev = 18;
    private const int Eperm = 1;

    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string Directory { get; } = System.IO.Path.GetFullPath(directory);

    /// <summary>Downloads in progress: same file system as the models, so finishing one is a rename.</summary>
    public string PartialDirectory => System.IO.Path.Combine(Directory, ".partial");

    /// <summary>A value with a '/' or ending in .gguf is a path; anything else is a name.</summary>
    public static bool IsPath(string value) =>
        value.Contains('/', StringComparison.Ordinal) || value.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase);

    public static bool IsValidName(string name) =>
        NamePattern().IsMatch(name) && !name.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase)
        && !name.EndsWith(".json", StringComparison.OrdinalIgnoreCase);

    public static void RequireValidName(string name)
    {
        if (!IsValidName(name))
        {
            throw new ArgumentException(
                $"'{name}' is not a model name: letters, digits and . _ : + - (starting with a letter or digit, at most 128, not ending .gguf or .json)");
        }
    }

    /// <summary>The file <paramref name="nameOrPath"/> stands for: a path made absolute, or a name's file; null for an unknown name.</summary>
    public string? Resolve(string nameOrPath) =>
        IsPath(nameOrPath) ? System.IO.Path.GetFullPath(nameOrPath)
        : IsValidName(nameOrPath) ? Get(nameOrPath)?.File
        : null;

    public StoredModel? Get(string name)
    {
        RequireValidName(name);
        var record = ReadRecord(name);
        var file = record?.Path ?? GgufPath(name);
        return record is not null || File.Exists(file) ? new StoredModel(name, file, record) : null;
    }

    /// <summary>Every model of the folder, by name: those with a record and any .gguf put there by hand.</summary>
    public IReadOnlyList<StoredModel> List()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        return [.. System.IO.Directory.EnumerateFiles(Directory, "*.json").Concat(System.IO.Directory.EnumerateFiles(Directory, "*.gguf"))
            .Select(System.IO.Path.GetFileNameWithoutExtension)
            .OfType<string>()
            .Where(IsValidName)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(Get)
            .OfType<StoredModel>()];
    }

    public bool Exists(string name) => File.Exists(RecordPath(name)) || File.Exists(GgufPath(name));

    /// <summary>
    /// Brings <paramref name="file"/> in as <paramref name="name"/>. With <paramref name="move"/> (a checked download)
    /// it is renamed into place; otherwise hard-linked, or referenced where a link is not possible. Never copies.
    /// </summary>
    public (StoredModel Model, Placement Placement, string? Why) Add(string name, string file, string sha256, string source, bool move)
    {
        RequireValidName(name);
        System.IO.Directory.CreateDirectory(Directory);
        var full = System.IO.Path.GetFullPath(file);
        var target = GgufPath(name);
        // A .gguf put into the folder by hand is taken as it is: only its record is missing.
        var inPlace = !move && full == target;
        if (File.Exists(RecordPath(name)) || (!inPlace && File.Exists(target)))
        {
            throw new InvalidOperationException($"a model named '{name}' is already in {Directory}: `models rm {name}` first, or choose another --name");
        }

        var size = new FileInfo(full).Length;
        var (placement, why, path) = move ? (Placement.Moved, null, null)
            : inPlace ? (Placement.InPlace, null, null)
            : NativeMethods.HardLink(full, target) switch
            {
                0 => (Placement.Linked, (string?)null, (string?)null),
                Eexist => throw new InvalidOperationException($"a model named '{name}' is already in {Directory}"),
                Exdev => (Placement.Referenced, "it is on another file system than the models folder", full),
                Eperm => (Placement.Referenced, "the system does not allow a hard link to it (another user's file, fs.protected_hardlinks)", full),
                var errno => (Placement.Referenced, $"a hard link failed (errno {errno})", full),
            };
        if (move)
        {
            File.Move(full, target);
        }

        var record = new ModelRecord(sha256, size, source, DateTimeOffset.UtcNow, path);
        WriteRecord(name, record);
        return (new StoredModel(name, path ?? target, record), placement, why);
    }

    /// <summary>Removes the name, its record and any download in progress; a referenced file elsewhere is left alone.</summary>
    public IReadOnlyList<string> Remove(string name)
    {
        RequireValidName(name);
        var removed = new List<string>();
        foreach (var path in new[] { RecordPath(name), GgufPath(name), PartialFile(name), PartialState(name) })
        {
            if (File.Exists(path))
            {
                File.Delete(path);
                removed.Add(path);
            }
        }

        return removed;
    }

    public string GgufPath(string name) => System.IO.Path.Combine(Directory, name + ".gguf");

    public string PartialFile(string name) => System.IO.Path.Combine(PartialDirectory, name + ".gguf");

    /// <summary>What a resumed download must match (its URL, expected checksum, the server's validator).</summary>
    public string PartialState(string name) => System.IO.Path.Combine(PartialDirectory, name + ".json");

    /// <summary>Lowercase hex SHA-256 of a file, read in 1 MiB blocks.</summary>
    public static async Task<string> Sha256Async(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }

    private string RecordPath(string name) => System.IO.Path.Combine(Directory, name + ".json");

    private ModelRecord? ReadRecord(string name)
    {
        var path = RecordPath(name);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<ModelRecord>(File.ReadAllBytes(path), _json)
                ?? throw new JsonException("it holds null");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a model record ({e.Message}): remove it with `models rm {name}`", e);
        }
    }

    // Written beside and renamed, so a reader never sees half a record.
    private void WriteRecord(string name, ModelRecord record)
    {
        var path = RecordPath(name);
        var temporary = System.IO.Path.Combine(Directory, $".{name}.{Environment.ProcessId}.tmp");
        File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(record, _json));
        File.Move(temporary, path, overwrite: true);
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._:+-]{0,127}$")]
    private static partial Regex NamePattern();
}
