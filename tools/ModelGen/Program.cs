using DocExtract.Llama.Models;

// modelgen --out FILE [--size tiny|benchmark]: a llama-architecture GGUF with random weights and a real 32k
// tokenizer. Its answers are noise, but the schema's grammar still shapes them: enough to see the service work
// end to end on a machine without model weights.
string? output = null;
var spec = RandomModelSpec.Tiny;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--out" when i + 1 < args.Length: output = args[++i]; break;
        case "--size" when i + 1 < args.Length:
            spec = args[++i] switch
            {
                "tiny" => RandomModelSpec.Tiny,
                "benchmark" => RandomModelSpec.Benchmark,
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
// The tokenizer is copied from llama.cpp's vocab-only files, which scripts/fetch-llama.sh puts in the checkout.
var vocabDirectory = VocabDirectory();
if (!File.Exists(Path.Combine(vocabDirectory, spec.VocabFile)))
{
    Console.Error.WriteLine($"modelgen: {Path.Combine(vocabDirectory, spec.VocabFile)} is missing: run scripts/fetch-llama.sh");
    return 1;
}

Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
RandomModel.Write(spec, vocabDirectory, output);
Console.WriteLine(output);
return 0;

// .tools/llama.cpp/models of the checkout this tool was built in (it runs from tools/ModelGen/bin/...).
static string VocabDirectory()
{
    var models = Path.Combine(".tools", "llama.cpp", "models");
    for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
    {
        if (File.Exists(Path.Combine(folder.FullName, "DocExtract.sln")))
        {
            return Path.Combine(folder.FullName, models);
        }
    }

    return Path.GetFullPath(models);
}
