using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace DocExtract.Llama.Gguf;

/// <summary>
/// Writes GGUF v3. Tensor data is produced by a callback in chunks of float32 and converted to the tensor's type
/// as it is written, so a model of any size is written without holding its weights in memory.
/// </summary>
public sealed class GgufWriter
{
    /// <summary>Fills the next chunk of a tensor's elements, in storage order.</summary>
    public delegate void TensorFill(Span<float> destination);

    private readonly List<KeyValuePair<string, GgufValue>> _metadata = [];
    private readonly List<(string Name, long[] Dimensions, GgmlType Type, TensorFill Fill)> _tensors = [];

    public uint Alignment { get; init; } = 32;

    public GgufWriter Add(string key, GgufValue value)
    {
        _metadata.RemoveAll(kv => kv.Key == key);
        _metadata.Add(new(key, value));
        return this;
    }

    public GgufWriter AddTensor(string name, GgmlType type, long[] dimensions, TensorFill fill)
    {
        if (_tensors.Any(t => t.Name == name))
        {
            throw new ArgumentException($"tensor '{name}' was already added", nameof(name));
        }

        _tensors.Add((name, dimensions, type, fill));
        return this;
    }

    public void WriteTo(string path)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        WriteTo(stream);
    }

    public void WriteTo(Stream stream)
    {
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        var metadata = _metadata.Where(kv => kv.Key != "general.alignment")
            .Prepend(new("general.alignment", GgufValue.UInt32(Alignment)))
            .ToList();
        writer.Write(GgufReader.Magic);
        writer.Write(3u);
        writer.Write((ulong)_tensors.Count);
        writer.Write((ulong)metadata.Count);
        foreach (var (key, value) in metadata)
        {
            WriteString(writer, key);
            writer.Write((uint)value.Type);
            WriteValue(writer, value);
        }

        var offset = 0L;
        var offsets = new List<long>(_tensors.Count);
        foreach (var (name, dimensions, type, _) in _tensors)
        {
            WriteString(writer, name);
            writer.Write((uint)dimensions.Length);
            foreach (var dimension in dimensions)
            {
                writer.Write((ulong)dimension);
            }

            writer.Write((uint)type);
            writer.Write((ulong)offset);
            offsets.Add(offset);
            offset = Align(offset + new GgufTensorInfo(name, dimensions, type, 0).ByteSize);
        }

        Pad(writer);
        var dataStart = writer.BaseStream.Position;
        for (var i = 0; i < _tensors.Count; i++)
        {
            Pad(writer, dataStart + offsets[i] - writer.BaseStream.Position);
            var (_, dimensions, type, fill) = _tensors[i];
            WriteTensorData(writer, dimensions.Aggregate(1L, (a, b) => a * b), type, fill);
        }

        Pad(writer);
    }

    private static void WriteTensorData(BinaryWriter writer, long count, GgmlType type, TensorFill fill)
    {
        const int chunk = 64 * 1024;
        var floats = ArrayPool<float>.Shared.Rent(chunk);
        var halves = ArrayPool<Half>.Shared.Rent(chunk);
        try
        {
            for (var done = 0L; done < count; done += chunk)
            {
                var span = floats.AsSpan(0, (int)Math.Min(chunk, count - done));
                fill(span);
                if (type == GgmlType.F32)
                {
                    writer.Write(MemoryMarshal.AsBytes(span));
                }
                else
                {
                    var half = halves.AsSpan(0, span.Length);
                    for (var i = 0; i < span.Length; i++)
                    {
                        half[i] = (Half)span[i];
                    }

                    writer.Write(MemoryMarshal.AsBytes(half));
                }
            }
        }
        finally
        {
            ArrayPool<Half>.Shared.Return(halves);
            ArrayPool<float>.Shared.Return(floats);
        }
    }

    private static void WriteString(BinaryWriter writer, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        writer.Write((ulong)bytes.Length);
        writer.Write(bytes);
    }

    private static void WriteValue(BinaryWriter writer, GgufValue value)
    {
        if (value.Type != GgufValueType.Array)
        {
            WriteScalar(writer, value.Type, value.Value);
            return;
        }

        var items = (Array)value.Value;
        writer.Write((uint)value.ElementType);
        writer.Write((ulong)items.Length);
        foreach (var item in items)
        {
            WriteScalar(writer, value.ElementType, item!);
        }
    }

    private static void WriteScalar(BinaryWriter writer, GgufValueType type, object value)
    {
        switch (type)
        {
            case GgufValueType.UInt8: writer.Write(Convert.ToByte(value, CultureInfo.InvariantCulture)); break;
            case GgufValueType.Int8: writer.Write(Convert.ToSByte(value, CultureInfo.InvariantCulture)); break;
            case GgufValueType.UInt16: writer.Write(Convert.ToUInt16(value, CultureInfo.InvariantCulture)); break;
            case GgufValueType.Int16: writer.Write(Convert.ToInt16(value, CultureInfo.InvariantCulture)); break;
            case GgufValueType.UInt32: writer.Write(Convert.ToUInt32(value, CultureInfo.InvariantCulture)); break;
            case GgufValueType.Int32: writer.Write(Convert.ToInt32(value, CultureInfo.InvariantCulture)); break;
            case GgufValueType.Float32: writer.Write(Convert.ToSingle(value, CultureInfo.InvariantCulture)); break;
            case GgufValueType.Bool: writer.Write((byte)((bool)value ? 1 : 0)); break;
            case GgufValueType.String: WriteString(writer, (string)value); break;
            case GgufValueType.UInt64: writer.Write(Convert.ToUInt64(value, CultureInfo.InvariantCulture)); break;
            case GgufValueType.Int64: writer.Write(Convert.ToInt64(value, CultureInfo.InvariantCulture)); break;
            case GgufValueType.Float64: writer.Write(Convert.ToDouble(value, CultureInfo.InvariantCulture)); break;
            default: throw new NotSupportedException($"cannot write a GGUF {type} as a scalar");
        }
    }

    private long Align(long offset) => (offset + Alignment - 1) / Alignment * Alignment;

    private void Pad(BinaryWriter writer) => Pad(writer, Align(writer.BaseStream.Position) - writer.BaseStream.Position);

    private static void Pad(BinaryWriter writer, long count)
    {
        for (var i = 0L; i < count; i++)
        {
            writer.Write((byte)0);
        }
    }
}
