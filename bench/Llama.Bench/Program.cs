using DocExtract.Llama;
using DocExtract.Llama.Bench;
using DocExtract.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

LlamaBackend.Initialize(new LlamaBackendOptions { NativeDirectory = RepositoryLayout.NativeDirectory }, NullLogger.Instance);
Console.WriteLine($"backend: {LlamaBackend.Current.Backend}, cpu variant {LlamaBackend.Current.CpuVariant}, {Environment.ProcessorCount} cores");

var benchmark = args.FirstOrDefault() ?? "threads";
switch (benchmark)
{
    case "threads":
        ThreadScaling.Run(args.Skip(1).ToArray());
        break;
    default:
        Console.Error.WriteLine($"unknown benchmark '{benchmark}'; known: threads");
        return 2;
}

return 0;
