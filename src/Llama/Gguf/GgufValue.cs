namespace DocExtract.Llama.Gguf;

/// <summary>GGUF metadata value types (gguf-py/gguf/constants.py, GGUFValueType).</summary>
public enum GgufValueType : uint
{
    UInt8 = 0,
    Int8 = 1,
    UInt16 = 2,
    Int16 = 3,
    UInt32 = 4,
    Int32 = 5,
    Float32 = 6,
    Bool = 7,
    String = 8,
    Array = 9,
    UInt64 = 10,
    Int64 = 11,
    Float64 = 12,
}

/// <summary>
/// Tensor element types (ggml.h, enum ggml_type). Only the two that the test models' writer produces are named;
/// a quantised model's tensors hold other values, which the reader keeps as they are.
/// </summary>
public enum GgmlType : uint
{
    F32 = 0,
    F16 = 1,
}

/// <summary>
/// One metadata value. Scalars are held as their CLR type (uint, float, string, bool...); arrays as a typed CLR
/// array (string[], float[], int[]...) with <see cref="ElementType"/> saying how each element is encoded.
/// </summary>
public sealed record GgufValue(GgufValueType Type, object Value, GgufValueType ElementType = GgufValueType.UInt8)
{
    public static GgufValue String(string value) => new(GgufValueType.String, value);

    public static GgufValue UInt32(uint value) => new(GgufValueType.UInt32, value);

    public static GgufValue Int32(int value) => new(GgufValueType.Int32, value);

    public static GgufValue Float32(float value) => new(GgufValueType.Float32, value);

    public static GgufValue Bool(bool value) => new(GgufValueType.Bool, value);

    public static GgufValue Array(GgufValueType elementType, System.Array items) => new(GgufValueType.Array, items, elementType);

    public T As<T>() => Value is T typed
        ? typed
        : throw new InvalidCastException($"GGUF value of type {Type} holds {Value.GetType().Name}, not {typeof(T).Name}");

    public override string ToString() => Type == GgufValueType.Array
        ? $"{ElementType}[{((System.Array)Value).Length}]"
        : $"{Type} {Value}";
}

/// <summary>A tensor's directory entry: dimensions in ggml order (ne[0] is the contiguous one).</summary>
public sealed record GgufTensorInfo(string Name, IReadOnlyList<long> Dimensions, GgmlType Type, long Offset)
{
    public long ElementCount => Dimensions.Aggregate(1L, (a, b) => a * b);

    /// <summary>Bytes of an F32 or F16 tensor; quantised types pack elements in blocks whose sizes this reader does not know.</summary>
    public long ByteSize => Type switch
    {
        GgmlType.F32 => ElementCount * 4,
        GgmlType.F16 => ElementCount * 2,
        _ => throw new NotSupportedException($"the byte size of ggml type {(uint)Type} tensors is not known here"),
    };
}
