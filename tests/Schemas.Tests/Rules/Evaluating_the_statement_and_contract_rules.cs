using DocExtract.Schemas.Rules;

namespace DocExtract.Schemas.Tests.Rules;

public class Evaluating_the_statement_and_contract_rules
{
    private const string Balance = "opening balance plus transactions is the closing balance";

    [Theory]
    [InlineData("bank-statement")]
    [InlineData("contract")]
    public void All_pass_on_the_samples(string type) =>
        Assert.All(BuiltInRules.RunAll(type, BuiltInRules.Sample(type)),
            r => Assert.True(r.Outcome == RuleResult.Pass, $"{r.Name}: {r.Outcome} {r.Reason}"));

    [Fact]
    public void A_missed_transaction_breaks_the_balance_by_its_amount()
    {
        var statement = BuiltInRules.Sample("bank-statement");
        statement["transactions"]!.AsArray().RemoveAt(2);

        var result = BuiltInRules.Run("bank-statement", Balance, statement);

        Assert.Equal(RuleResult.Fail, result.Outcome);
        Assert.Equal(50m, (decimal)result.Values["difference"]!);
        Assert.Equal(3, (int)result.Values["count"]!);
    }

    [Fact]
    public void A_statement_without_transactions_must_keep_its_balance()
    {
        var statement = BuiltInRules.Sample("bank-statement");
        statement["transactions"] = new System.Text.Json.Nodes.JsonArray();
        statement["closing_balance"] = 12480.55m;

        Assert.Equal(RuleResult.Pass, BuiltInRules.Run("bank-statement", Balance, statement).Outcome);
    }

    [Fact]
    public void A_contract_ending_before_it_starts_fails()
    {
        var contract = BuiltInRules.Sample("contract");
        contract["end_date"] = "2026-03-31";

        var result = BuiltInRules.Run("contract", "effective before the end date", contract);

        Assert.Equal(RuleResult.Fail, result.Outcome);
        Assert.Equal("/end_date (2026-03-31) is before /effective_date (2026-04-01)", result.Reason);
    }

    [Fact]
    public void Dates_missing_from_a_chain_are_left_out_of_it()
    {
        var contract = BuiltInRules.Sample("contract");
        contract["termination"] = null;
        contract["end_date"] = "2026-01-01";

        var result = BuiltInRules.Run("contract", "earliest termination within the term", contract);

        Assert.Equal(RuleResult.Fail, result.Outcome);
        Assert.Null(result.Values["/termination/earliest_termination_date"]);
        Assert.Equal("/end_date (2026-01-01) is before /effective_date (2026-04-01)", result.Reason);
    }
}
