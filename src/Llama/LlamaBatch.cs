using DocExtract.Llama.Interop;

namespace DocExtract.Llama;

/// <summary>
/// Tokens for one <see cref="LlamaContext.Decode"/>: each with its position, the sequences it belongs to and whether
/// its logits are wanted. Several sequences can share a batch, which is how documents are decoded side by side.
/// Made by <see cref="LlamaContext.CreateBatch"/>, sized to the context's batch size; reusable after
/// <see cref="Clear"/>.
/// </summary>
public sealed unsafe class LlamaBatch : IDisposable
{
    private readonly SafeLlamaBatchHandle _handle;
    private readonly int _maxSequences;

    internal LlamaBatch(int capacity, int maxSequences)
    {
        _handle = NativeMethods.CreateBatch(capacity, maxSequences);
        _maxSequences = maxSequences;
        Capacity = capacity;
    }

    public int Capacity { get; }

    public int Count { get; private set; }

    public void Clear() => Count = 0;

    /// <summary>Adds a token of one sequence and returns its index in the batch (the index for its logits).</summary>
    public int Add(int token, int position, int sequenceId, bool outputLogits)
    {
        ReadOnlySpan<int> sequences = [sequenceId];
        return Add(token, position, sequences, outputLogits);
    }

    /// <summary>Adds a token shared by several sequences (a common prompt prefix) and returns its index.</summary>
    public int Add(int token, int position, ReadOnlySpan<int> sequenceIds, bool outputLogits)
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        if (Count == Capacity)
        {
            throw new InvalidOperationException($"the batch is full ({Capacity} tokens); decode it and clear it first");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(token);
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        if (sequenceIds.IsEmpty || sequenceIds.Length > _maxSequences)
        {
            throw new ArgumentException($"a token belongs to 1 to {_maxSequences} sequences", nameof(sequenceIds));
        }

        foreach (var sequenceId in sequenceIds)
        {
            if ((uint)sequenceId >= (uint)_maxSequences)
            {
                throw new ArgumentOutOfRangeException(nameof(sequenceIds), sequenceId, $"sequence ids run from 0 to {_maxSequences - 1}");
            }
        }

        var batch = _handle.Batch;
        var i = Count;
        batch.token[i] = token;
        batch.pos[i] = position;
        batch.n_seq_id[i] = sequenceIds.Length;
        sequenceIds.CopyTo(new Span<int>(batch.seq_id[i], sequenceIds.Length));

        batch.logits[i] = outputLogits ? (sbyte)1 : (sbyte)0;
        Count = i + 1;
        return i;
    }

    public void Dispose() => _handle.Dispose();

    /// <summary>The struct for llama_decode, valid while the caller holds a lease on <see cref="Handle"/>.</summary>
    internal llama_batch Native
    {
        get
        {
            var batch = _handle.Batch;
            batch.n_tokens = Count;
            return batch;
        }
    }

    internal SafeLlamaBatchHandle Handle => _handle;

    /// <summary>Tokens are checked against the vocabulary at decode time, when the model is known.</summary>
    internal ReadOnlySpan<int> Tokens => new(_handle.Batch.token, Count);
}
