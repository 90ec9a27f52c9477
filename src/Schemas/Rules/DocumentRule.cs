using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DocExtract.Schemas.Rules;

/// <summary>One check across fields, declared in a schema's <c>x-docextract-rules</c> list.</summary>
public abstract record DocumentRule(string Name)
{
    public abstract string Kind { get; }

    /// <summary>Checks the rule against a document's data. Never throws for data: what it cannot check is skipped.</summary>
    public abstract RuleResult Evaluate(JsonElement data);

    protected RuleResult Result(string outcome, string? reason, JsonObject values) => new(Name, Kind, outcome, reason, values);

    protected RuleResult Skip(string reason, JsonObject? values = null) => Result(RuleResult.Skipped, reason, values ?? []);

    protected static string Format(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// The values at <see cref="Addends"/> (wildcards adding every array item) add up to the value at <see cref="Total"/>
/// within <see cref="Tolerance"/>. "sum" is the one-path form: its items must not be empty. <see cref="Plus"/> and
/// <see cref="Minus"/> are adjustments a document may lack (an invoice's document-level charges and allowances, #12):
/// each is added or subtracted where present, and counts as 0 where missing or null.
/// </summary>
public sealed record SumRule(string Name, string RuleKind, IReadOnlyList<RulePath> Addends, RulePath Total, decimal Tolerance)
    : DocumentRule(Name)
{
    public override string Kind => RuleKind;

    public IReadOnlyList<RulePath> Plus { get; init; } = [];

    public IReadOnlyList<RulePath> Minus { get; init; } = [];

    public override RuleResult Evaluate(JsonElement data)
    {
        var expected = Total.FindOne(data);
        if (expected is null)
        {
            return Skip($"{Total} is missing or null");
        }

        if (!TryNumber(expected.Value, out var total))
        {
            return Skip($"{Total} is not a number: {expected.Value.GetRawText()}");
        }

        var sum = 0m;
        var count = 0;
        foreach (var path in Addends)
        {
            var found = path.Find(data);
            if (!path.HasWildcard && found.Count == 0)
            {
                return Skip($"{path} is missing");
            }

            foreach (var (pointer, value) in found)
            {
                if (value.ValueKind == JsonValueKind.Null)
                {
                    return Skip($"{pointer} is null");
                }

                if (!TryNumber(value, out var number))
                {
                    return Skip($"{pointer} is not a number: {value.GetRawText()}");
                }

                sum += number;
                count++;
            }
        }

        if (Kind == "sum" && count == 0)
        {
            return Skip($"{Addends[0]} has no items to add");
        }

        var adjustments = "";
        foreach (var (paths, sign) in new[] { (Plus, 1m), (Minus, -1m) })
        {
            foreach (var path in paths)
            {
                if (path.FindOne(data) is not { } value)
                {
                    continue;
                }

                if (!TryNumber(value, out var number))
                {
                    return Skip($"{path} is not a number: {value.GetRawText()}");
                }

                sum += sign * number;
                adjustments += $" {(sign > 0 ? '+' : '-')} {path}";
            }
        }

        var difference = sum - total;
        var values = new JsonObject
        {
            ["sum"] = sum,
            ["expected"] = total,
            ["difference"] = difference,
            ["tolerance"] = Tolerance,
            ["count"] = count,
        };
        return Math.Abs(difference) <= Tolerance
            ? Result(RuleResult.Pass, null, values)
            : Result(RuleResult.Fail,
                $"{string.Join(" + ", Addends)}{adjustments} = {Format(sum)}, but {Total} is {Format(total)} (off by {Format(difference)}, tolerance {Format(Tolerance)})",
                values);
    }

    private static bool TryNumber(JsonElement value, out decimal number)
    {
        number = 0;
        return value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out number);
    }
}

/// <summary>The dates at <see cref="Fields"/> are in order, each on or after the one before. Missing dates are left
/// out; with fewer than two left the rule is skipped.</summary>
public sealed record DateOrderRule(string Name, IReadOnlyList<RulePath> Fields) : DocumentRule(Name)
{
    public override string Kind => "date-order";

    public override RuleResult Evaluate(JsonElement data)
    {
        var values = new JsonObject();
        var dates = new List<(RulePath Path, string Text, DateTimeOffset Date)>();
        foreach (var path in Fields)
        {
            if (path.FindOne(data) is not { } value)
            {
                values[path.Text] = null;
                continue;
            }

            var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
            values[path.Text] = text;
            if (!TryDate(text, out var date))
            {
                return Skip($"{path} is not a date: '{text}'", values);
            }

            dates.Add((path, text, date));
        }

        if (dates.Count < 2)
        {
            return Skip($"fewer than two of {string.Join(", ", Fields)} are present", values);
        }

        for (var i = 1; i < dates.Count; i++)
        {
            if (dates[i].Date < dates[i - 1].Date)
            {
                return Result(RuleResult.Fail,
                    $"{dates[i].Path} ({dates[i].Text}) is before {dates[i - 1].Path} ({dates[i - 1].Text})", values);
            }
        }

        return Result(RuleResult.Pass, null, values);
    }

    private static bool TryDate(string text, out DateTimeOffset date)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            date = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return true;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out date);
    }
}

/// <summary>The string at <see cref="Field"/> passes a check-digit test (IBAN or EU VAT number); skipped when it is
/// missing or null, or (eu-vat) a VAT number of a country outside the EU.</summary>
public sealed record IdentifierRule(string Name, string RuleKind, RulePath Field) : DocumentRule(Name)
{
    public override string Kind => RuleKind;

    public override RuleResult Evaluate(JsonElement data)
    {
        if (Field.FindOne(data) is not { } value)
        {
            return Skip($"{Field} is missing or null");
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            return Skip($"{Field} is not a string: {value.GetRawText()}");
        }

        var text = value.GetString()!;
        if (Kind == "eu-vat" && EuVatNumber.HasLetterPrefix(text) && !EuVatNumber.HasEuPrefix(text))
        {
            return Skip($"{Field} '{text}' is not an EU VAT number (prefix '{text.TrimStart()[..2]}'); only EU numbers are checked",
                new JsonObject { ["value"] = text });
        }

        var (valid, normalized, why) = Kind == "iban" ? Iban.Check(text) : EuVatNumber.Check(text);
        var values = new JsonObject { ["value"] = text, ["normalized"] = normalized };
        return valid
            ? Result(RuleResult.Pass, why, values)
            : Result(RuleResult.Fail, $"{Field} '{text}' {why}", values);
    }
}
