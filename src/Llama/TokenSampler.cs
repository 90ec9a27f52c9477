using System.Buffers;
using DocExtract.Llama.Interop;

namespace DocExtract.Llama;

/// <summary>
/// Picks each generated token. The grammar and the selection chain are applied by hand rather than through
/// llama_sampler_sample, for two reasons: the log-probability of the chosen token must be taken after the grammar
/// mask and before temperature (llama_sampler_sample keeps that intermediate state to itself), and if a grammar
/// ever allowed no token at all, llama_sampler_sample would hand the grammar a forbidden token, which aborts the
/// process (llama_grammar_accept_impl throws through the C API); here it is a managed exception instead.
/// Greedy steps first try a shortlist of the highest logits (TokenSampler.Shortlist.cs, issue #11) and check the
/// whole vocabulary only where the shortlist cannot give the same answer.
/// </summary>
internal sealed unsafe partial class TokenSampler : IDisposable
{
    private readonly LlamaModel _model;
    private readonly SafeLlamaSamplerHandle? _grammar;
    private readonly SafeLlamaSamplerHandle _chain;
    private readonly bool _shortlist;

    // This sampler's own scratch space (the whole vocabulary, or a shortlist of it): never shared between samplers,
    // so the sequences of a batch step can be sampled on different threads.
    private readonly llama_token_data[] _candidates;

    private TokenSampler(LlamaModel model, SafeLlamaSamplerHandle? grammar, SafeLlamaSamplerHandle chain, bool shortlist)
    {
        _model = model;
        _grammar = grammar;
        _chain = chain;
        _shortlist = shortlist;
        _candidates = ArrayPool<llama_token_data>.Shared.Rent(model.VocabularySize);
    }

    public static TokenSampler Create(LlamaModel model, SamplerSettings settings, string? grammar)
    {
        settings.Validate();
        var grammarSampler = grammar is null ? null : LlamaGrammar.CreateSampler(model, grammar);
        var chain = NativeMethods.CreateChain();
        try
        {
            if (settings.IsGreedy)
            {
                NativeMethods.AddToChain(chain, NativeMethods.CreateGreedy());
            }
            else
            {
                if (settings.TopK > 0)
                {
                    NativeMethods.AddToChain(chain, NativeMethods.CreateTopK(settings.TopK));
                }

                if (settings.TopP < 1)
                {
                    NativeMethods.AddToChain(chain, NativeMethods.CreateTopP(settings.TopP));
                }

                NativeMethods.AddToChain(chain, NativeMethods.CreateTemperature(settings.Temperature));
                NativeMethods.AddToChain(chain, NativeMethods.CreateDistribution(settings.Seed));
            }

            // Seeded draws keep the whole vocabulary: llama.cpp's dist sampler walks the candidates in order, so
            // only the very same array gives the very same draw as before.
            return new TokenSampler(model, grammarSampler, chain, shortlist: settings.IsGreedy && !settings.FullVocabulary);
        }
        catch
        {
            chain.Dispose();
            grammarSampler?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Chooses the next token from <paramref name="logits"/> and returns it with its log-probability; with
    /// <paramref name="alternatives"/> above 0, also the that many most likely tokens the grammar allowed at this step.
    /// </summary>
    public SampledToken Next(ReadOnlySpan<float> logits, int alternatives = 0)
    {
        if (_shortlist && TryShortlist(logits, alternatives) is { } sampled)
        {
            Accept(sampled.Token);
            return sampled;
        }

        return NextOverVocabulary(logits, alternatives);
    }

    public void Dispose()
    {
        ArrayPool<llama_token_data>.Shared.Return(_candidates);
        _chain.Dispose();
        _grammar?.Dispose();
    }

    private SampledToken NextOverVocabulary(ReadOnlySpan<float> logits, int alternatives)
    {
        var count = logits.Length;
        fixed (llama_token_data* data = _candidates)
        {
            for (var i = 0; i < count; i++)
            {
                data[i] = new llama_token_data { id = i, logit = logits[i], p = 0 };
            }

            var candidates = new llama_token_data_array { data = data, size = (nuint)count, selected = -1, sorted = 0 };
            if (_grammar is not null)
            {
                NativeMethods.Apply(_grammar, ref candidates);
            }

            var logNormalizer = LogSumExp(new ReadOnlySpan<llama_token_data>(data, count));
            var top = alternatives > 0 ? Top(new ReadOnlySpan<llama_token_data>(data, count), alternatives, logNormalizer) : null;
            NativeMethods.Apply(_chain, ref candidates);
            if (candidates.selected < 0 || candidates.selected >= (long)candidates.size)
            {
                throw new LlamaException("the sampler chain selected no token");
            }

            var chosen = candidates.data[candidates.selected];
            if (float.IsNegativeInfinity(chosen.logit))
            {
                throw new LlamaException("the grammar allows no token at this point of the output");
            }

            Accept(chosen.id);
            return new SampledToken(chosen.id, (float)(logits[chosen.id] - logNormalizer), top, FullVocabulary: true);
        }
    }

    private void Accept(int token)
    {
        // The end-of-generation token is never handed to the grammar: generation stops there, and accepting it
        // while the grammar is incomplete would abort (it is only allowed when the grammar is complete anyway).
        if (_grammar is not null && !_model.IsEndOfGeneration(token))
        {
            NativeMethods.Accept(_grammar, token);
        }

        NativeMethods.Accept(_chain, token);
    }

    /// <summary>The <paramref name="k"/> highest logits the grammar left, as log-probabilities, most likely first.</summary>
    private static TokenAlternative[] Top(ReadOnlySpan<llama_token_data> candidates, int k, double logNormalizer)
    {
        var best = new List<llama_token_data>(k + 1);
        foreach (var candidate in candidates)
        {
            if (float.IsNegativeInfinity(candidate.logit) || (best.Count == k && candidate.logit <= best[^1].logit))
            {
                continue;
            }
            var at = best.FindIndex(b => b.logit < candidate.logit);
            best.Insert(at < 0 ? best.Count : at, candidate);
            if (best.Count > k)
            {
                best.RemoveAt(k);
            }
        }
        return [.. best.Select(b => new TokenAlternative(b.id, (float)(b.logit - logNormalizer)))];
    }

    /// <summary>log Σ exp(logit) over the tokens not masked to -inf by the grammar.</summary>
    private static double LogSumExp(ReadOnlySpan<llama_token_data> candidates)
    {
        var max = float.NegativeInfinity;
        foreach (var candidate in candidates)
        {
            max = Math.Max(max, candidate.logit);
        }

        if (float.IsNegativeInfinity(max))
        {
            throw new LlamaException("the grammar allows no token at this point of the output");
        }

        var sum = 0.0;
        foreach (var candidate in candidates)
        {
            if (!float.IsNegativeInfinity(candidate.logit))
            {
                sum += Math.Exp(candidate.logit - max);
            }
        }

        return max + Math.Log(sum);
    }
}

/// <summary>One sampled token; <paramref name="FullVocabulary"/> says whether every token had to be checked against the grammar.</summary>
internal readonly record struct SampledToken(int Token, float LogProbability, TokenAlternative[]? Alternatives, bool FullVocabulary);
