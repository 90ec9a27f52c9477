using DocExtract.Pipeline.Extraction;
using DocExtract.TestSupport;

namespace DocExtract.Worker.Tests;

/// <summary>
/// The model loads, then its context is refused (issue #16): the engine must let the model go, not
/// keep gigabytes mapped for the failed start and map them again on the next attempt.
/// </summary>
public sealed class Failing_to_start_the_llm_after_loading_the_model
{
    [Fact]
    public async Task Lets_the_model_go()
    {
        // A copy of its own, so the check sees only this engine's mapping of the file.
        var copy = Path.Combine(Path.GetTempPath(), $"docextract-unmapped-{Guid.NewGuid():N}.gguf");
        File.Copy(TestModels.Tiny, copy);
        try
        {
            await using (var started = new LlmPipeline(new Dictionary<string, string?> { ["Llm:ModelPath"] = copy }))
            {
                started.Get<LlmEngine>().EnsureLoaded();
                Assert.Contains(copy, Mappings());
            }
            Assert.DoesNotContain(copy, Mappings());

            // The model loads, then its context is refused: more threads than llama.cpp's context takes (settings within
            // the ranges checked at start, so it is the context that refuses them).
            await using var refused = new LlmPipeline(new Dictionary<string, string?>
            {
                ["Llm:ModelPath"] = copy,
                ["Llm:Threads"] = "100000",
            });
            var engine = refused.Get<LlmEngine>();

            var error = Assert.Throws<ArgumentOutOfRangeException>(() => engine.EnsureLoaded());

            Assert.Equal("Threads", error.ParamName);
            Assert.False(engine.IsLoaded);
            Assert.DoesNotContain(copy, Mappings());
        }
        finally
        {
            File.Delete(copy);
        }
    }

    private static string Mappings() => File.ReadAllText("/proc/self/maps");
}
