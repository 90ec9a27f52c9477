using System.Runtime.InteropServices;
using llama_memory_t = nint;
using llama_pos = int;
using llama_seq_id = int;

namespace DocExtract.Llama.Interop;

internal static unsafe partial class NativeMethods
{
    [LibraryImport(LlamaLibrary)]
    private static partial llama_context_params llama_context_default_params();

    [LibraryImport(LlamaLibrary)]
    private static partial SafeLlamaContextHandle llama_init_from_model(SafeLlamaModelHandle model, llama_context_params @params);

    [LibraryImport(LlamaLibrary)]
    private static partial void llama_free(nint ctx);

    [LibraryImport(LlamaLibrary)]
    private static partial uint llama_n_ctx(SafeLlamaContextHandle ctx);

    [LibraryImport(LlamaLibrary)]
    private static partial uint llama_n_ctx_seq(SafeLlamaContextHandle ctx);

    [LibraryImport(LlamaLibrary)]
    private static partial uint llama_n_batch(SafeLlamaContextHandle ctx);

    [LibraryImport(LlamaLibrary)]
    private static partial uint llama_n_seq_max(SafeLlamaContextHandle ctx);

    [LibraryImport(LlamaLibrary)]
    private static partial void llama_set_n_threads(SafeLlamaContextHandle ctx, int n_threads, int n_threads_batch);

    [LibraryImport(LlamaLibrary)]
    private static partial int llama_n_threads(SafeLlamaContextHandle ctx);

    [LibraryImport(LlamaLibrary)]
    private static partial int llama_n_threads_batch(SafeLlamaContextHandle ctx);

    [LibraryImport(LlamaLibrary)]
    private static partial void llama_set_abort_callback(SafeLlamaContextHandle ctx, delegate* unmanaged<void*, byte> abort_callback, void* abort_callback_data);

    [LibraryImport(LlamaLibrary)]
    private static partial llama_batch llama_batch_init(int n_tokens, int embd, int n_seq_max);

    [LibraryImport(LlamaLibrary)]
    private static partial void llama_batch_free(llama_batch batch);

    [LibraryImport(LlamaLibrary)]
    private static partial int llama_decode(SafeLlamaContextHandle ctx, llama_batch batch);

    [LibraryImport(LlamaLibrary)]
    private static partial float* llama_get_logits_ith(SafeLlamaContextHandle ctx, int i);

    [LibraryImport(LlamaLibrary)]
    private static partial llama_memory_t llama_get_memory(SafeLlamaContextHandle ctx);

    [LibraryImport(LlamaLibrary)]
    private static partial void llama_memory_clear(llama_memory_t mem, [MarshalAs(UnmanagedType.U1)] bool data);

    [LibraryImport(LlamaLibrary)]
    [return: MarshalAs(UnmanagedType.U1)]
    private static partial bool llama_memory_seq_rm(llama_memory_t mem, llama_seq_id seq_id, llama_pos p0, llama_pos p1);

    [LibraryImport(LlamaLibrary)]
    private static partial void llama_memory_seq_cp(llama_memory_t mem, llama_seq_id seq_id_src, llama_seq_id seq_id_dst, llama_pos p0, llama_pos p1);

    [LibraryImport(LlamaLibrary)]
    private static partial llama_pos llama_memory_seq_pos_max(llama_memory_t mem, llama_seq_id seq_id);

    internal static llama_context_params DefaultContextParams() => llama_context_default_params();

    /// <summary>Returns an invalid handle when llama.cpp cannot make the context (it logs why).</summary>
    internal static SafeLlamaContextHandle CreateContext(SafeLlamaModelHandle model, llama_context_params parameters) =>
        llama_init_from_model(model, parameters);

    internal static void FreeContext(nint context) => llama_free(context);

    internal static (int Total, int PerSequence, int Batch, int Sequences) ContextSizes(SafeLlamaContextHandle context) =>
        ((int)llama_n_ctx(context), (int)llama_n_ctx_seq(context), (int)llama_n_batch(context), (int)llama_n_seq_max(context));

    /// <summary>
    /// llama.cpp decodes a batch of one token on <paramref name="threads"/> and any larger batch on
    /// <paramref name="threadsBatch"/> (llama_context::graph_compute); the change applies from the next decode.
    /// </summary>
    internal static void SetThreads(SafeLlamaContextHandle context, int threads, int threadsBatch)
    {
        // ggml sizes its per-thread state by GGML_MAX_N_THREADS (ggml.h) and does not check what it is given.
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threads, MaxThreads);
        ArgumentOutOfRangeException.ThrowIfLessThan(threadsBatch, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threadsBatch, MaxThreads);
        llama_set_n_threads(context, threads, threadsBatch);
    }

    internal static (int Threads, int ThreadsBatch) Threads(SafeLlamaContextHandle context) =>
        (llama_n_threads(context), llama_n_threads_batch(context));

    /// <summary>
    /// ggml's CPU backend polls the callback between graph nodes (ggml-cpu.c) and llama_decode then returns 2, so a
    /// long prompt can be cancelled part-way through. <paramref name="data"/> must outlive the context.
    /// </summary>
    internal static void SetAbortCallback(SafeLlamaContextHandle context, delegate* unmanaged<void*, byte> callback, void* data) =>
        llama_set_abort_callback(context, callback, data);

    internal static SafeLlamaBatchHandle CreateBatch(int capacity, int maxSequencesPerToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSequencesPerToken, 1);
        return new SafeLlamaBatchHandle(llama_batch_init(capacity, 0, maxSequencesPerToken));
    }

    internal static void FreeBatch(llama_batch batch) => llama_batch_free(batch);

    /// <summary>llama.h's result codes; anything below -1 is fatal and comes back as it is.</summary>
    internal static DecodeResult Decode(SafeLlamaContextHandle context, llama_batch batch) =>
        (DecodeResult)llama_decode(context, batch);

    /// <summary>The logits row of batch entry <paramref name="index"/>; valid until the next decode on the context.</summary>
    internal static ReadOnlySpan<float> Logits(SafeLlamaContextHandle context, int index, int vocabularySize)
    {
        var row = llama_get_logits_ith(context, index);
        if (row == null)
        {
            throw new InvalidOperationException($"llama.cpp has no logits for batch entry {index}: it was not marked for output");
        }

        return new ReadOnlySpan<float>(row, vocabularySize);
    }

    internal static void ClearMemory(SafeLlamaContextHandle context)
    {
        using var lease = new HandleLease(context);
        llama_memory_clear(llama_get_memory(context), data: true);
    }

    internal static bool RemoveFromSequence(SafeLlamaContextHandle context, int sequence, int fromPosition, int toPosition)
    {
        using var lease = new HandleLease(context);
        return llama_memory_seq_rm(llama_get_memory(context), sequence, fromPosition, toPosition);
    }

    internal static void CopySequence(SafeLlamaContextHandle context, int source, int destination, int fromPosition, int toPosition)
    {
        using var lease = new HandleLease(context);
        llama_memory_seq_cp(llama_get_memory(context), source, destination, fromPosition, toPosition);
    }

    internal static int LastPosition(SafeLlamaContextHandle context, int sequence)
    {
        using var lease = new HandleLease(context);
        return llama_memory_seq_pos_max(llama_get_memory(context), sequence);
    }
}
