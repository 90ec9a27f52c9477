using System.Globalization;

namespace DocExtract.Operations.Evaluations;

/// <summary>What was evaluated (the filter as applied) and the figures; as GET /evaluations answers and `evaluate --json` prints it.</summary>
public sealed record EvaluationResponse(string Type, string? Version, DateTimeOffset? From, DateTimeOffset? To, EvaluationReport Figures)
{
    public static EvaluationResponse Of(EvaluationFilter filter, EvaluationReport figures) =>
        new(filter.Type, filter.Version, filter.From, filter.To, figures);
}

/// <summary>
/// The figures of one evaluation: documents, accuracy over all fields and per field, arrays as multisets, and the
/// confidence thresholds that <c>Llm:ReviewConfidence</c> could be set to, with the one suggested.
/// </summary>
public sealed record EvaluationReport(
    int Documents,
    int DocumentsAllRight,
    FieldFigures Overall,
    IReadOnlyList<FieldFigures> Fields,
    IReadOnlyList<ArrayFigures> Arrays,
    IReadOnlyList<ThresholdFigures> Thresholds,
    ThresholdSuggestion Suggestion);

/// <summary>
/// One field's counts (<paramref name="Stated"/> = right + wrong + missing + extra: the leaves where either side states
/// a value), its exact and normalised accuracy over those, precision (of the values the model stated, the share right)
/// and recall (of the values the truth states, the share the model got right), and how its confidence separated right
/// from wrong. Null shares have nothing to divide by.
/// </summary>
public sealed record FieldFigures(
    string Field, int Stated, int Exact, int Right, int Wrong, int Missing, int Extra, int Empty,
    double? ExactAccuracy, double? Accuracy, double? Precision, double? Recall, ConfidenceFigures Confidence);

/// <summary>
/// How well the stored confidence told values needing no correction (right, or rightly empty) from the others, over the
/// <paramref name="Scored"/> leaves the model wrote with a confidence. <paramref name="Auc"/> is the ROC AUC: the
/// chance that a right value has a higher confidence than a wrong one (ties count half); 0.5 is no better than a coin,
/// 1 a perfect separation; null without both kinds.
/// </summary>
public sealed record ConfidenceFigures(int Scored, int ScoredRight, double? Auc, double? MeanRight, double? MeanWrong)
{
    public static ConfidenceFigures Of(IReadOnlyList<LeafComparison> scored)
    {
        var right = scored.Where(l => l.NeedsNoCorrection).Select(l => l.Confidence!.Value).ToList();
        var wrong = scored.Where(l => !l.NeedsNoCorrection).Select(l => l.Confidence!.Value).ToList();
        return new ConfidenceFigures(scored.Count, right.Count, RocAuc(right, wrong),
            right.Count == 0 ? null : Math.Round(right.Average(), 4), wrong.Count == 0 ? null : Math.Round(wrong.Average(), 4));
    }

    /// <summary>The Mann-Whitney form of the ROC AUC: (rank sum of the positives − n₊(n₊+1)/2) / (n₊·n₋), ties at their mean rank.</summary>
    public static double? RocAuc(IReadOnlyList<double> positives, IReadOnlyList<double> negatives)
    {
        if (positives.Count == 0 || negatives.Count == 0)
        {
            return null;
        }
        var all = positives.Select(c => (Confidence: c, Positive: true)).Concat(negatives.Select(c => (Confidence: c, Positive: false)))
            .OrderBy(x => x.Confidence).ToList();
        double positiveRanks = 0;
        for (var start = 0; start < all.Count;)
        {
            var end = start;
            while (end < all.Count && all[end].Confidence == all[start].Confidence)
            {
                end++;
            }
            var meanRank = (start + 1 + end) / 2.0; // ranks start+1 .. end
            positiveRanks += meanRank * all.Skip(start).Take(end - start).Count(x => x.Positive);
            start = end;
        }
        double n = positives.Count, m = negatives.Count;
        return Math.Round((positiveRanks - n * (n + 1) / 2) / (n * m), 4);
    }
}

/// <summary>
/// One array field (line items): the items of the truth and of the model, those equal in the same place, and those
/// equal in any order (each model item matched once). A low in-place and high any-order count means the model read
/// the items but listed them in another order, which the per-field figures count as wrong at every shifted place.
/// </summary>
public sealed record ArrayFigures(string Field, int TruthItems, int ModelItems, int InPlace, int AnyOrder,
    double? InPlaceRecall, double? AnyOrderRecall, double? AnyOrderPrecision)
{
    public static ArrayFigures Of(string field, IReadOnlyList<ArrayComparison> arrays)
    {
        int truth = arrays.Sum(a => a.TruthItems), model = arrays.Sum(a => a.ModelItems);
        int inPlace = arrays.Sum(a => a.InPlace), anyOrder = arrays.Sum(a => a.AnyOrder);
        return new ArrayFigures(field, truth, model, inPlace, anyOrder,
            Evaluation.Share(inPlace, truth), Evaluation.Share(anyOrder, truth), Evaluation.Share(anyOrder, model));
    }
}

/// <summary>One array of one document compared.</summary>
public sealed record ArrayComparison(string Field, int TruthItems, int ModelItems, int InPlace, int AnyOrder);

/// <summary>
/// What <c>Llm:ReviewConfidence</c> = <paramref name="Threshold"/> would have done: values at or above it pass
/// (<paramref name="Accepted"/>, of which <paramref name="AcceptedRight"/> needed no correction:
/// <paramref name="Precision"/>), values below it send their document to review (<paramref name="Flagged"/>, their
/// share of all scored values, and <paramref name="WrongCaught"/>, the share of all wrong values among them).
/// </summary>
public sealed record ThresholdFigures(double Threshold, int Accepted, int AcceptedRight, double? Precision, int Flagged, int FlaggedWrong,
    double? FlaggedShare, double? WrongCaught)
{
    public static ThresholdFigures At(double threshold, IReadOnlyList<LeafComparison> scored)
    {
        var accepted = scored.Where(l => l.Confidence >= threshold).ToList();
        var acceptedRight = accepted.Count(l => l.NeedsNoCorrection);
        var flagged = scored.Count - accepted.Count;
        var wrong = scored.Count(l => !l.NeedsNoCorrection);
        var flaggedWrong = wrong - (accepted.Count - acceptedRight);
        return new ThresholdFigures(threshold, accepted.Count, acceptedRight, Evaluation.Share(acceptedRight, accepted.Count),
            flagged, flaggedWrong, Evaluation.Share(flagged, scored.Count), Evaluation.Share(flaggedWrong, wrong));
    }
}

/// <summary>
/// The lowest confidence, among those observed, at which the values accepted (at or above it) reach the target
/// precision: the setting that sends the fewest documents to review while keeping what passes unreviewed that
/// accurate. Null where no threshold reaches it; <paramref name="Reason"/> says why in words.
/// </summary>
public sealed record ThresholdSuggestion(double TargetPrecision, double? Threshold, ThresholdFigures? Figures, string Reason)
{
    public static ThresholdSuggestion For(IReadOnlyList<LeafComparison> scored, double target)
    {
        if (scored.Count == 0)
        {
            return new(target, null, null, "no value with a stored confidence was compared, so there is nothing to set the threshold from");
        }
        var byConfidence = scored.OrderByDescending(l => l.Confidence).ToList();
        // From the most confident down: at each distinct confidence, the precision of everything at or above it.
        double? lowest = null;
        var (best, bestAt) = (-1.0, 0.0);
        var (accepted, right) = (0, 0);
        for (var i = 0; i < byConfidence.Count; i++)
        {
            accepted++;
            right += byConfidence[i].NeedsNoCorrection ? 1 : 0;
            if (i + 1 < byConfidence.Count && byConfidence[i + 1].Confidence == byConfidence[i].Confidence)
            {
                continue;
            }
            var precision = (double)right / accepted;
            if (precision >= target)
            {
                lowest = byConfidence[i].Confidence;
            }
            if (precision > best)
            {
                (best, bestAt) = (precision, byConfidence[i].Confidence!.Value);
            }
        }

        string Percent(double? share) => share is { } s ? (s * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%" : "-";
        if (lowest is not { } threshold)
        {
            return new(target, null, ThresholdFigures.At(bestAt, scored),
                $"no threshold reaches a precision of {Percent(target)}: the best is {Percent(best)}, accepting values at or above " +
                $"{bestAt.ToString("0.####", CultureInfo.InvariantCulture)}; the confidence does not single out right values well enough here");
        }
        var figures = ThresholdFigures.At(threshold, scored);
        return new(target, threshold, figures,
            $"at {threshold.ToString("0.####", CultureInfo.InvariantCulture)}, {Percent(figures.Precision)} of the {figures.Accepted} values " +
            $"passing unreviewed need no correction (target {Percent(target)}); {Percent(figures.FlaggedShare)} of values would be flagged, " +
            $"catching {Percent(figures.WrongCaught)} of the wrong ones");
    }
}
