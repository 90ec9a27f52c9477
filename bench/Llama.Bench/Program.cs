using DocExtract.Llama.Bench;

var benchmark = args.FirstOrDefault() ?? "threads";
switch (benchmark)
{
    case "threads":
        Console.WriteLine(BenchBackend.Initialize());
        ThreadScaling.Run(args.Skip(1).ToArray());
        return 0;
    case "peer":
        return PeerComparison.Run(args.Skip(1).ToArray());
    case "batching":
        return Batching.Run(args.Skip(1).ToArray());
    case "sampling":
        return SamplingOverhead.Run(args.Skip(1).ToArray());
    case "model":
        // The path of a generated model, written on first use (bench/cascade.sh's two tiers, #12).
        Console.WriteLine(args.ElementAtOrDefault(1) == "tiny" ? DocExtract.TestSupport.TestModels.Tiny : DocExtract.TestSupport.TestModels.Benchmark);
        return 0;
    default:
        Console.Error.WriteLine($"unknown benchmark '{benchmark}'; known: threads, peer, batching, sampling, model tiny|benchmark");
        return 2;
}
