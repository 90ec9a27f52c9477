using System.Text.Json;
using DocExtract.Operations.Evaluations;

namespace DocExtract.Api.Tests;

/// <summary>The evaluation's arithmetic (#13, "corrections as labels") against figures computed by hand.</summary>
public sealed class Evaluating_field_accuracy
{
    [Theory]
    [InlineData("\"1,234.56\"", "1234.56")]
    [InlineData("\"1.234,56\"", "1234.56")]
    [InlineData("\"1 234,56\"", "1234.56")]
    [InlineData("\"EUR 1'234.56\"", "1234.56")]
    [InlineData("\"(50.00)\"", "-50")]
    [InlineData("\"1,234\"", "1234")]
    [InlineData("\"1,234\"", "1.234")]
    [InlineData("631.2", "631.20")]
    [InlineData("\"2 March 2026\"", "\"2026-03-02\"")]
    [InlineData("\"March 2nd, 2026\"", "\"2026-03-02\"")]
    [InlineData("\"2. März 2026\"", "\"2026-03-02\"")]
    [InlineData("\"02/03/2026\"", "\"2026-03-02\"")]
    [InlineData("\"03/25/2026\"", "\"2026-03-25\"")]
    [InlineData("\"2026-03-02T10:00:00Z\"", "\"2026-03-02\"")]
    [InlineData("\"  ACME   GmbH \"", "\"acme gmbh\"")]
    [InlineData("\"\\u201CQuoted\\u201D \\u2013 ﬁne\"", "\"\\\"quoted\\\" - fine\"")]
    public void Values_that_read_the_same_match_once_normalised(string model, string truth) =>
        Assert.True(ValueMatch.Normalised(Json(model), Json(truth)), $"{model} should match {truth}");

    [Theory]
    [InlineData("\"1,234.56\"", "1234.5")]
    [InlineData("\"02/03/2026\"", "\"2026-02-03\"")] // day first, as the evidence finder reads it
    [InlineData("\"02.03.2026\"", "2032026")]        // a date is not a grouped number
    [InlineData("\"INV-1\"", "\"INV-2\"")]
    [InlineData("\"ACME GmbH\"", "\"ACME AG\"")]
    [InlineData("true", "\"yes\"")]
    public void Values_that_differ_do_not_match(string model, string truth) =>
        Assert.False(ValueMatch.Normalised(Json(model), Json(truth)), $"{model} should not match {truth}");

    [Fact]
    public void Exact_counts_only_the_same_json_value_while_normalised_counts_what_reads_the_same()
    {
        var report = Evaluate(Document(
            model: """{ "invoice_number": "INV-1", "total": "1.234,56", "date": "02/03/2026", "vendor": " acme  gmbh ", "net": 1000.50 }""",
            truth: """{ "invoice_number": "INV-1", "total": 1234.56, "date": "2026-03-02", "vendor": "ACME GmbH", "net": 1000.5 }"""));

        var all = report.Overall;
        Assert.Equal((5, 2, 5, 0), (all.Stated, all.Exact, all.Right, all.Wrong)); // invoice_number and net are exact
        Assert.Equal((0.4, 1.0), (all.ExactAccuracy, all.Accuracy));
        Assert.Equal(1, report.DocumentsAllRight);
        Assert.Equal(["/date", "/invoice_number", "/net", "/total", "/vendor"], report.Fields.Select(f => f.Field));
    }

    [Fact]
    public void Missing_extra_and_rightly_empty_values_are_counted_apart()
    {
        // a right, b extra (model states, truth null), c missing (model null), d rightly empty (truth null, model absent),
        // e missing (model left it out), f wrong.
        var report = Evaluate(Document(
            model: """{ "a": "x", "b": "z", "c": null, "f": 3 }""",
            truth: """{ "a": "x", "b": null, "c": "y", "d": null, "e": " e ", "f": 4 }"""));

        var all = report.Overall;
        Assert.Equal((5, 1, 1, 2, 1, 1), (all.Stated, all.Right, all.Wrong, all.Missing, all.Extra, all.Empty));
        Assert.Equal(0.2, all.Accuracy);     // 1 right of 5 stated
        Assert.Equal(0.3333, all.Precision); // 1 right of the 3 the model stated (a, b, f)
        Assert.Equal(0.25, all.Recall);      // 1 right of the 4 the truth states (a, c, e, f)
        Assert.Equal(0, report.DocumentsAllRight);
        Assert.Equal(1, report.Fields.Single(f => f.Field == "/e").Missing);
    }

    [Fact]
    public void A_document_without_model_data_has_every_stated_value_missing()
    {
        var report = Evaluation.Evaluate([new EvaluatedDocument(Guid.NewGuid(), null, new Dictionary<string, double>(),
            Json("""{ "a": "x", "items": [{ "b": 1 }, { "b": 2 }] }"""))]);

        Assert.Equal((3, 3, 0), (report.Overall.Stated, report.Overall.Missing, report.Overall.Right));
        Assert.Equal((2, 0, 0, 0), (report.Arrays[0].TruthItems, report.Arrays[0].ModelItems, report.Arrays[0].InPlace, report.Arrays[0].AnyOrder));
    }

    [Fact]
    public void Line_items_compare_by_position_per_field_and_as_a_multiset_per_array()
    {
        // The model lists A and B swapped, writes C's amount as text, and adds an item D the truth does not have.
        var report = Evaluate(Document(
            model: """{ "line_items": [ { "d": "B", "amt": 20 }, { "d": "A", "amt": 10.0 }, { "d": "C", "amt": "30,00" }, { "d": "D", "amt": 40 } ] }""",
            truth: """{ "line_items": [ { "d": "A", "amt": 10 }, { "d": "B", "amt": 20 }, { "d": "C", "amt": 30 } ] }"""));

        var amount = report.Fields.Single(f => f.Field == "/line_items/*/amt");
        var description = report.Fields.Single(f => f.Field == "/line_items/*/d");
        Assert.Equal((1, 2, 1), (amount.Right, amount.Wrong, amount.Extra));        // places 0, 1 swapped; 2 right; 3 extra
        Assert.Equal((1, 2, 1), (description.Right, description.Wrong, description.Extra));
        var items = Assert.Single(report.Arrays);
        Assert.Equal(("/line_items", 3, 4, 1, 3), (items.Field, items.TruthItems, items.ModelItems, items.InPlace, items.AnyOrder));
        Assert.Equal((0.3333, 1.0, 0.75), (items.InPlaceRecall, items.AnyOrderRecall, items.AnyOrderPrecision));
    }

    [Fact]
    public void The_roc_auc_is_the_share_of_right_wrong_pairs_the_confidence_orders_correctly_with_ties_half()
    {
        // 9 pairs: 0.9 and 0.8 beat all three wrong ones (6); 0.4 beats 0.1, ties 0.4 (1.5), loses to 0.7: 7.5 / 9.
        Assert.Equal(0.8333, ConfidenceFigures.RocAuc([0.9, 0.8, 0.4], [0.7, 0.4, 0.1]));
        Assert.Equal(1.0, ConfidenceFigures.RocAuc([0.9], [0.1, 0.2]));
        Assert.Equal(0.5, ConfidenceFigures.RocAuc([0.5, 0.5], [0.5]));
        Assert.Null(ConfidenceFigures.RocAuc([0.9], []));
    }

    // f1-f3 right at 0.9, 0.8, 0.4; f4-f6 wrong at 0.7, 0.4, 0.1.
    private static EvaluationReport Separated(double target) => Evaluation.Evaluate(
        [new EvaluatedDocument(Guid.NewGuid(),
            Json("""{ "f1": "a", "f2": "b", "f3": "c", "f4": "x", "f5": "y", "f6": "z" }"""),
            new Dictionary<string, double> { ["/f1"] = 0.9, ["/f2"] = 0.8, ["/f3"] = 0.4, ["/f4"] = 0.7, ["/f5"] = 0.4, ["/f6"] = 0.1 },
            Json("""{ "f1": "a", "f2": "b", "f3": "c", "f4": "d", "f5": "e", "f6": "f" }"""))],
        target);

    [Fact]
    public void Confidence_is_scored_per_field_and_overall()
    {
        var report = Separated(0.95);

        Assert.Equal((6, 3, 0.8333), (report.Overall.Confidence.Scored, report.Overall.Confidence.ScoredRight, report.Overall.Confidence.Auc));
        Assert.Equal((0.7, 0.4), (report.Overall.Confidence.MeanRight, report.Overall.Confidence.MeanWrong)); // (0.9+0.8+0.4)/3, (0.7+0.4+0.1)/3
        Assert.Null(report.Fields.Single(f => f.Field == "/f1").Confidence.Auc); // one right value and no wrong one
    }

    [Fact]
    public void Each_candidate_threshold_says_what_would_pass_unreviewed_and_what_would_be_flagged()
    {
        var at = Separated(0.95).Thresholds.Single(t => t.Threshold == 0.5);

        // Accepted: 0.9, 0.8 (right) and 0.7 (wrong); flagged: 0.4 right, 0.4 and 0.1 wrong.
        Assert.Equal((3, 2, 0.6667), (at.Accepted, at.AcceptedRight, at.Precision));
        Assert.Equal((3, 2, 0.5, 0.6667), (at.Flagged, at.FlaggedWrong, at.FlaggedShare, at.WrongCaught));
    }

    [Fact]
    public void The_suggested_threshold_is_the_lowest_confidence_whose_accepted_values_reach_the_target_precision()
    {
        // At or above 0.9: 1/1; 0.8: 2/2; 0.7: 2/3; 0.4: 3/5 = 0.6; 0.1: 3/6.
        var strict = Separated(0.95).Suggestion;
        var lenient = Separated(0.6).Suggestion;

        Assert.Equal((0.8, 2, 1.0, 0.6667, 1.0),
            (strict.Threshold, strict.Figures!.Accepted, strict.Figures.Precision, strict.Figures.FlaggedShare, strict.Figures.WrongCaught));
        Assert.StartsWith("at 0.8, 100% of the 2 values passing unreviewed need no correction (target 95%)", strict.Reason, StringComparison.Ordinal);
        Assert.Equal(0.4, lenient.Threshold); // 0.7 passes too, but 0.4 flags fewer values
    }

    [Fact]
    public void No_threshold_is_suggested_where_none_reaches_the_target()
    {
        var report = Evaluation.Evaluate(
            [new EvaluatedDocument(Guid.NewGuid(), Json("""{ "a": "x", "b": "y" }"""),
                new Dictionary<string, double> { ["/a"] = 0.9, ["/b"] = 0.2 }, Json("""{ "a": "wrong", "b": "y" }"""))], 0.95);

        Assert.Null(report.Suggestion.Threshold);
        Assert.Contains("no threshold reaches a precision of 95%: the best is 50%", report.Suggestion.Reason, StringComparison.Ordinal);
        Assert.Equal(0.0, report.Overall.Confidence.Auc); // the wrong value was the surer one
    }

    private static JsonElement Json(string json) => JsonSerializer.Deserialize<JsonElement>(json);

    private static EvaluatedDocument Document(string model, string truth) =>
        new(Guid.NewGuid(), Json(model), new Dictionary<string, double>(), Json(truth));

    private static EvaluationReport Evaluate(EvaluatedDocument document) => Evaluation.Evaluate([document]);
}
