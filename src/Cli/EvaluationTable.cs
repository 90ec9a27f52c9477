using System.Globalization;
using System.Text;
using DocExtract.Operations.Evaluations;

namespace DocExtract.Cli;

/// <summary>`extract evaluate`'s human-readable table: one column per evaluated model, the stored outputs first.</summary>
public static class EvaluationTable
{
    private const int LabelWidth = 40;
    private const int ColumnWidth = 36;

    public static string Text(EvaluationFilter filter, IReadOnlyList<(string Name, EvaluationReport Report)> columns)
    {
        var text = new StringBuilder();
        var period = (filter.From, filter.To) switch
        {
            (null, null) => "all reviews",
            var (from, to) => $"reviews from {from?.ToString("u", CultureInfo.InvariantCulture) ?? "the first"} to {to?.ToString("u", CultureInfo.InvariantCulture) ?? "now"}",
        };
        text.AppendLine($"{filter.Type}{(filter.Version is null ? "" : $" version {filter.Version}")}, tenant {filter.Tenant}, {period} " +
            "(the newest review of each document is the truth)");
        text.AppendLine();
        Row(text, "", columns.Select(c => c.Name));
        Row(text, "documents", columns.Select(c => $"{c.Report.Documents}"));
        Row(text, "documents needing no correction", columns.Select(c => $"{c.Report.DocumentsAllRight}"));
        Row(text, "values stated (truth or model)", columns.Select(c => $"{c.Report.Overall.Stated}"));
        Row(text, "exact match", columns.Select(c => $"{Percent(c.Report.Overall.ExactAccuracy)} ({c.Report.Overall.Exact})"));
        Row(text, "right (normalised match)", columns.Select(c => $"{Percent(c.Report.Overall.Accuracy)} ({c.Report.Overall.Right})"));
        Row(text, "wrong / missing / extra", columns.Select(c => $"{c.Report.Overall.Wrong} / {c.Report.Overall.Missing} / {c.Report.Overall.Extra}"));
        Row(text, "precision / recall", columns.Select(c => $"{Percent(c.Report.Overall.Precision)} / {Percent(c.Report.Overall.Recall)}"));
        Row(text, "confidence ROC AUC", columns.Select(c => Number(c.Report.Overall.Confidence.Auc)));
        Row(text, $"Llm:ReviewConfidence for {Percent(filter.TargetPrecision)}", columns.Select(c => Number(c.Report.Suggestion.Threshold)));

        text.AppendLine();
        Row(text, "per field: right (exact) W/M/E AUC", columns.Select(c => c.Name));
        foreach (var field in columns.SelectMany(c => c.Report.Fields.Select(f => f.Field)).Distinct().Order(StringComparer.Ordinal))
        {
            Row(text, field, columns.Select(c => c.Report.Fields.FirstOrDefault(f => f.Field == field) is { } f
                ? $"{Percent(f.Accuracy)} ({Percent(f.ExactAccuracy)}) {f.Wrong}/{f.Missing}/{f.Extra} {Number(f.Confidence.Auc)}"
                : "-"));
        }

        if (columns.Any(c => c.Report.Arrays.Count > 0))
        {
            text.AppendLine();
            Row(text, "arrays: items in place / any order", columns.Select(c => c.Name));
            foreach (var field in columns.SelectMany(c => c.Report.Arrays.Select(a => a.Field)).Distinct().Order(StringComparer.Ordinal))
            {
                Row(text, field, columns.Select(c => c.Report.Arrays.FirstOrDefault(a => a.Field == field) is { } a
                    ? $"{a.InPlace} / {a.AnyOrder} of {a.TruthItems} (model {a.ModelItems})"
                    : "-"));
            }
        }

        foreach (var (name, report) in columns)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"{name}: values accepted unreviewed at each Llm:ReviewConfidence");
            text.AppendLine("threshold  accepted  precision  flagged  wrong caught");
            foreach (var t in report.Thresholds)
            {
                text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                    $"{t.Threshold,-9}  {t.Accepted,8}  {Percent(t.Precision),9}  {Percent(t.FlaggedShare),7}  {Percent(t.WrongCaught),12}"));
            }
            text.AppendLine(CultureInfo.InvariantCulture, $"suggested: {report.Suggestion.Reason}");
        }
        return text.ToString().TrimEnd();
    }

    private static void Row(StringBuilder text, string label, IEnumerable<string> cells) =>
        text.AppendLine((label.PadRight(LabelWidth) + string.Concat(cells.Select(c => c.PadRight(ColumnWidth)))).TrimEnd());

    private static string Percent(double? share) =>
        share is { } s ? (s * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%" : "-";

    private static string Number(double? value) => value is { } v ? v.ToString("0.###", CultureInfo.InvariantCulture) : "-";
}
