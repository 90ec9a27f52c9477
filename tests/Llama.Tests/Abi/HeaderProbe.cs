using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using DocExtract.TestSupport;

namespace DocExtract.Llama.Tests.Abi;

/// <summary>
/// What the C compiler says about llama.h: a C program is generated from the C# layouts (one offsetof per C#
/// field, one printf per C# enum member), compiled with cc against .tools/llama.cpp, and run. A field or member
/// that no longer exists in the header is a compile error, which fails the test with the compiler's message.
/// </summary>
internal sealed partial class HeaderProbe
{
    private HeaderProbe(Dictionary<string, long> values) => Values = values;

    /// <summary>"size S", "offset S.f", "fieldsize S.f", "enum E.M" → the number C printed.</summary>
    public Dictionary<string, long> Values { get; }

    public static HeaderProbe Run()
    {
        var tools = RepositoryLayout.LlamaCppTools;
        var source = new StringBuilder("""
            #include <stddef.h>
            #include <stdio.h>
            #include "llama.h"

            int main(void) {

            """);
        foreach (var type in NativeLayout.Structs)
        {
            source.AppendLine(CultureInfo.InvariantCulture, $"    printf(\"size {type.Name} %zu\\n\", sizeof(struct {type.Name}));");
            foreach (var field in NativeLayout.Fields(type))
            {
                var member = $"struct {type.Name}, {field.Name}";
                source.AppendLine(CultureInfo.InvariantCulture, $"    printf(\"offset {type.Name}.{field.Name} %zu\\n\", offsetof({member}));");
                source.AppendLine(CultureInfo.InvariantCulture,
                    $"    printf(\"fieldsize {type.Name}.{field.Name} %zu\\n\", sizeof(((struct {type.Name} *)0)->{field.Name}));");
            }
        }

        foreach (var type in NativeLayout.Enums)
        {
            foreach (var name in Enum.GetNames(type))
            {
                source.AppendLine(CultureInfo.InvariantCulture, $"    printf(\"enum {type.Name}.{name} %lld\\n\", (long long){name});");
            }
        }

        source.AppendLine("    return 0;\n}");

        var work = Directory.CreateTempSubdirectory("docextract-abi-");
        try
        {
            var program = Path.Combine(work.FullName, "abi.c");
            var binary = Path.Combine(work.FullName, "abi");
            File.WriteAllText(program, source.ToString());
            Execute("cc", ["-std=c11", "-Wall", "-I", Path.Combine(tools, "include"), "-I", Path.Combine(tools, "ggml", "include"), program, "-o", binary]);
            var values = new Dictionary<string, long>();
            foreach (var line in Execute(binary, []).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var split = line.LastIndexOf(' ');
                values[line[..split]] = long.Parse(line[(split + 1)..], CultureInfo.InvariantCulture);
            }

            return new HeaderProbe(values);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    /// <summary>
    /// The field names of <c>struct <paramref name="name"/></c> in llama.h, in order. The compiler cannot list a
    /// struct's fields, and a field added where padding was would change neither the size nor any offset, so the
    /// declaration is read from the header text (the bound structs have plain one-name declarations).
    /// </summary>
    public static IReadOnlyList<string> DeclaredFields(string name)
    {
        var header = File.ReadAllText(Path.Combine(RepositoryLayout.LlamaCppTools, "include", "llama.h"));
        header = Comments().Replace(header, " ");
        var start = Regex.Match(header, @"struct\s+" + Regex.Escape(name) + @"\s*\{");
        if (!start.Success)
        {
            throw new InvalidOperationException($"llama.h no longer defines struct {name}");
        }

        var body = header[(start.Index + start.Length)..header.IndexOf('}', start.Index)];
        return body.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(declaration => LastIdentifier().Match(declaration).Groups[1].Value)
            .ToList();
    }

    private static string Execute(string file, string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        arguments.ToList().ForEach(start.ArgumentList.Add);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0
            ? output.Result
            : throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}):\n{errors}{output.Result}");
    }

    [GeneratedRegex(@"//[^\n]*|/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex Comments();

    [GeneratedRegex(@"([A-Za-z_][A-Za-z0-9_]*)\s*(\[[^\]]*\])?\s*$")]
    private static partial Regex LastIdentifier();
}
