namespace DocExtract.Schemas.Tests.Gbnf;

// The parsed form of a GBNF rule body: terminals are Unicode code points, as in llama.cpp.
internal abstract record GbnfNode;

internal sealed record GbnfLiteral(int[] CodePoints) : GbnfNode;

internal sealed record GbnfCharClass(bool Negated, IReadOnlyList<(int From, int To)> Ranges) : GbnfNode
{
    public bool Matches(int codePoint) => Ranges.Any(range => range.From <= codePoint && codePoint <= range.To) != Negated;
}

internal sealed record GbnfRuleRef(string Name) : GbnfNode;

internal sealed record GbnfSequence(IReadOnlyList<GbnfNode> Items) : GbnfNode;

internal sealed record GbnfAlternatives(IReadOnlyList<GbnfNode> Options) : GbnfNode;

internal sealed record GbnfRepeat(GbnfNode Item, int Min, int? Max) : GbnfNode;
