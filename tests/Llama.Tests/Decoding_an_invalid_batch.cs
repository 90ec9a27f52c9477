namespace DocExtract.Llama.Tests;

/// <summary>llama_decode's result codes, named (issue #16): each one a reason the caller can act on.</summary>
[Collection(LlamaCollection.Name)]
public sealed class Decoding_an_invalid_batch(LlamaFixture fixture)
{
    [Fact]
    public void Says_llama_cpp_refused_the_batch_and_why()
    {
        var tokens = fixture.Model.Tokenize("Invoice 42 from ACME");
        using var context = fixture.CreateContext();
        using var batch = context.CreateBatch();
        batch.Add(tokens[0], 0, sequenceId: 0, outputLogits: true);
        context.Decode(batch);
        batch.Clear();
        // Positions of a sequence must continue where its cache ends; llama.cpp answers -1 to a gap.
        batch.Add(tokens[1], 5, sequenceId: 0, outputLogits: true);

        var refused = Assert.Throws<LlamaException>(() => context.Decode(batch));

        Assert.StartsWith("llama_decode refused the batch as invalid: ", refused.Message);
        Assert.DoesNotContain("llama.cpp gave no reason", refused.Message);
        Assert.Equal(1, context.GetSequenceLength(0));
    }
}
