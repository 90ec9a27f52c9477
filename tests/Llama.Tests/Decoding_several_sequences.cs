namespace DocExtract.Llama.Tests;

/// <summary>The batch API that continuous batching across documents builds on.</summary>
[Collection(LlamaCollection.Name)]
public sealed class Decoding_several_sequences(LlamaFixture fixture)
{
    [Fact]
    public void One_batch_gives_each_sequence_the_logits_it_gets_alone()
    {
        var first = fixture.Model.Tokenize("Invoice 42 from ACME");
        var second = fixture.Model.Tokenize("Delivery note for order 7 shipped");
        using var shared = fixture.CreateContext(maxSequences: 2);
        using var batch = shared.CreateBatch();
        int firstLast = -1, secondLast = -1;
        for (var i = 0; i < Math.Max(first.Length, second.Length); i++)
        {
            if (i < first.Length)
            {
                firstLast = batch.Add(first[i], i, sequenceId: 0, outputLogits: i == first.Length - 1);
            }

            if (i < second.Length)
            {
                secondLast = batch.Add(second[i], i, sequenceId: 1, outputLogits: i == second.Length - 1);
            }
        }

        shared.Decode(batch);
        var together = (First: shared.GetLogits(firstLast).ToArray(), Second: shared.GetLogits(secondLast).ToArray());

        Assert.Equal(first.Length, shared.GetSequenceLength(0));
        Assert.Equal(second.Length, shared.GetSequenceLength(1));
        AssertClose(LogitsAlone(first), together.First);
        AssertClose(LogitsAlone(second), together.Second);
    }

    [Fact]
    public void A_copied_prefix_is_shared_and_extended_separately()
    {
        var prefix = fixture.Model.Tokenize("Extract the fields of this invoice:");
        using var context = fixture.CreateContext(maxSequences: 2);
        using var batch = context.CreateBatch();
        for (var i = 0; i < prefix.Length; i++)
        {
            batch.Add(prefix[i], i, 0, outputLogits: false);
        }

        context.Decode(batch);
        context.CopySequence(0, 1);
        batch.Clear();
        var continued = batch.Add(fixture.Model.Tokenize("Total", addSpecial: false)[0], prefix.Length, 1, outputLogits: true);
        context.Decode(batch);

        Assert.Equal(prefix.Length, context.GetSequenceLength(0));
        Assert.Equal(prefix.Length + 1, context.GetSequenceLength(1));
        AssertClose(LogitsAlone([.. prefix, fixture.Model.Tokenize("Total", addSpecial: false)[0]]), context.GetLogits(continued).ToArray());

        context.ClearSequence(1);
        Assert.Equal(0, context.GetSequenceLength(1));
        Assert.Equal(prefix.Length, context.GetSequenceLength(0));
        context.ClearAll();
        Assert.Equal(0, context.GetSequenceLength(0));
    }

    [Fact]
    public void Refuses_batches_it_cannot_decode_before_calling_llama_cpp()
    {
        using var context = fixture.CreateContext(maxSequences: 2);
        using var batch = context.CreateBatch();

        Assert.Throws<ArgumentOutOfRangeException>(() => batch.Add(5, 0, sequenceId: 2, outputLogits: true));
        Assert.Throws<ArgumentException>(() => context.Decode(batch));
        batch.Add(fixture.Model.VocabularySize, 0, 0, outputLogits: true);
        Assert.Throws<ArgumentOutOfRangeException>(() => context.Decode(batch));
        batch.Clear();
        for (var i = 0; i < batch.Capacity; i++)
        {
            batch.Add(5, i, 0, outputLogits: false);
        }

        Assert.Throws<InvalidOperationException>(() => batch.Add(5, batch.Capacity, 0, outputLogits: false));
    }

    private float[] LogitsAlone(int[] tokens)
    {
        using var context = fixture.CreateContext();
        using var batch = context.CreateBatch();
        for (var i = 0; i < tokens.Length; i++)
        {
            batch.Add(tokens[i], i, 0, outputLogits: i == tokens.Length - 1);
        }

        context.Decode(batch);
        return context.GetLogits(tokens.Length - 1).ToArray();
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        Assert.Equal(Array.IndexOf(expected, expected.Max()), Array.IndexOf(actual, actual.Max()));
        var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst < 1e-3, $"logits differ by up to {worst}");
    }
}
