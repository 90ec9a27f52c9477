namespace DocExtract.Llama;

/// <summary>llama.cpp refused or failed an operation; the message carries its reason where it gave one.</summary>
public class LlamaException : Exception
{
    public LlamaException(string message)
        : base(message)
    {
    }

    public LlamaException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>A GBNF grammar that llama.cpp's parser rejects.</summary>
public sealed class LlamaGrammarException(string parseError)
    : LlamaException($"invalid GBNF grammar: {parseError}")
{
    /// <summary>llama.cpp's own words, e.g. "expecting ::= at ..." or "Undefined rule identifier 'value'".</summary>
    public string ParseError { get; } = parseError;
}
