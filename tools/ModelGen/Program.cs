using DocExtract.TestSupport;

// modelgen --out FILE [--size tiny|benchmark]: a llama-architecture GGUF with random weights and a real 32k
// tokenizer. Its answers are noise, but the schema's grammar still shapes them: enough to see the service work
// end to end on a machine without model weights.
string? output = null;
var spec = TestModelSpec.Tiny;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--out" when i + 1 < args.Length: output = args[++i]; break;
        case "--size" when i + 1 < args.Length:
            spec = args[++i] switch
            {
                "tiny" => TestModelSpec.Tiny,
                "benchmark" => TestModelSpec.Benchmark,
                var other => throw new ArgumentException($"unknown size '{other}': tiny or benchmark"),
            };
            break;
        default:
            Console.Error.WriteLine("usage: modelgen --out FILE [--size tiny|benchmark]");
            return 2;
    }
}
if (output is null)
{
    Console.Error.WriteLine("usage: modelgen --out FILE [--size tiny|benchmark]");
    return 2;
}
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
TestModels.Write(spec, output);
Console.WriteLine(output);
return 0;
