using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using DocExtract.Llama.Interop;

namespace DocExtract.Llama;

/// <summary>
/// The greedy step without checking the whole vocabulary against the grammar (issue #11): llama.cpp's grammar
/// sampler costs about 0.1 µs per candidate, 20-40 ms a step at 152k-262k tokens. Only the tokens whose logit is at
/// least a threshold t are handed to the grammar; t starts 8 nats below the highest logit and is lowered in rounds
/// until the shortlist is known to give the answer the whole vocabulary would:
/// <list type="bullet">
/// <item>the chosen token is the best allowed logit b among the checked ones, and every unchecked logit is below
/// t, so below b: the greedy choice is exact (ties go to the lowest id, as with llama.cpp's greedy sampler);</item>
/// <item>the normaliser over the allowed tokens misses at most the unchecked ones, whose total weight
/// W = Σ exp(logit - b) over the logits below t is at most (V - C)·exp(t - b) for C checked tokens; t is low enough
/// when W (the crude bound first, else the sum itself, one vectorized pass) is at most <see cref="Tolerance"/> times
/// the checked allowed weight, so every log-probability is off by at most <see cref="Tolerance"/>;</item>
/// <item>any allowed token missing from the alternatives has a probability below <see cref="Tolerance"/>.</item>
/// </list>
/// When the bound needs more than <see cref="MaxShortlist"/> tokens (or a quarter of a small vocabulary), as with
/// flat logits such as a random-weight model's, the step goes through the whole vocabulary instead, exactly as before.
/// </summary>
internal sealed unsafe partial class TokenSampler
{
    /// <summary>The most by which a log-probability from a shortlist may differ from the whole vocabulary's.</summary>
    internal const double Tolerance = 5e-7;

    // Tokens checked before a step gives up on the shortlist: a step that falls back then wastes about a millisecond
    // at most on top of the whole vocabulary's 4-40 ms (bench/README.md, "Sampling").
    private const int MaxShortlist = 4096;

    // Nats the threshold drops per round once some allowed token is known: each token's weight at the new edge is
    // e^-4 of one at the old.
    private const double ThresholdStep = 4;

    private SampledToken? TryShortlist(ReadOnlySpan<float> logits, int alternatives)
    {
        var vocabulary = logits.Length;
        var limit = Math.Min(vocabulary / 4, MaxShortlist);
        var max = TensorPrimitives.Max(logits);
        if (!float.IsFinite(max))
        {
            return null;
        }

        fixed (llama_token_data* data = _candidates)
        {
            var kept = 0;
            var checkedCount = 0;
            var upper = float.PositiveInfinity;
            var threshold = Lower(max, 2 * ThresholdStep);
            while (true)
            {
                var band = Collect(logits, threshold, upper, data + kept, limit - checkedCount);
                if (band < 0)
                {
                    return null;
                }

                checkedCount += band;
                kept += Allowed(data + kept, band);
                upper = threshold;
                if (checkedCount == vocabulary)
                {
                    break;
                }

                if (kept == 0)
                {
                    // Nothing checked so far is allowed: look as far below again.
                    threshold = Lower(threshold, max - threshold);
                    continue;
                }

                var (best, weight) = Weight(new ReadOnlySpan<llama_token_data>(data, kept));
                var unchecked_ = vocabulary - checkedCount;
                var enough = Tolerance * weight;
                if (unchecked_ * Math.Exp((double)threshold - best) <= enough || UncheckedWeight(logits, threshold, best) <= enough)
                {
                    break;
                }

                // Lower the threshold: by the crude bound's whole way where that is near, else a step at a time.
                threshold = Math.Max(Lower(best, Math.Log(unchecked_ / enough)), Lower(threshold, ThresholdStep));
            }

            var candidates = new ReadOnlySpan<llama_token_data>(data, kept);
            if (kept == 0)
            {
                throw new LlamaException("the grammar allows no token at this point of the output");
            }

            var (_, total) = Weight(candidates);
            var chosen = Best(candidates);
            var logNormalizer = chosen.logit + Math.Log(total);
            var top = alternatives > 0 ? Top(candidates, alternatives, logNormalizer) : null;
            return new SampledToken(chosen.id, (float)(chosen.logit - logNormalizer), top, FullVocabulary: false);
        }
    }

    /// <summary>
    /// Σ exp(logit - <paramref name="best"/>) over the logits below <paramref name="threshold"/>: the most weight the
    /// unchecked tokens could add to the normaliser. Summed in float lanes and padded by 0.1% for their rounding.
    /// </summary>
    private static double UncheckedWeight(ReadOnlySpan<float> logits, float threshold, float best)
    {
        var sum = 0.0;
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var edge = Vector256.Create(threshold);
            var shift = Vector256.Create(best);
            var lanes = Vector256<float>.Zero;
            fixed (float* start = logits)
            {
                for (; i <= logits.Length - Vector256<float>.Count; i += Vector256<float>.Count)
                {
                    var values = Vector256.Load(start + i);
                    lanes += Vector256.ConditionalSelect(Vector256.LessThan(values, edge), Vector256.Exp(values - shift), Vector256<float>.Zero);
                }
            }

            sum = Vector256.Sum(lanes);
        }

        for (; i < logits.Length; i++)
        {
            if (logits[i] < threshold)
            {
                sum += Math.Exp(logits[i] - best);
            }
        }

        return sum * 1.001;
    }

    /// <summary>A float threshold at most <paramref name="from"/> - <paramref name="by"/>, so the bound holds after rounding.</summary>
    private static float Lower(double from, double by) => MathF.BitDecrement((float)(from - by));

    /// <summary>
    /// Writes the tokens with threshold &lt;= logit &lt; upper to <paramref name="destination"/>, in id order, and
    /// returns their count; -1 when there are more than <paramref name="room"/>.
    /// </summary>
    private static int Collect(ReadOnlySpan<float> logits, float threshold, float upper, llama_token_data* destination, int room)
    {
        var count = 0;
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var low = Vector256.Create(threshold);
            var high = Vector256.Create(upper);
            fixed (float* start = logits)
            {
                for (; i <= logits.Length - Vector256<float>.Count; i += Vector256<float>.Count)
                {
                    var values = Vector256.Load(start + i);
                    var bits = (Vector256.GreaterThanOrEqual(values, low) & Vector256.LessThan(values, high)).ExtractMostSignificantBits();
                    if (bits == 0)
                    {
                        continue;
                    }

                    if (count + BitOperations.PopCount(bits) > room)
                    {
                        return -1;
                    }

                    while (bits != 0)
                    {
                        var lane = BitOperations.TrailingZeroCount(bits);
                        destination[count++] = new llama_token_data { id = i + lane, logit = start[i + lane], p = 0 };
                        bits &= bits - 1;
                    }
                }
            }
        }

        for (; i < logits.Length; i++)
        {
            if (logits[i] >= threshold && logits[i] < upper)
            {
                if (count == room)
                {
                    return -1;
                }

                destination[count++] = new llama_token_data { id = i, logit = logits[i], p = 0 };
            }
        }

        return count;
    }

    /// <summary>Applies the grammar to <paramref name="count"/> candidates and moves the allowed ones to the front; returns how many.</summary>
    private int Allowed(llama_token_data* candidates, int count)
    {
        if (_grammar is null || count == 0)
        {
            return count;
        }

        var array = new llama_token_data_array { data = candidates, size = (nuint)count, selected = -1, sorted = 0 };
        NativeMethods.Apply(_grammar, ref array);
        var kept = 0;
        for (var i = 0; i < count; i++)
        {
            if (!float.IsNegativeInfinity(candidates[i].logit))
            {
                candidates[kept++] = candidates[i];
            }
        }

        return kept;
    }

    /// <summary>The highest logit b and Σ exp(logit - b), summed in double as the whole-vocabulary path does.</summary>
    private static (float Best, double Weight) Weight(ReadOnlySpan<llama_token_data> candidates)
    {
        var best = float.NegativeInfinity;
        foreach (var candidate in candidates)
        {
            best = Math.Max(best, candidate.logit);
        }

        var weight = 0.0;
        foreach (var candidate in candidates)
        {
            weight += Math.Exp(candidate.logit - best);
        }

        return (best, weight);
    }

    /// <summary>The highest logit, the lowest id among equals: what llama.cpp's greedy sampler picks from an array in id order.</summary>
    private static llama_token_data Best(ReadOnlySpan<llama_token_data> candidates)
    {
        var best = candidates[0];
        foreach (var candidate in candidates[1..])
        {
            if (candidate.logit > best.logit || (candidate.logit == best.logit && candidate.id < best.id))
            {
                best = candidate;
            }
        }

        return best;
    }
}
