using System.Text;

namespace DocExtract.TestSupport.Gguf;

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

/// <summary>Reads GGUF v2/v3 (format: ggml/docs/gguf.md in the llama.cpp source, little-endian).</summary>
public static class GgufReader
{
    internal const uint Magic = 0x46554747; // "GGUF"

    public static GgufDocument Read(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        if (reader.ReadUInt32() != Magic)
        {
            throw new InvalidDataException($"{path} is not a GGUF file");
        }

        var version = reader.ReadUInt32();
        if (version is < 2 or > 3)
        {
            throw new InvalidDataException($"{path}: GGUF version {version} is not supported");
        }

        var tensorCount = checked((int)reader.ReadUInt64());
        var metadataCount = checked((int)reader.ReadUInt64());
        var metadata = new List<KeyValuePair<string, GgufValue>>(metadataCount);
        for (var i = 0; i < metadataCount; i++)
        {
            var key = ReadString(reader);
            var type = (GgufValueType)reader.ReadUInt32();
            metadata.Add(new(key, ReadValue(reader, type)));
        }

        var tensors = new List<GgufTensorInfo>(tensorCount);
        for (var i = 0; i < tensorCount; i++)
        {
            var name = ReadString(reader);
            var dimensions = new long[reader.ReadUInt32()];
            for (var d = 0; d < dimensions.Length; d++)
            {
                dimensions[d] = checked((long)reader.ReadUInt64());
            }

            tensors.Add(new GgufTensorInfo(name, dimensions, (GgmlType)reader.ReadUInt32(), checked((long)reader.ReadUInt64())));
        }

        var alignment = metadata.FirstOrDefault(kv => kv.Key == "general.alignment").Value?.As<uint>() ?? 32;
        var dataOffset = (stream.Position + alignment - 1) / alignment * alignment;
        return new GgufDocument(version, metadata, tensors, dataOffset);
    }

    private static string ReadString(BinaryReader reader)
    {
        var length = checked((int)reader.ReadUInt64());
        return Encoding.UTF8.GetString(reader.ReadBytes(length));
    }

    private static GgufValue ReadValue(BinaryReader reader, GgufValueType type)
    {
        if (type != GgufValueType.Array)
        {
            return new GgufValue(type, ReadScalar(reader, type));
        }

        var elementType = (GgufValueType)reader.ReadUInt32();
        var count = checked((int)reader.ReadUInt64());
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
            GgufValueType.String => Fill(count, () => ReadString(reader)),
            GgufValueType.UInt64 => Fill(count, reader.ReadUInt64),
            GgufValueType.Int64 => Fill(count, reader.ReadInt64),
            GgufValueType.Float64 => Fill(count, reader.ReadDouble),
            _ => throw new InvalidDataException($"GGUF arrays of {elementType} are not supported"),
        };
        return GgufValue.Array(elementType, items);
    }

    private static object ReadScalar(BinaryReader reader, GgufValueType type) => type switch
    {
        GgufValueType.UInt8 => reader.ReadByte(),
        GgufValueType.Int8 => reader.ReadSByte(),
        GgufValueType.UInt16 => reader.ReadUInt16(),
        GgufValueType.Int16 => reader.ReadInt16(),
        GgufValueType.UInt32 => reader.ReadUInt32(),
        GgufValueType.Int32 => reader.ReadInt32(),
        GgufValueType.Float32 => reader.ReadSingle(),
        GgufValueType.Bool => reader.ReadByte() != 0,
        GgufValueType.String => ReadString(reader),
        GgufValueType.UInt64 => reader.ReadUInt64(),
        GgufValueType.Int64 => reader.ReadInt64(),
        GgufValueType.Float64 => reader.ReadDouble(),
        _ => throw new InvalidDataException($"unknown GGUF value type {(uint)type}"),
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
