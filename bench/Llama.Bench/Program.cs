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
    default:
        Console.Error.WriteLine($"unknown benchmark '{benchmark}'; known: threads, peer, batching, sampling");
        return 2;
}
