using DocExtract.Llama.Models;
using DocExtract.Pipeline.Extraction;
using DocExtract.TestSupport;

namespace DocExtract.Worker.Tests;

/// <summary>Llm:Model as a name of the models folder (issue #11), resolved where the worker loads its model.</summary>
public sealed class Resolving_the_model_by_name : IDisposable
{
    private readonly string _models = Directory.CreateTempSubdirectory("docextract-worker-models-").FullName;

    [Fact]
    public async Task A_name_loads_that_models_file_and_wins_over_the_older_model_path()
    {
        new ModelStore(_models).Add("invoices", TestModels.Tiny, "0", "test", move: false);
        await using var pipeline = new LlmPipeline(new Dictionary<string, string?>
        {
            ["Llm:Model"] = "invoices",
            ["Llm:ModelsDirectory"] = _models,
        });

        var engine = pipeline.Get<LlmEngine>();
        engine.EnsureLoaded();

        Assert.Equal(Path.Combine(_models, "invoices.gguf"), engine.Model.Path);
    }

    [Fact]
    public async Task An_unknown_name_stops_the_worker_naming_both_settings()
    {
        await using var pipeline = new LlmPipeline(new Dictionary<string, string?>
        {
            ["Llm:Model"] = "qwen2.5:7b",
            ["Llm:ModelsDirectory"] = _models,
        });

        var error = Assert.Throws<FileNotFoundException>(() => pipeline.Get<LlmEngine>().EnsureLoaded());

        Assert.Contains($"Llm:Model 'qwen2.5:7b' is no model in {_models} (Llm:ModelsDirectory)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_recorded_name_whose_file_is_gone_says_what_to_do()
    {
        var store = new ModelStore(_models);
        store.Add("gone", TestModels.Tiny, "0", "test", move: false);
        File.Delete(store.GgufPath("gone"));
        await using var pipeline = new LlmPipeline(new Dictionary<string, string?>
        {
            ["Llm:Model"] = "gone",
            ["Llm:ModelsDirectory"] = _models,
        });

        var error = Assert.Throws<FileNotFoundException>(() => pipeline.Get<LlmEngine>().EnsureLoaded());

        Assert.Contains($"stands for {store.GgufPath("gone")}, which does not exist: `scripts/models.sh rm gone`", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_models, recursive: true);
}
