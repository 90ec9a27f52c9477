using DocExtract.Llama.Models;
using DocExtract.TestSupport;

namespace DocExtract.Llama.Tests;

/// <summary>
/// Loads llama.cpp and the tiny generated model once for the whole run. Every llama test is in one collection:
/// they share the process-wide backend, and on a 2-core machine running them in parallel would only make each slower.
/// </summary>
public sealed class LlamaFixture : IDisposable
{
    public LlamaFixture()
    {
        Backend = LlamaBackend.Initialize(
            new LlamaBackendOptions { Backend = LlamaBackendKind.Auto, NativeDirectory = RepositoryLayout.NativeDirectory },
            Log);
        ModelPath = TestModels.Tiny;
        Model = LlamaModel.Load(ModelPath);
    }

    /// <summary>Everything llama.cpp and the binding logged, for assertions and for failure messages.</summary>
    public static RecordingLogger Log { get; } = new();

    public LlamaBackendInfo Backend { get; }

    public string ModelPath { get; }

    public LlamaModel Model { get; }

    /// <summary>A small context: prompts in these tests are short, and a small KV cache allocates fast.</summary>
    public LlamaContext CreateContext(int contextSize = 512, int maxSequences = 1) =>
        Model.CreateContext(new LlamaContextOptions { ContextSize = contextSize, BatchSize = 128, MaxSequences = maxSequences });

    /// <summary>Another generated model (another vocabulary, another shape), loaded on the fixture's backend.</summary>
#pragma warning disable CA1822 // an instance method on purpose: having the fixture means the backend is loaded
    public LlamaModel Load(RandomModelSpec spec) => LlamaModel.Load(TestModels.GetOrCreate(spec));
#pragma warning restore CA1822

    public void Dispose() => Model.Dispose();
}

[CollectionDefinition(Name)]
public sealed class LlamaCollection : ICollectionFixture<LlamaFixture>
{
    public const string Name = "llama";
}
