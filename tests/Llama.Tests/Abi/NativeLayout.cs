using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using DocExtract.Llama.Interop;

namespace DocExtract.Llama.Tests.Abi;

/// <summary>The interop structs and enums of DocExtract.Llama as the CLR lays them out, found by reflection.</summary>
internal static class NativeLayout
{
    private static readonly Assembly _binding = typeof(NativeMethods).Assembly;

    /// <summary>Every struct passed to llama.cpp: the value types named like C types in the Interop namespace.</summary>
    public static IReadOnlyList<Type> Structs { get; } = InteropTypes().Where(t => !t.IsEnum).ToList();

    public static IReadOnlyList<Type> Enums { get; } = InteropTypes().Where(t => t.IsEnum).ToList();

    public static IReadOnlyList<FieldInfo> Fields(Type type) =>
        type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);

    public static int SizeOf(Type type) =>
        type.IsPointer || type.IsFunctionPointer
            ? IntPtr.Size
            : (int)typeof(Unsafe).GetMethod(nameof(Unsafe.SizeOf))!.MakeGenericMethod(type).Invoke(null, null)!;

    public static int OffsetOf(Type type, FieldInfo field) => (int)Marshal.OffsetOf(type, field.Name);

    private static IEnumerable<Type> InteropTypes() => _binding.GetTypes()
        .Where(t => t.IsValueType && t.Namespace == typeof(NativeMethods).Namespace)
        .Where(t => t.Name.StartsWith("llama_", StringComparison.Ordinal) || t.Name.StartsWith("ggml_", StringComparison.Ordinal))
        .OrderBy(t => t.Name, StringComparer.Ordinal);
}
