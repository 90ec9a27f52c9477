using System.Buffers.Binary;
using System.Text;

namespace DocExtract.Llama.Gguf;

/// <summary>A GGUF file's header, metadata and tensor directory (the tensor data is left on disk).</summary>
public sealed record GgufDocument(
    uint Version,
    IReadOnlyList<KeyValuePair<string, GgufValue>> Metadata,
    IReadOnlyList<GgufTensorInfo> Tensors,
    long DataOffset)
{
    public GgufValue? Find(string key) => Metadata.FirstOrDefault(kv => kv.Key == key).Value;

    public GgufValue this[string key] => Find(key) ?? throw new KeyNotFoundException($"GGUF metadata has no '{key}'");
}

/// <summary>
/// Reads GGUF v2/v3 (format: ggml/docs/gguf.md in the llama.cpp source, little-endian). Model files come from
/// outside (`models pull`, an Ollama store), so every count and length is checked against the bytes the file has
/// left before anything is allocated: a hostile header fails with <see cref="InvalidDataException"/>, never with
/// an allocation of gigabytes.
/// </summary>
public static class GgufReader
{
    /// <summary>"GGUF" read as a little-endian uint32.</summary>
    public const uint Magic = 0x46554747;

    /// <summary>GGML_MAX_DIMS (ggml.h).</summary>
    private const int MaxDimensions = 4;

    public static GgufDocument Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        try
        {
            return Read(reader, path);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"{path}: the GGUF header ends early (a truncated file?)");
        }
    }

    /// <summary>True when the file starts with the GGUF magic.</summary>
    public static bool HasMagic(ReadOnlySpan<byte> start) =>
        start.Length >= 4 && BinaryPrimitives.ReadUInt32LittleEndian(start) == Magic;

    private static GgufDocument Read(BinaryReader reader, string path)
    {
        var stream = reader.BaseStream;
        if (stream.Length < 4 || reader.ReadUInt32() != Magic)
        {
            throw new InvalidDataException($"{path} is not a GGUF file");
        }

        var version = reader.ReadUInt32();
        if (version is < 2 or > 3)
        {
            throw new InvalidDataException($"{path}: GGUF version {version} is not supported");
        }

        var tensorCount = Count(reader, path, "tensor count");
        var metadataCount = Count(reader, path, "metadata count");
        var metadata = new List<KeyValuePair<string, GgufValue>>(metadataCount);
        for (var i = 0; i < metadataCount; i++)
        {
            var key = ReadString(reader, path);
            var type = (GgufValueType)reader.ReadUInt32();
            metadata.Add(new(key, ReadValue(reader, type, path)));
        }

        var tensors = new List<GgufTensorInfo>(tensorCount);
        for (var i = 0; i < tensorCount; i++)
        {
            var name = ReadString(reader, path);
            var dimensionCount = reader.ReadUInt32();
            if (dimensionCount > MaxDimensions)
            {
                throw new InvalidDataException($"{path}: tensor '{name}' has {dimensionCount} dimensions (at most {MaxDimensions})");
            }

            var dimensions = new long[dimensionCount];
            for (var d = 0; d < dimensions.Length; d++)
            {
                dimensions[d] = checked((long)reader.ReadUInt64());
            }

            tensors.Add(new GgufTensorInfo(name, dimensions, (GgmlType)reader.ReadUInt32(), checked((long)reader.ReadUInt64())));
        }

        var alignment = metadata.FirstOrDefault(kv => kv.Key == "general.alignment").Value?.Value as uint? ?? 32;
        if (alignment == 0)
        {
            throw new InvalidDataException($"{path}: general.alignment is 0");
        }

        var dataOffset = (stream.Position + alignment - 1) / alignment * alignment;
        return new GgufDocument(version, metadata, tensors, dataOffset);
    }

    /// <summary>A count of items that each take at least one byte: more than the bytes left is a lie.</summary>
    private static int Count(BinaryReader reader, string path, string what)
    {
        var count = reader.ReadUInt64();
        var left = reader.BaseStream.Length - reader.BaseStream.Position;
        if (count > (ulong)left || count > int.MaxValue)
        {
            throw new InvalidDataException($"{path}: the GGUF {what} {count} exceeds what the file holds");
        }

        return (int)count;
    }

    private static string ReadString(BinaryReader reader, string path) =>
        Encoding.UTF8.GetString(reader.ReadBytes(Count(reader, path, "string length")));

    private static GgufValue ReadValue(BinaryReader reader, GgufValueType type, string path)
    {
        if (type != GgufValueType.Array)
        {
            return new GgufValue(type, ReadScalar(reader, type, path));
        }

        var elementType = (GgufValueType)reader.ReadUInt32();
        var count = Count(reader, path, "array length");
        Array items = elementType switch
        {
            GgufValueType.UInt8 => reader.ReadBytes(count),
            GgufValueType.Int8 => Fill(count, () => reader.ReadSByte()),
            GgufValueType.UInt16 => Fill(count, reader.ReadUInt16),
            GgufValueType.Int16 => Fill(count, reader.ReadInt16),
            GgufValueType.UInt32 => Fill(count, reader.ReadUInt32),
            GgufValueType.Int32 => Fill(count, reader.ReadInt32),
            GgufValueType.Float32 => Fill(count, reader.ReadSingle),
            GgufValueType.Bool => Fill(count, () => reader.ReadByte() != 0),
            GgufValueType.String => Fill(count, () => ReadString(reader, path)),
            GgufValueType.UInt64 => Fill(count, reader.ReadUInt64),
            GgufValueType.Int64 => Fill(count, reader.ReadInt64),
            GgufValueType.Float64 => Fill(count, reader.ReadDouble),
            _ => throw new InvalidDataException($"{path}: GGUF arrays of {elementType} are not supported"),
        };
        return GgufValue.Array(elementType, items);
    }

    private static object ReadScalar(BinaryReader reader, GgufValueType type, string path) => type switch
    {
        GgufValueType.UInt8 => reader.ReadByte(),
        GgufValueType.Int8 => reader.ReadSByte(),
        GgufValueType.UInt16 => reader.ReadUInt16(),
        GgufValueType.Int16 => reader.ReadInt16(),
        GgufValueType.UInt32 => reader.ReadUInt32(),
        GgufValueType.Int32 => reader.ReadInt32(),
        GgufValueType.Float32 => reader.ReadSingle(),
        GgufValueType.Bool => reader.ReadByte() != 0,
        GgufValueType.String => ReadString(reader, path),
        GgufValueType.UInt64 => reader.ReadUInt64(),
        GgufValueType.Int64 => reader.ReadInt64(),
        GgufValueType.Float64 => reader.ReadDouble(),
        _ => throw new InvalidDataException($"{path}: unknown GGUF value type {(uint)type}"),
    };

    private static T[] Fill<T>(int count, Func<T> read)
    {
        var items = new T[count];
        for (var i = 0; i < count; i++)
        {
            items[i] = read();
        }

        return items;
    }
}
