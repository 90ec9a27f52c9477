using System.Diagnostics.CodeAnalysis;
using System.Text;
using DocExtract.Llama.Interop;

namespace DocExtract.Llama;

/// <summary>The outcome of <see cref="LlamaGrammar.Match"/>.</summary>
/// <param name="IsAccepted">True when the grammar accepts the whole text and allows it to end there.</param>
/// <param name="Explanation">Where and why the text was rejected; "accepted" otherwise.</param>
/// <param name="RejectedAtByte">The UTF-8 offset of the first piece the grammar refused, or null.</param>
public sealed record GrammarMatch(bool IsAccepted, string Explanation, int? RejectedAtByte);

/// <summary>
/// GBNF grammars checked by llama.cpp itself (the same parser and matcher that constrain generation), so that a
/// grammar generated elsewhere can be tested before it ever reaches a model. The start rule is always
/// <see cref="RootRule"/>.
/// </summary>
public static class LlamaGrammar
{
    public const string RootRule = "root";

    /// <summary>Throws <see cref="LlamaGrammarException"/> with llama.cpp's parse error if the grammar is invalid.</summary>
    public static void Validate(LlamaModel model, string gbnf) => CreateSampler(model, gbnf).Dispose();

    public static bool TryValidate(LlamaModel model, string gbnf, [NotNullWhen(false)] out string? parseError)
    {
        try
        {
            Validate(model, gbnf);
            parseError = null;
            return true;
        }
        catch (LlamaGrammarException e)
        {
            parseError = e.ParseError;
            return false;
        }
    }

    public static bool Accepts(LlamaModel model, string gbnf, string text) => Match(model, gbnf, text).IsAccepted;

    /// <summary>
    /// Feeds <paramref name="text"/> to llama.cpp's grammar sampler token by token, as generation would: each
    /// token must survive llama_sampler_apply (not be masked to -inf) before it is accepted, and at the end the
    /// end-of-generation token must be allowed. The text is tokenized with the model's tokenizer, so the check
    /// also covers tokens that straddle grammar rules.
    /// </summary>
    public static GrammarMatch Match(LlamaModel model, string gbnf, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        using var grammar = CreateSampler(model, gbnf);
        var tokens = TokenizeExactly(model, text);
        var offset = 0;
        for (var i = 0; i < tokens.Length; i++)
        {
            var piece = model.TokenToPieceUtf8(tokens[i]);
            if (!IsAllowed(grammar, tokens[i]))
            {
                var before = Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text), 0, offset);
                return new GrammarMatch(
                    false,
                    $"rejected at byte {offset}: the grammar does not allow '{Encoding.UTF8.GetString(piece)}' " +
                    $"(token {i} of {tokens.Length}) after '{Tail(before)}'",
                    offset);
            }

            NativeMethods.Accept(grammar, tokens[i]);
            offset += piece.Length;
        }

        return IsAllowed(grammar, model.EndOfSequence)
            ? new GrammarMatch(true, "accepted", null)
            : new GrammarMatch(false, $"incomplete: the grammar expects more after the end of the text (byte {offset})", offset);
    }

    /// <summary>
    /// A grammar sampler in the grammar's start state, or throws with llama.cpp's reason. The grammar is parsed the
    /// first time the model meets it and copied after that (<see cref="GrammarCache"/>).
    /// </summary>
    internal static SafeLlamaSamplerHandle CreateSampler(LlamaModel model, string gbnf)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(gbnf);
        if (gbnf.Contains('\0'))
        {
            throw new ArgumentException("a grammar cannot contain NUL characters", nameof(gbnf));
        }

        return model.Grammars.Create(gbnf);
    }

    /// <summary>Parses the grammar with llama.cpp's GBNF parser, capturing the stderr it gives its reasons on.</summary>
    internal static SafeLlamaSamplerHandle Parse(LlamaModel model, string gbnf)
    {
        using var errors = LlamaLog.CallScope.Begin();
        var sampler = StderrCapture.Run(() => NativeMethods.CreateGrammar(model.Handle, gbnf, RootRule), out var stderr);
        if (!sampler.IsInvalid)
        {
            return sampler;
        }

        sampler.Dispose();
        var logged = errors.Describe();
        throw new LlamaGrammarException(ParseErrorFrom(stderr) ?? Reason(logged));
    }

    /// <summary>Picks "expecting ::= at ..." out of "parse: error parsing grammar: expecting ::= at ...\n\n&lt;grammar&gt;".</summary>
    private static string? ParseErrorFrom(string stderr)
    {
        const string marker = "error parsing grammar: ";
        var start = stderr.IndexOf(marker, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        start += marker.Length;
        var end = stderr.IndexOf('\n', start);
        return (end < 0 ? stderr[start..] : stderr[start..end]).Trim();
    }

    /// <summary>llama.cpp logs "failed to parse grammar" after the line that says why; the why comes first.</summary>
    private static string Reason(string errors) =>
        errors.Split("; ").FirstOrDefault(line => !line.StartsWith("failed to parse grammar", StringComparison.Ordinal)) ?? errors;

    internal static unsafe bool IsAllowed(SafeLlamaSamplerHandle grammar, int token)
    {
        var candidate = new llama_token_data { id = token, logit = 0, p = 0 };
        var candidates = new llama_token_data_array { data = &candidate, size = 1, selected = -1, sorted = 0 };
        NativeMethods.Apply(grammar, ref candidates);
        return !float.IsNegativeInfinity(candidate.logit);
    }

    /// <summary>
    /// Tokens whose pieces spell <paramref name="text"/> byte for byte. SentencePiece tokenizers put a space in front
    /// of the first word (add_space_prefix), which the first piece then carries; in that case the text is tokenized
    /// behind a newline, which does not merge with what follows, and the tokens spelling the prefix are dropped.
    /// </summary>
    private static int[] TokenizeExactly(LlamaModel model, string text)
    {
        var expected = Encoding.UTF8.GetBytes(text);
        var direct = model.Tokenize(text, addSpecial: false, parseSpecial: false);
        if (SpellsExactly(model, direct, 0, expected))
        {
            return direct;
        }

        var prefixed = model.Tokenize("\n" + text, addSpecial: false, parseSpecial: false);
        var pieces = prefixed.Select(t => model.TokenToPieceUtf8(t).Length).ToArray();
        var prefixLength = pieces.Sum() - expected.Length;
        var length = 0;
        for (var k = 0; k < prefixed.Length && length <= prefixLength; k++)
        {
            if (length == prefixLength && SpellsExactly(model, prefixed, k, expected))
            {
                return prefixed[k..];
            }

            length += pieces[k];
        }

        throw new ArgumentException("the model's tokenizer cannot produce tokens whose pieces spell this text exactly", nameof(text));
    }

    private static bool SpellsExactly(LlamaModel model, int[] tokens, int from, byte[] expected)
    {
        var offset = 0;
        for (var i = from; i < tokens.Length; i++)
        {
            var piece = model.TokenToPieceUtf8(tokens[i]);
            if (offset + piece.Length > expected.Length || !piece.AsSpan().SequenceEqual(expected.AsSpan(offset, piece.Length)))
            {
                return false;
            }

            offset += piece.Length;
        }

        return offset == expected.Length;
    }

    private static string Tail(string text) => text.Length <= 40 ? text : "..." + text[^40..];
}
