using System.Diagnostics;
using System.Runtime.InteropServices;
using DocExtract.Llama.Interop;

namespace DocExtract.Llama;

/// <summary>
/// A llama.cpp context: the KV cache for up to <see cref="MaxSequences"/> sequences and the compute buffers. Not
/// thread-safe (llama.cpp contexts are not): one call at a time, which is checked. Cancelling a call, or any
/// failure inside <see cref="Generate"/>, clears the sequence it used, so the context stays usable.
/// </summary>
public sealed unsafe class LlamaContext : IDisposable
{
    private readonly SafeLlamaContextHandle _handle;
    private readonly LlamaBatch _batch;

    // Read by ggml's compute thread through the abort callback; pinned so the pointer handed to C stays valid as
    // long as this object lives, which covers every decode in flight.
    private readonly int[] _abortFlag = GC.AllocateArray<int>(1, pinned: true);
    private int _busy;
    private bool _modelReferenced;

    internal LlamaContext(LlamaModel model, LlamaContextOptions options)
    {
        options.Validate();
        Model = model;
        var parameters = NativeMethods.DefaultContextParams();
        parameters.n_ctx = (uint)options.ContextSize;
        // A batch larger than the context could never be decoded; llama.cpp clamps it the same way.
        var batchSize = (uint)Math.Min(options.BatchSize, options.ContextSize);
        parameters.n_batch = batchSize;
        parameters.n_ubatch = batchSize;
        parameters.n_seq_max = (uint)options.MaxSequences;
        parameters.n_threads = options.Threads;
        parameters.kv_unified = options.UnifiedKvCache ? (byte)1 : (byte)0;
        parameters.n_threads_batch = options.ThreadsBatch;

        // The context points into the model: hold a reference so disposing the model cannot free it under us.
        model.Handle.DangerousAddRef(ref _modelReferenced);
        try
        {
            using (var errors = LlamaLog.CallScope.Begin())
            {
                _handle = NativeMethods.CreateContext(model.Handle, parameters);
                if (_handle.IsInvalid)
                {
                    throw new LlamaException($"llama.cpp could not create a context: {errors.Describe()}");
                }
            }

            fixed (int* flag = _abortFlag)
            {
                NativeMethods.SetAbortCallback(_handle, &ShouldAbort, flag);
            }

            (ContextSize, ContextSizePerSequence, BatchSize, MaxSequences) = NativeMethods.ContextSizes(_handle);
            _batch = new LlamaBatch(BatchSize, MaxSequences);
        }
        catch
        {
            _handle?.Dispose();
            model.Handle.DangerousRelease();
            throw;
        }
    }

    public LlamaModel Model { get; }

    public int ContextSize { get; }

    /// <summary>The KV cells one sequence can use: a prompt plus its output must fit.</summary>
    public int ContextSizePerSequence { get; }

    public int BatchSize { get; }

    public int MaxSequences { get; }

    /// <summary>Threads a decode of one token runs on, as llama.cpp holds it.</summary>
    public int Threads => ReadThreads().Threads;

    /// <summary>Threads a decode of more than one token runs on, as llama.cpp holds it.</summary>
    public int ThreadsBatch => ReadThreads().ThreadsBatch;

    /// <summary>
    /// Changes the thread counts from the next decode on. llama.cpp picks between the two by batch size alone
    /// (<paramref name="threads"/> for one token, <paramref name="threadsBatch"/> for more), so a caller that knows a
    /// batch is small work, such as <see cref="BatchScheduler"/>'s generation steps, sets both before it.
    /// </summary>
    public void SetThreads(int threads, int threadsBatch)
    {
        using var call = Enter(CancellationToken.None);
        NativeMethods.SetThreads(_handle, threads, threadsBatch);
    }

    /// <summary>A batch sized for this context, for callers that schedule several sequences themselves.</summary>
    public LlamaBatch CreateBatch() => new(BatchSize, MaxSequences);

    /// <summary>
    /// Runs the model over <paramref name="batch"/>, extending the KV cache of each token's sequences. Logits of
    /// tokens added with outputLogits are then available from <see cref="GetLogits"/> until the next decode.
    /// </summary>
    public void Decode(LlamaBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0)
        {
            throw new ArgumentException("the batch is empty", nameof(batch));
        }

        if (batch.Count > BatchSize)
        {
            throw new ArgumentException($"the batch holds {batch.Count} tokens; this context decodes at most {BatchSize}", nameof(batch));
        }

        foreach (var token in batch.Tokens)
        {
            Model.CheckToken(token);
        }

        using var call = Enter(cancellationToken);
        DecodeCore(batch, cancellationToken);
    }

    /// <summary>The logits of batch entry <paramref name="batchIndex"/> from the last decode; overwritten by the next.</summary>
    public ReadOnlySpan<float> GetLogits(int batchIndex)
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(batchIndex);
        return NativeMethods.Logits(_handle, batchIndex, Model.VocabularySize);
    }

    /// <summary>Frees the KV cells of one sequence.</summary>
    public void ClearSequence(int sequenceId)
    {
        CheckSequence(sequenceId);
        NativeMethods.RemoveFromSequence(_handle, sequenceId, -1, -1);
    }

    /// <summary>Frees the KV cells of one sequence from <paramref name="position"/> on, keeping those before it.</summary>
    public void ClearSequenceFrom(int sequenceId, int position)
    {
        CheckSequence(sequenceId);
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        NativeMethods.RemoveFromSequence(_handle, sequenceId, position, -1);
    }

    /// <summary>Makes <paramref name="destination"/> share the cached tokens of <paramref name="source"/> (a common prefix).</summary>
    public void CopySequence(int source, int destination)
    {
        CheckSequence(source);
        CheckSequence(destination);
        NativeMethods.CopySequence(_handle, source, destination, -1, -1);
    }

    /// <summary>How many positions of <paramref name="sequenceId"/> are in the KV cache (0 when empty).</summary>
    public int GetSequenceLength(int sequenceId)
    {
        CheckSequence(sequenceId);
        return NativeMethods.LastPosition(_handle, sequenceId) + 1;
    }

    /// <summary>Empties the whole KV cache.</summary>
    public void ClearAll()
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        NativeMethods.ClearMemory(_handle);
    }

    /// <summary>
    /// Decodes <paramref name="promptTokens"/> on one sequence (in chunks of <see cref="BatchSize"/>) and generates
    /// up to <see cref="GenerationOptions.MaxTokens"/> tokens, under the grammar if one is given. The sequence is
    /// cleared before and after, whatever happens. Cancellation throws <see cref="OperationCanceledException"/>,
    /// also in the middle of a long prompt.
    /// </summary>
    public GenerationResult Generate(ReadOnlySpan<int> promptTokens, GenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new GenerationOptions();
        if (promptTokens.IsEmpty)
        {
            throw new ArgumentException("the prompt has no tokens", nameof(promptTokens));
        }

        foreach (var token in promptTokens)
        {
            Model.CheckToken(token);
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxTokens, 1, nameof(options.MaxTokens));
        CheckSequence(options.SequenceId);
        if (promptTokens.Length + options.MaxTokens > ContextSizePerSequence)
        {
            throw new ArgumentException(
                $"the prompt ({promptTokens.Length} tokens) plus up to {options.MaxTokens} generated tokens do not fit " +
                $"the {ContextSizePerSequence} tokens of context a sequence has here", nameof(promptTokens));
        }

        cancellationToken.ThrowIfCancellationRequested();
        using var sampler = TokenSampler.Create(Model, options.Sampler, options.Grammar);
        using var call = Enter(cancellationToken);
        var sequence = options.SequenceId;
        NativeMethods.RemoveFromSequence(_handle, sequence, -1, -1);
        try
        {
            var started = Stopwatch.GetTimestamp();
            var logitsIndex = DecodePrompt(promptTokens, sequence, cancellationToken);
            var promptTime = Stopwatch.GetElapsedTime(started);

            started = Stopwatch.GetTimestamp();
            var tokens = new List<int>(Math.Min(options.MaxTokens, 1024));
            var logProbabilities = new List<float>(tokens.Capacity);
            var alternatives = new List<TokenAlternative[]>();
            var text = new List<byte>();
            var stop = StopReason.MaxTokens;
            var position = promptTokens.Length;
            var sampling = 0L;
            var fullVocabularySteps = 0;
            while (tokens.Count < options.MaxTokens)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var logits = NativeMethods.Logits(_handle, logitsIndex, Model.VocabularySize);
                var sampleStarted = Stopwatch.GetTimestamp();
                var (token, logProbability, top, fullVocabulary) = sampler.Next(logits, options.Alternatives);
                sampling += Stopwatch.GetTimestamp() - sampleStarted;
                fullVocabularySteps += fullVocabulary ? 1 : 0;
                if (Model.IsEndOfGeneration(token))
                {
                    stop = StopReason.EndOfGeneration;
                    break;
                }

                tokens.Add(token);
                logProbabilities.Add(logProbability);
                if (top is not null)
                {
                    alternatives.Add(top);
                }
                // The pieces, not llama_detokenize: detokenizing drops the leading space of SentencePiece output,
                // and the text must be exactly what the grammar checked, piece by piece.
                text.AddRange(Model.TokenToPieceUtf8(token));
                if (tokens.Count == options.MaxTokens)
                {
                    break;
                }

                _batch.Clear();
                logitsIndex = _batch.Add(token, position++, sequence, outputLogits: true);
                DecodeCore(_batch, cancellationToken);
            }

            return new GenerationResult(
                System.Text.Encoding.UTF8.GetString(CollectionsMarshal.AsSpan(text)),
                tokens,
                logProbabilities,
                stop,
                promptTokens.Length,
                tokens.Count,
                promptTime,
                Stopwatch.GetElapsedTime(started))
            {
                Alternatives = options.Alternatives > 0 ? alternatives : null,
                SamplingTime = Stopwatch.GetElapsedTime(0, sampling),
                FullVocabularySteps = fullVocabularySteps,
            };
        }
        finally
        {
            NativeMethods.RemoveFromSequence(_handle, sequence, -1, -1);
        }
    }

    public void Dispose()
    {
        if (_handle.IsClosed)
        {
            return;
        }

        _batch.Dispose();
        _handle.Dispose();
        if (_modelReferenced)
        {
            _modelReferenced = false;
            Model.Handle.DangerousRelease();
        }
    }

    private (int Threads, int ThreadsBatch) ReadThreads()
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        return NativeMethods.Threads(_handle);
    }

    [UnmanagedCallersOnly]
    private static byte ShouldAbort(void* flag) => Volatile.Read(ref *(int*)flag) != 0 ? (byte)1 : (byte)0;

    /// <summary>Returns the batch index whose logits follow the last prompt token.</summary>
    private int DecodePrompt(ReadOnlySpan<int> prompt, int sequence, CancellationToken cancellationToken)
    {
        var last = 0;
        for (var start = 0; start < prompt.Length; start += BatchSize)
        {
            var chunk = prompt.Slice(start, Math.Min(BatchSize, prompt.Length - start));
            _batch.Clear();
            for (var i = 0; i < chunk.Length; i++)
            {
                last = _batch.Add(chunk[i], start + i, sequence, outputLogits: start + i == prompt.Length - 1);
            }

            DecodeCore(_batch, cancellationToken);
        }

        return last;
    }

    private void DecodeCore(LlamaBatch batch, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var errors = LlamaLog.CallScope.Begin();
        DecodeResult result;
        using (new HandleLease(batch.Handle))
        {
            result = NativeMethods.Decode(_handle, batch.Native);
        }

        switch (result)
        {
            case DecodeResult.Success:
                return;
            case DecodeResult.Aborted:
                if (cancellationToken.IsCancellationRequested)
                {
                    // llama.cpp warns that it drops the aborted batch's cells: the point of cancelling.
                    errors.Expected();
                    cancellationToken.ThrowIfCancellationRequested();
                }

                throw new LlamaException("llama_decode was aborted");
            case DecodeResult.NoKvSlot:
                throw new LlamaException(
                    $"no room in the KV cache for {batch.Count} tokens (context {ContextSize}, {MaxSequences} sequences)");
            case DecodeResult.InvalidBatch:
                throw new LlamaException($"llama_decode refused the batch as invalid: {errors.Describe()}");
            default:
                throw new LlamaException($"llama_decode failed ({(int)result}): {errors.Describe()}");
        }
    }

    private CallScope Enter(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        if (Interlocked.Exchange(ref _busy, 1) != 0)
        {
            throw new InvalidOperationException("a LlamaContext runs one call at a time; this one is busy on another thread");
        }

        Volatile.Write(ref _abortFlag[0], 0);
        var registration = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static state => Volatile.Write(ref ((int[])state!)[0], 1), _abortFlag)
            : default;
        return new CallScope(this, registration);
    }

    private void CheckSequence(int sequenceId)
    {
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        if ((uint)sequenceId >= (uint)MaxSequences)
        {
            throw new ArgumentOutOfRangeException(nameof(sequenceId), sequenceId, $"sequence ids run from 0 to {MaxSequences - 1}");
        }
    }

    private readonly struct CallScope(LlamaContext owner, CancellationTokenRegistration registration) : IDisposable
    {
        public void Dispose()
        {
            registration.Dispose();
            Volatile.Write(ref owner._abortFlag[0], 0);
            Volatile.Write(ref owner._busy, 0);
        }
    }
}
