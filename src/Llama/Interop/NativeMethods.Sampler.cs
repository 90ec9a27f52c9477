using System.Runtime.InteropServices;
using llama_token = int;

namespace DocExtract.Llama.Interop;

internal static unsafe partial class NativeMethods
{
    [LibraryImport(LlamaLibrary)]
    private static partial SafeLlamaSamplerHandle llama_sampler_chain_init(llama_sampler_chain_params @params);

    [LibraryImport(LlamaLibrary)]
    private static partial void llama_sampler_chain_add(SafeLlamaSamplerHandle chain, SafeLlamaSamplerHandle smpl);

    [LibraryImport(LlamaLibrary)]
    private static partial void llama_sampler_free(nint smpl);

    [LibraryImport(LlamaLibrary)]
    private static partial SafeLlamaSamplerHandle llama_sampler_init_greedy();

    [LibraryImport(LlamaLibrary)]
    private static partial SafeLlamaSamplerHandle llama_sampler_init_dist(uint seed);

    [LibraryImport(LlamaLibrary)]
    private static partial SafeLlamaSamplerHandle llama_sampler_init_temp(float t);

    [LibraryImport(LlamaLibrary)]
    private static partial SafeLlamaSamplerHandle llama_sampler_init_top_k(int k);

    [LibraryImport(LlamaLibrary)]
    private static partial SafeLlamaSamplerHandle llama_sampler_init_top_p(float p, nuint min_keep);

    [LibraryImport(LlamaLibrary, StringMarshalling = StringMarshalling.Utf8)]
    private static partial SafeLlamaSamplerHandle llama_sampler_init_grammar(nint vocab, string grammar_str, string grammar_root);

    [LibraryImport(LlamaLibrary)]
    private static partial SafeLlamaSamplerHandle llama_sampler_clone(SafeLlamaSamplerHandle smpl);

    [LibraryImport(LlamaLibrary)]
    private static partial void llama_sampler_apply(SafeLlamaSamplerHandle smpl, llama_token_data_array* cur_p);

    [LibraryImport(LlamaLibrary)]
    private static partial void llama_sampler_accept(SafeLlamaSamplerHandle smpl, llama_token token);

    internal static void FreeSampler(nint sampler) => llama_sampler_free(sampler);

    internal static SafeLlamaSamplerHandle CreateChain() =>
        Valid(llama_sampler_chain_init(new llama_sampler_chain_params { no_perf = 1 }), "chain");

    /// <summary>The chain takes ownership (llama.h), so the handle is closed here without freeing.</summary>
    internal static void AddToChain(SafeLlamaSamplerHandle chain, SafeLlamaSamplerHandle sampler)
    {
        llama_sampler_chain_add(chain, sampler);
        sampler.SetHandleAsInvalid();
    }

    internal static SafeLlamaSamplerHandle CreateGreedy() => Valid(llama_sampler_init_greedy(), "greedy");

    internal static SafeLlamaSamplerHandle CreateDistribution(uint seed) => Valid(llama_sampler_init_dist(seed), "dist");

    internal static SafeLlamaSamplerHandle CreateTemperature(float temperature) => Valid(llama_sampler_init_temp(temperature), "temp");

    internal static SafeLlamaSamplerHandle CreateTopK(int k) => Valid(llama_sampler_init_top_k(k), "top-k");

    internal static SafeLlamaSamplerHandle CreateTopP(float p) => Valid(llama_sampler_init_top_p(p, 1), "top-p");

    /// <summary>Returns an invalid handle when llama.cpp's GBNF parser rejects the grammar.</summary>
    internal static SafeLlamaSamplerHandle CreateGrammar(SafeLlamaModelHandle model, string gbnf, string root)
    {
        using var lease = new HandleLease(model);
        return llama_sampler_init_grammar(llama_model_get_vocab(model), gbnf, root);
    }

    /// <summary>A sampler in the state <paramref name="sampler"/> is in now (a grammar's: its rules and stacks copied).</summary>
    internal static SafeLlamaSamplerHandle CloneSampler(SafeLlamaSamplerHandle sampler) => Valid(llama_sampler_clone(sampler), "cloned");

    /// <summary>Runs the sampler over the candidates in place; it may mask (logit = -inf), reorder, shrink or select.</summary>
    internal static void Apply(SafeLlamaSamplerHandle sampler, ref llama_token_data_array candidates)
    {
        fixed (llama_token_data_array* p = &candidates)
        {
            llama_sampler_apply(sampler, p);
        }
    }

    internal static void Accept(SafeLlamaSamplerHandle sampler, int token) => llama_sampler_accept(sampler, token);

    private static SafeLlamaSamplerHandle Valid(SafeLlamaSamplerHandle sampler, string kind) =>
        sampler.IsInvalid ? throw new LlamaException($"llama.cpp could not create a {kind} sampler") : sampler;
}
