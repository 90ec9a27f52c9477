using System.Globalization;
using System.Text.Json;

namespace DocExtract.Operations.Evaluations;

/// <summary>
/// One reviewed document as an evaluation sees it: the model's data (null where it made none), its confidence in each
/// value by JSON Pointer (the result's <c>fields</c>), and the data a person approved, which is taken as the truth.
/// </summary>
public sealed record EvaluatedDocument(Guid DocumentId, JsonElement? Model, IReadOnlyDictionary<string, double> Confidence, JsonElement Truth);

/// <summary>How one leaf value of the model compared with the truth.</summary>
public enum Outcome
{
    /// <summary>Both state a value and it is the same once normalised.</summary>
    Right,

    /// <summary>Both state a value and they differ.</summary>
    Wrong,

    /// <summary>The truth states a value the model left null, empty or out.</summary>
    Missing,

    /// <summary>The model states a value where the truth has none.</summary>
    Extra,

    /// <summary>Neither states a value: the model was right to leave it null.</summary>
    Empty,
}

/// <summary>One leaf path compared: the pointer, the field it belongs to (array indexes as <c>*</c>), and the outcome.</summary>
public sealed record LeafComparison(string Pointer, string Field, Outcome Outcome, bool Exact, double? Confidence)
{
    /// <summary>What the confidence figures call right: the model's value (null included) needs no correction.</summary>
    public bool NeedsNoCorrection => Outcome is Outcome.Right or Outcome.Empty;
}

/// <summary>
/// Field-level accuracy of a model's outputs against reviewed data (#13, "corrections as labels"), and how well its
/// confidence told right values from wrong ones. Pure computation: the documents come from
/// <see cref="ReviewedDocuments"/> or from a model run over their text. docs/evaluations.md explains every figure.
/// </summary>
public static class Evaluation
{
    /// <summary>The thresholds reported by default: candidates for <c>Llm:ReviewConfidence</c>.</summary>
    public static readonly IReadOnlyList<double> CandidateThresholds = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99];

    public const double DefaultTargetPrecision = 0.95;

    public static EvaluationReport Evaluate(IReadOnlyList<EvaluatedDocument> documents, double targetPrecision = DefaultTargetPrecision)
    {
        var leaves = new List<LeafComparison>();
        var arrays = new List<ArrayComparison>();
        var allRight = 0;
        foreach (var document in documents)
        {
            var compared = Compare(document, arrays);
            leaves.AddRange(compared);
            allRight += compared.All(leaf => leaf.NeedsNoCorrection) ? 1 : 0;
        }

        var scored = leaves.Where(leaf => leaf.Confidence is not null).ToList();
        return new EvaluationReport(
            documents.Count,
            allRight,
            Figures("(all fields)", leaves),
            [.. leaves.GroupBy(leaf => leaf.Field).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Figures(g.Key, [.. g]))],
            [.. arrays.GroupBy(a => a.Field).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => ArrayFigures.Of(g.Key, [.. g]))],
            [.. CandidateThresholds.Select(t => ThresholdFigures.At(t, scored))],
            ThresholdSuggestion.For(scored, targetPrecision));
    }

    /// <summary>Every leaf path of either side, by position: the truth's in order, then the model's extra ones.</summary>
    public static IReadOnlyList<LeafComparison> Compare(EvaluatedDocument document, List<ArrayComparison>? arrays = null)
    {
        var truth = Leaves(document.Truth);
        var model = document.Model is { ValueKind: JsonValueKind.Object or JsonValueKind.Array } data ? Leaves(data) : [];
        var pointers = truth.Keys.Concat(model.Keys.Where(pointer => !truth.ContainsKey(pointer)));
        var result = new List<LeafComparison>();
        foreach (var pointer in pointers)
        {
            var (field, truthValue) = truth.TryGetValue(pointer, out var t) ? t : (model[pointer].Field, default(JsonElement));
            var modelValue = model.TryGetValue(pointer, out var m) ? m.Value : default;
            var (truthEmpty, modelEmpty) = (ValueMatch.IsEmpty(truthValue), ValueMatch.IsEmpty(modelValue));
            var outcome = (truthEmpty, modelEmpty) switch
            {
                (true, true) => Outcome.Empty,
                (true, false) => Outcome.Extra,
                (false, true) => Outcome.Missing,
                _ => ValueMatch.Normalised(modelValue, truthValue) ? Outcome.Right : Outcome.Wrong,
            };
            var exact = outcome == Outcome.Right && ValueMatch.Exact(modelValue, truthValue);
            // A confidence counts only for a value the model wrote: a path it left out has none.
            double? confidence = model.ContainsKey(pointer) && document.Confidence.TryGetValue(pointer, out var c) ? c : null;
            result.Add(new LeafComparison(pointer, field, outcome, exact, confidence));
        }
        arrays?.AddRange(CompareArrays(document.Truth, document.Model ?? default));
        return result;
    }

    /// <summary>Every array of the truth against the model's array at the same path: item by item in place, and as a multiset.</summary>
    public static IReadOnlyList<ArrayComparison> CompareArrays(JsonElement truth, JsonElement model)
    {
        var arrays = new List<ArrayComparison>();
        CompareArrays(truth, model, "", arrays);
        return arrays;
    }

    private static void CompareArrays(JsonElement truth, JsonElement model, string field, List<ArrayComparison> arrays)
    {
        if (truth.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in truth.EnumerateObject())
            {
                var inModel = model.ValueKind == JsonValueKind.Object && model.TryGetProperty(property.Name, out var m) ? m : default;
                CompareArrays(property.Value, inModel, $"{field}/{Escape(property.Name)}", arrays);
            }
        }
        else if (truth.ValueKind == JsonValueKind.Array)
        {
            var truthItems = truth.EnumerateArray().ToList();
            var modelItems = model.ValueKind == JsonValueKind.Array ? model.EnumerateArray().ToList() : [];
            var inPlace = truthItems.Zip(modelItems).Count(pair => ValueMatch.Normalised(pair.Second, pair.First));
            arrays.Add(new ArrayComparison(field, truthItems.Count, modelItems.Count, inPlace, AnyOrder(truthItems, modelItems)));
            for (var i = 0; i < truthItems.Count; i++)
            {
                CompareArrays(truthItems[i], i < modelItems.Count ? modelItems[i] : default, $"{field}/*", arrays);
            }
        }
    }

    // Items of the truth that have an equal item in the model's array, each model item used once (greedy: normalised
    // equality of whole items rarely has more than one candidate, so the greedy match is the largest in practice).
    private static int AnyOrder(List<JsonElement> truth, List<JsonElement> model)
    {
        var unused = new List<JsonElement>(model);
        var matched = 0;
        foreach (var item in truth)
        {
            var at = unused.FindIndex(candidate => ValueMatch.Normalised(candidate, item));
            if (at >= 0)
            {
                unused.RemoveAt(at);
                matched++;
            }
        }
        return matched;
    }

    /// <summary>Every leaf (string, number, boolean, null) by JSON Pointer, with its field: the pointer with array indexes as <c>*</c>.</summary>
    public static Dictionary<string, (string Field, JsonElement Value)> Leaves(JsonElement root)
    {
        var leaves = new Dictionary<string, (string, JsonElement)>(StringComparer.Ordinal);
        Walk(root, "", "", leaves);
        return leaves;
    }

    private static void Walk(JsonElement value, string pointer, string field, Dictionary<string, (string, JsonElement)> leaves)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject())
                {
                    var token = Escape(property.Name);
                    Walk(property.Value, $"{pointer}/{token}", $"{field}/{token}", leaves);
                }
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    Walk(item, $"{pointer}/{index.ToString(CultureInfo.InvariantCulture)}", $"{field}/*", leaves);
                    index++;
                }
                break;
            default:
                leaves[pointer.Length == 0 ? "/" : pointer] = (field.Length == 0 ? "/" : field, value);
                break;
        }
    }

    private static string Escape(string name) => name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private static FieldFigures Figures(string field, IReadOnlyList<LeafComparison> leaves)
    {
        int Count(Outcome outcome) => leaves.Count(leaf => leaf.Outcome == outcome);
        var (right, wrong, missing, extra, empty) = (Count(Outcome.Right), Count(Outcome.Wrong), Count(Outcome.Missing), Count(Outcome.Extra), Count(Outcome.Empty));
        var stated = right + wrong + missing + extra;
        var exact = leaves.Count(leaf => leaf.Exact);
        return new FieldFigures(field, stated, exact, right, wrong, missing, extra, empty, Share(exact, stated), Share(right, stated),
            Share(right, right + wrong + extra), Share(right, right + wrong + missing),
            ConfidenceFigures.Of([.. leaves.Where(leaf => leaf.Confidence is not null)]));
    }

    internal static double? Share(int part, int whole) => whole == 0 ? null : Math.Round((double)part / whole, 4);
}
