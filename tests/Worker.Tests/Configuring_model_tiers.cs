using DocExtract.Contracts;
using DocExtract.Persistence.Results;
using DocExtract.Pipeline.EmbeddedInvoices;
using DocExtract.Pipeline.Extraction;
using DocExtract.Pipeline.Processing;
using DocExtract.Worker.Processing;
using Microsoft.Extensions.Configuration;

namespace DocExtract.Worker.Tests;

/// <summary>The cascade of local models (#12): which tier a worker serves, its queue and settings, and what escalates.</summary>
public sealed class Configuring_model_tiers
{
    private static IConfiguration Settings(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();

    private static TierCascade Cascade(params (string Key, string Value)[] settings) =>
        TierCascade.From(Settings(settings), QueueNames.ExtractDocument);

    private static readonly (string, string)[] _twoTiers = [("Llm:Tiers:0:Model", "small.gguf"), ("Llm:Tiers:1:Model", "large.gguf")];

    private static Review Needing(params string[] kinds) => new(true, [.. kinds.Select(kind => new ReviewReason(kind, null, kind))]);

    [Fact]
    public void Without_tiers_the_worker_is_the_last_and_only_tier_on_todays_queue()
    {
        var cascade = Cascade();

        Assert.Equal((0, 1, true, (string?)null), (cascade.Tier, cascade.Tiers, cascade.IsLast, cascade.NextQueue));
        Assert.Equal(QueueNames.ExtractDocument, QueueNames.ForTier(QueueNames.ExtractDocument, cascade.Tier));
        Assert.Empty(cascade.Escalating("invoice", StructuredData.LlmRoute, Needing(ReviewReason.LowConfidence)));
    }

    [Fact]
    public void A_first_tier_of_two_queues_the_second_on_its_own_queue()
    {
        var first = Cascade(_twoTiers);
        var second = Cascade([.. _twoTiers, ("Worker:Tier", "1")]);

        Assert.Equal((0, 2, false, "extract-document-tier-1"), (first.Tier, first.Tiers, first.IsLast, first.NextQueue));
        Assert.Equal((1, true, (string?)null), (second.Tier, second.IsLast, second.NextQueue));
        Assert.Equal("extract-document-tier-1", QueueNames.ForTier(QueueNames.ExtractDocument, 1));
    }

    [Theory]
    [InlineData("1", "Worker:Tier is 1, but no Llm:Tiers are configured")]
    [InlineData("-1", "Worker:Tier is -1")]
    public void A_tier_that_is_not_configured_stops_the_worker_naming_the_setting(string tier, string message)
    {
        var error = Assert.Throws<LlmSetupException>(() => Cascade(("Worker:Tier", tier)));

        Assert.StartsWith(message, error.Message);
    }

    [Fact]
    public void A_tier_past_the_configured_ones_names_the_tiers_there_are()
    {
        var error = Assert.Throws<LlmSetupException>(() => Cascade([.. _twoTiers, ("Worker:Tier", "2")]));

        Assert.Equal("Worker:Tier is 2, but Llm:Tiers configures tiers 0 to 1: set Worker:Tier to one of them", error.Message);
    }

    [Fact]
    public void Tiers_with_a_gap_stop_the_worker()
    {
        var error = Assert.Throws<LlmSetupException>(() => Cascade(("Llm:Tiers:0:Model", "a"), ("Llm:Tiers:2:Model", "b")));

        Assert.Equal("Llm:Tiers must be numbered 0, 1, 2 ... without gaps: found 0, 2, no 1", error.Message);
    }

    [Fact]
    public void An_unknown_reason_kind_in_the_policy_stops_the_worker_naming_the_setting()
    {
        var error = Assert.Throws<LlmSetupException>(() => Cascade([.. _twoTiers, ("Llm:Escalation:Types:invoice", "failed-rule, typo")]));

        Assert.StartsWith("Llm:Escalation:Types:invoice names 'typo', which is no review reason kind", error.Message);
    }

    [Fact]
    public void By_default_every_reason_escalates()
    {
        var escalating = Cascade(_twoTiers).Escalating("invoice", StructuredData.LlmRoute, Needing(ReviewReason.LowConfidence, ReviewReason.UnknownType));

        Assert.Equal([ReviewReason.LowConfidence, ReviewReason.UnknownType], escalating.Select(r => r.Kind));
    }

    [Fact]
    public void A_types_policy_overrides_the_default_and_none_escalates_nothing()
    {
        var cascade = Cascade([.. _twoTiers, ("Llm:Escalation:Default", "none"), ("Llm:Escalation:Types:invoice", "failed-rule")]);

        var review = Needing(ReviewReason.LowConfidence, ReviewReason.FailedRule);
        Assert.Equal([ReviewReason.FailedRule], cascade.Escalating("invoice", StructuredData.LlmRoute, review).Select(r => r.Kind));
        Assert.Empty(cascade.Escalating("invoice", StructuredData.LlmRoute, Needing(ReviewReason.LowConfidence)));
        Assert.Empty(cascade.Escalating("receipt", StructuredData.LlmRoute, review));
    }

    [Fact]
    public void A_result_read_from_an_e_invoices_xml_or_needing_no_review_never_escalates()
    {
        var cascade = Cascade(_twoTiers);

        Assert.Empty(cascade.Escalating("invoice", EmbeddedInvoiceRoute.Route, Needing(ReviewReason.Contradicted)));
        Assert.Empty(cascade.Escalating("invoice", StructuredData.LlmRoute, Review.None));
    }

    [Fact]
    public void A_tier_inherits_the_llm_settings_it_omits_and_its_model_replaces_the_base_path()
    {
        var settings = Settings(("Llm:ModelPath", "/models/base.gguf"), ("Llm:ContextSize", "4096"), ("Llm:MaxSequences", "2"),
            ("Llm:Tiers:0:ContextSize", "2048"), ("Llm:Tiers:1:Model", "large"), ("Llm:Tiers:1:MaxSequences", "8"));

        var first = TierCascade.LlmOptionsFor(settings, 0);
        var second = TierCascade.LlmOptionsFor(settings, 1);

        Assert.Equal(("/models/base.gguf", 2048, 2), (first.ModelReference, first.ContextSize, first.MaxSequences));
        Assert.Equal(("large", 4096, 8), (second.ModelReference, second.ContextSize, second.MaxSequences));
    }
}
