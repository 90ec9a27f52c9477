using System.Text.Json.Nodes;
using DocExtract.Schemas.Rules;

namespace DocExtract.Schemas.Tests.Rules;

public class Evaluating_the_invoice_rules
{
    private const string LineItems = "line items add up to the subtotal";
    private const string Total = "subtotal plus tax is the total";
    private const string DueDate = "due on or after the issue date";

    private readonly JsonObject _invoice = BuiltInRules.Sample("invoice");

    [Fact]
    public void Pass_on_a_consistent_invoice_and_skip_the_missing_buyer_vat_number()
    {
        var results = BuiltInRules.RunAll("invoice", _invoice);

        Assert.Equal(7, results.Count);
        Assert.All(results.Where(r => r.Name != "buyer VAT number"), r => Assert.True(r.Outcome == RuleResult.Pass, $"{r.Name}: {r.Reason}"));
        var buyer = Assert.Single(results, r => r.Name == "buyer VAT number");
        Assert.Equal(RuleResult.Skipped, buyer.Outcome);
        Assert.Equal("/buyer/vat_id is missing or null", buyer.Reason);
    }

    [Fact]
    public void A_line_item_ten_cents_off_fails_with_the_numbers()
    {
        _invoice["line_items"]![1]!["amount"] = 332.60m;

        var result = BuiltInRules.Run("invoice", LineItems, _invoice);

        Assert.Equal(RuleResult.Fail, result.Outcome);
        Assert.Equal(1161.47m, (decimal)result.Values["sum"]!);
        Assert.Equal(1161.37m, (decimal)result.Values["expected"]!);
        Assert.Equal(0.10m, (decimal)result.Values["difference"]!);
        Assert.Equal(3, (int)result.Values["count"]!);
        Assert.Equal("/line_items/*/amount = 1161.47, but /subtotal is 1161.37 (off by 0.10, tolerance 0.01)", result.Reason);
    }

    [Theory]
    [InlineData(1382.04, RuleResult.Pass)]
    [InlineData(1382.02, RuleResult.Pass)]
    [InlineData(1382.05, RuleResult.Fail)]
    [InlineData(1381.03, RuleResult.Fail)]
    public void Subtotal_plus_tax_is_held_to_a_cent(double total, string outcome)
    {
        _invoice["total"] = (decimal)total;

        var result = BuiltInRules.Run("invoice", Total, _invoice);

        Assert.Equal(outcome, result.Outcome);
        Assert.Equal(1382.03m, (decimal)result.Values["sum"]!);
    }

    [Fact]
    public void A_missing_subtotal_skips_both_sums_saying_so()
    {
        _invoice["subtotal"] = null;

        Assert.Equal("/subtotal is missing or null", BuiltInRules.Run("invoice", LineItems, _invoice).Reason);
        var total = BuiltInRules.Run("invoice", Total, _invoice);
        Assert.Equal(RuleResult.Skipped, total.Outcome);
        Assert.Equal("/subtotal is null", total.Reason);
    }

    [Fact]
    public void A_line_without_an_amount_skips_the_sum_naming_the_line()
    {
        _invoice["line_items"]![2]!["amount"] = null;

        var result = BuiltInRules.Run("invoice", LineItems, _invoice);

        Assert.Equal(RuleResult.Skipped, result.Outcome);
        Assert.Equal("/line_items/2/amount is null", result.Reason);
    }

    [Fact]
    public void An_invoice_without_lines_has_nothing_to_add()
    {
        _invoice["line_items"] = new JsonArray();

        var result = BuiltInRules.Run("invoice", LineItems, _invoice);

        Assert.Equal(RuleResult.Skipped, result.Outcome);
        Assert.Equal("/line_items/*/amount has no items to add", result.Reason);
    }

    // An e-invoice's document-level charge and allowance (#12) sit between its lines and its subtotal.
    [Fact]
    public void A_document_level_charge_and_allowance_adjust_the_line_sum_and_count_as_zero_when_absent()
    {
        _invoice["charge_total"] = 20.00m;
        _invoice["allowance_total"] = 5.00m;
        _invoice["subtotal"] = 1176.37m;

        var adjusted = BuiltInRules.Run("invoice", LineItems, _invoice);

        Assert.Equal(RuleResult.Pass, adjusted.Outcome);
        Assert.Equal(1176.37m, (decimal)adjusted.Values["sum"]!);

        _invoice["allowance_total"] = null;
        var missing = BuiltInRules.Run("invoice", LineItems, _invoice);
        Assert.Equal(RuleResult.Fail, missing.Outcome);
        Assert.Equal("/line_items/*/amount + /charge_total = 1181.37, but /subtotal is 1176.37 (off by 5.00, tolerance 0.01)", missing.Reason);
    }

    [Fact]
    public void A_due_date_before_the_issue_date_fails_naming_both()
    {
        _invoice["due_date"] = "2026-03-01";

        var result = BuiltInRules.Run("invoice", DueDate, _invoice);

        Assert.Equal(RuleResult.Fail, result.Outcome);
        Assert.Equal("/due_date (2026-03-01) is before /issue_date (2026-03-02)", result.Reason);
        Assert.Equal("2026-03-02", (string?)result.Values["/issue_date"]);
    }

    [Fact]
    public void A_due_date_on_the_issue_date_passes_and_a_missing_one_is_skipped()
    {
        _invoice["due_date"] = "2026-03-02";
        Assert.Equal(RuleResult.Pass, BuiltInRules.Run("invoice", DueDate, _invoice).Outcome);

        _invoice["due_date"] = null;
        var skipped = BuiltInRules.Run("invoice", DueDate, _invoice);
        Assert.Equal(RuleResult.Skipped, skipped.Outcome);
        Assert.Contains("fewer than two", skipped.Reason);
    }

    [Fact]
    public void A_misread_iban_fails()
    {
        _invoice["iban"] = "DE89370400440532013001";

        var result = BuiltInRules.Run("invoice", "IBAN check digits", _invoice);

        Assert.Equal(RuleResult.Fail, result.Outcome);
        Assert.Contains("wrong check digits", result.Reason);
    }

    [Fact]
    public void A_misread_seller_vat_number_fails_and_a_swiss_one_is_not_judged()
    {
        _invoice["seller"]!["vat_id"] = "DE136695977";
        Assert.Equal(RuleResult.Fail, BuiltInRules.Run("invoice", "seller VAT number", _invoice).Outcome);

        _invoice["seller"]!["vat_id"] = "CHE-116.281.710 MWST";
        var swiss = BuiltInRules.Run("invoice", "seller VAT number", _invoice);
        Assert.Equal(RuleResult.Skipped, swiss.Outcome);
        Assert.Contains("not an EU VAT number", swiss.Reason);
    }

    [Fact]
    public void A_missing_seller_skips_its_vat_number()
    {
        _invoice["seller"] = null;

        Assert.Equal(RuleResult.Skipped, BuiltInRules.Run("invoice", "seller VAT number", _invoice).Outcome);
    }
}
