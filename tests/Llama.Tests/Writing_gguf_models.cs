using DocExtract.Llama.Gguf;
using DocExtract.Llama.Models;
using DocExtract.TestSupport;

namespace DocExtract.Llama.Tests;

/// <summary>The GGUF writer and the random-weight model generator, checked by reading back and by llama.cpp itself.</summary>
[Collection(LlamaCollection.Name)]
public sealed class Writing_gguf_models(LlamaFixture fixture)
{
    [Fact]
    public void Reads_back_the_metadata_and_aligned_tensor_directory_it_wrote()
    {
        var spec = RandomModelSpec.Tiny;
        var document = GgufReader.Read(fixture.ModelPath);
        var vocabulary = GgufReader.Read(RepositoryLayout.VocabFile(spec.VocabFile));

        Assert.Equal(3u, document.Version);
        Assert.Equal("llama", document["general.architecture"].As<string>());
        Assert.Equal((uint)spec.EmbeddingLength, document["llama.embedding_length"].As<uint>());
        Assert.Equal(spec.ChatTemplate, document["tokenizer.chat_template"].As<string>());
        foreach (var (key, value) in vocabulary.Metadata.Where(kv => kv.Key.StartsWith("tokenizer.ggml.", StringComparison.Ordinal)))
        {
            Assert.Equal(value.ToString(), document[key].ToString());
        }

        Assert.Equal(vocabulary["tokenizer.ggml.tokens"].As<string[]>(), document["tokenizer.ggml.tokens"].As<string[]>());
        Assert.Equal(3 + (9 * spec.BlockCount), document.Tensors.Count);
        Assert.All(document.Tensors, t => Assert.Equal(0, t.Offset % 32));
        Assert.Equal(0, document.DataOffset % 32);
        var last = document.Tensors.MaxBy(t => t.Offset)!;
        Assert.True(new FileInfo(fixture.ModelPath).Length >= document.DataOffset + last.Offset + last.ByteSize);
        Assert.Equal([64L, 32000L], document.Tensors.Single(t => t.Name == "output.weight").Dimensions);
        Assert.Equal([192L, 64L], document.Tensors.Single(t => t.Name == "blk.1.ffn_down.weight").Dimensions);
    }

    [Fact]
    public void Writes_the_same_bytes_for_the_same_spec()
    {
        var path = Path.Combine(Path.GetTempPath(), $"docextract-regenerated-{Guid.NewGuid():N}.gguf");
        try
        {
            RandomModel.Write(RandomModelSpec.Tiny, RepositoryLayout.VocabDirectory, path);
            Assert.Equal(File.ReadAllBytes(fixture.ModelPath), File.ReadAllBytes(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Writes_F16_weights_that_llama_cpp_runs()
    {
        using var model = LlamaModel.Load(TestModels.GetOrCreate(RandomModelSpec.Tiny with { WeightType = GgmlType.F16 }));
        using var context = model.CreateContext(new LlamaContextOptions { ContextSize = 256 });

        var result = context.Generate(model.Tokenize("Invoice 42"), new GenerationOptions { MaxTokens = 4 });

        Assert.Contains("F16", model.Description);
        Assert.Equal(4, result.GeneratedTokens);
    }
}
