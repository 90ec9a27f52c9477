namespace DocExtract.Schemas.Tests.Gbnf;

// Decides whether a grammar's root rule derives a text. It follows every parse at once: each node maps a start
// position to the set of positions where a match can end, memoised per rule and position, so ambiguity costs sets,
// not backtracking. Left recursion would loop, so it is reported instead; the converter never emits it.
internal sealed class GbnfRecognizer(string grammar)
{
    private readonly IReadOnlyDictionary<string, GbnfNode> _rules = GbnfParser.Parse(grammar);

    public bool Accepts(string text)
    {
        var input = text.EnumerateRunes().Select(rune => rune.Value).ToArray();
        return new Run(_rules, input).Match(new GbnfRuleRef("root"), 0).Contains(input.Length);
    }

    private sealed class Run(IReadOnlyDictionary<string, GbnfNode> rules, int[] input)
    {
        private readonly Dictionary<(string Rule, int Start), HashSet<int>> _memo = [];
        private readonly HashSet<(string Rule, int Start)> _inProgress = [];

        public HashSet<int> Match(GbnfNode node, int start) => node switch
        {
            GbnfLiteral literal => MatchLiteral(literal, start),
            GbnfCharClass charClass => start < input.Length && charClass.Matches(input[start]) ? [start + 1] : [],
            GbnfRuleRef reference => MatchRule(reference.Name, start),
            GbnfSequence sequence => sequence.Items.Aggregate(new HashSet<int> { start }, (ends, item) => Continue(item, ends)),
            GbnfAlternatives alternatives => alternatives.Options.SelectMany(option => Match(option, start)).ToHashSet(),
            GbnfRepeat repeat => MatchRepeat(repeat, start),
            _ => throw new InvalidOperationException($"Unknown node {node}."),
        };

        private HashSet<int> Continue(GbnfNode item, HashSet<int> starts) => starts.SelectMany(start => Match(item, start)).ToHashSet();

        private HashSet<int> MatchLiteral(GbnfLiteral literal, int start)
        {
            var codePoints = literal.CodePoints;
            return start + codePoints.Length <= input.Length && input.AsSpan(start, codePoints.Length).SequenceEqual(codePoints)
                ? [start + codePoints.Length]
                : [];
        }

        private HashSet<int> MatchRule(string name, int start)
        {
            if (_memo.TryGetValue((name, start), out var known))
            {
                return known;
            }

            if (!_inProgress.Add((name, start)))
            {
                throw new InvalidOperationException($"Rule '{name}' is left-recursive.");
            }

            var ends = Match(rules[name], start);
            _inProgress.Remove((name, start));
            _memo[(name, start)] = ends;
            return ends;
        }

        private HashSet<int> MatchRepeat(GbnfRepeat repeat, int start)
        {
            var ends = repeat.Min == 0 ? new HashSet<int> { start } : [];
            var frontier = new HashSet<int> { start };
            var seen = new HashSet<int>(ends);
            for (var count = 1; frontier.Count > 0 && (repeat.Max is null || count <= repeat.Max); count++)
            {
                frontier = Continue(repeat.Item, frontier);
                if (count >= repeat.Min)
                {
                    // Unbounded repetition stops once no new end position turns up.
                    frontier.ExceptWith(repeat.Max is null ? seen : []);
                    ends.UnionWith(frontier);
                    seen.UnionWith(frontier);
                }
            }

            return ends;
        }
    }
}
