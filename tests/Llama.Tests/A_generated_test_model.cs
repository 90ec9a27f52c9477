using System.Security.Cryptography;
using DocExtract.Llama.Models;
using DocExtract.TestSupport;

namespace DocExtract.Llama.Tests;

[Collection(LlamaCollection.Name)]
public sealed class A_generated_test_model(LlamaFixture fixture)
{
    private LlamaModel Model => fixture.Model;

    [Fact]
    public void Reports_the_shape_and_tokenizer_it_was_generated_with()
    {
        var spec = RandomModelSpec.Tiny;
        long embedding = spec.EmbeddingLength, vocabulary = 32000, ff = spec.FeedForwardLength;
        long kv = (long)spec.HeadDimension * spec.HeadCountKv;
        var perBlock = (2 * embedding) + (2 * embedding * embedding) + (2 * embedding * kv) + (3 * embedding * ff);

        Assert.Equal(32000, Model.VocabularySize);
        Assert.Equal(spec.ContextLength, Model.TrainingContextLength);
        Assert.Equal((2 * vocabulary * embedding) + embedding + (spec.BlockCount * perBlock), Model.ParameterCount);
        Assert.Equal(spec.ChatTemplate, Model.ChatTemplate);
        Assert.Equal(1, Model.BeginningOfSequence);
        Assert.Equal(2, Model.EndOfSequence);
        Assert.True(Model.IsEndOfGeneration(Model.EndOfSequence));
        Assert.False(Model.IsEndOfGeneration(100));
        Assert.StartsWith("llama", Model.Description);
    }

    [Fact]
    public void Hashes_its_file_once()
    {
        var expected = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(fixture.ModelPath)));

        Assert.Equal(expected, Model.FileSha256);
        Assert.Same(Model.FileSha256, Model.FileSha256);
    }

    [Theory]
    [InlineData("Hello world")]
    [InlineData("Invoice INV-2024/0042, total €1,234.50 (incl. 19% VAT)")]
    [InlineData("Grüße aus Köln — 東京 🚀\n\ttab and  two spaces")]
    [InlineData("{\"invoice\": \"A17\", \"total\": 12.5}")]
    public void Detokenizes_what_it_tokenized(string text)
    {
        var tokens = Model.Tokenize(text, addSpecial: false);
        var withSpecial = Model.Tokenize(text, addSpecial: true);

        Assert.Equal(text, Model.Detokenize(tokens));
        Assert.Equal([Model.BeginningOfSequence, .. tokens], withSpecial);
    }

    [Fact]
    public void Turns_control_token_text_into_the_control_token_only_when_asked()
    {
        Assert.Equal([Model.EndOfSequence], Model.Tokenize("</s>", addSpecial: false, parseSpecial: true));
        Assert.DoesNotContain(Model.EndOfSequence, Model.Tokenize("</s>", addSpecial: false, parseSpecial: false));
    }

    [Fact]
    public void Renders_each_token_as_its_piece_of_text()
    {
        var tokens = Model.Tokenize("Hello world", addSpecial: false);

        Assert.Equal([" Hello", " world"], tokens.Select(t => Model.TokenToPiece(t)));
        Assert.Equal("", Model.TokenToPiece(Model.EndOfSequence));
        Assert.Equal("</s>", Model.TokenToPiece(Model.EndOfSequence, renderSpecial: true));
    }

    [Fact]
    public void Refuses_token_ids_outside_its_vocabulary_before_calling_llama_cpp()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Model.TokenToPiece(32000));
        Assert.Throws<ArgumentOutOfRangeException>(() => Model.Detokenize([5, -1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Model.IsEndOfGeneration(int.MaxValue));
    }

    [Fact]
    public void Formats_a_conversation_with_its_ChatML_template()
    {
        var prompt = Model.ApplyChatTemplate(
            [LlamaChatMessage.System("Extract the invoice."), LlamaChatMessage.User("Invoice 42, total 9.99")],
            addAssistantPrompt: true);

        Assert.Equal(
            "<|im_start|>system\nExtract the invoice.<|im_end|>\n<|im_start|>user\nInvoice 42, total 9.99<|im_end|>\n<|im_start|>assistant\n",
            prompt);
    }

    [Fact]
    public void Refuses_a_chat_template_llama_cpp_does_not_recognize()
    {
        var error = Assert.Throws<NotSupportedException>(() =>
            Model.ApplyChatTemplate([LlamaChatMessage.User("hi")], template: "{{ messages | tojson }}"));
        Assert.Contains("does not recognize", error.Message);
    }

    [Fact]
    public void Formats_a_conversation_with_any_of_llama_cpps_built_in_templates_by_name()
    {
        var names = LlamaModel.BuiltinChatTemplates;

        Assert.Contains("chatml", names);
        Assert.Contains("llama3", names);
        Assert.Contains("gemma", names);
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.StartsWith("<start_of_turn>user\n", Model.ApplyChatTemplate([LlamaChatMessage.User("hi")], template: "gemma"));
        foreach (var name in names)
        {
            Assert.Contains("hi", Model.ApplyChatTemplate([LlamaChatMessage.User("hi")], template: name));
        }
    }

    [Fact]
    public void Reports_why_a_file_is_not_a_model()
    {
        var path = Path.Combine(Path.GetTempPath(), $"not-a-model-{Guid.NewGuid():N}.gguf");
        File.WriteAllText(path, "%PDF-1.7 this is not a GGUF file");
        try
        {
            var error = Assert.Throws<LlamaException>(() => LlamaModel.Load(path));
            Assert.Contains(path, error.Message);
            Assert.Contains("invalid magic characters", error.Message);
        }
        finally
        {
            File.Delete(path);
        }

        Assert.Throws<FileNotFoundException>(() => LlamaModel.Load(path));
    }

    [Fact]
    public void Loads_a_vocabulary_only_file_for_tokenizing_without_weights()
    {
        using var vocabulary = LlamaModel.Load(RepositoryLayout.VocabFile("ggml-vocab-llama-spm.gguf"), new LlamaModelOptions { VocabularyOnly = true });

        Assert.Equal(32000, vocabulary.VocabularySize);
        Assert.Equal(Model.Tokenize("Invoice 42"), vocabulary.Tokenize("Invoice 42"));
        Assert.True(vocabulary.IsVocabularyOnly);
        Assert.Throws<InvalidOperationException>(() => vocabulary.CreateContext());
    }
}
