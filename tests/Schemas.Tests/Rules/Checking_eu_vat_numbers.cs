using DocExtract.Schemas.Rules;

namespace DocExtract.Schemas.Tests.Rules;

public class Checking_eu_vat_numbers
{
    // Valid numbers of real companies, one or more per member state whose check digits are verified.
    private static readonly string[] _valid =
    [
        "ATU13585627", "BE0411905847", "BE0428759497", "DE136695976", "DK13585628", "ESA13585625", "ESB58378431",
        "ES12345678Z", "ESX1234567L", "FI20774740", "FR40303265045", "HR33392005961", "IT00743110157", "LU15027442", "NL004495445B01",
        "PL8567346215", "PT501964843", "SE556188840401",
    ];

    public static TheoryData<string> Valid => new(_valid);

    [Fact]
    public void Covers_every_country_with_a_checksum() =>
        Assert.Equal(EuVatNumber.WithChecksum.Order(), _valid.Select(vat => vat[..2]).Distinct().Order());

    [Theory]
    [MemberData(nameof(Valid))]
    public void Accepts_valid_numbers(string vat)
    {
        var (valid, _, why) = EuVatNumber.Check(vat);

        Assert.True(valid, why);
        Assert.Null(why);
    }

    [Theory]
    [MemberData(nameof(Valid))]
    public void Rejects_each_with_its_check_digit_changed(string vat)
    {
        // The check digit is the last one, but for the fixed suffixes of NL ("B01") and SE ("01").
        var last = vat[..2] switch { "NL" => 10, "SE" => 11, _ => vat.AsSpan().LastIndexOfAnyInRange('0', '9') };
        var changed = vat[..last] + (char)('0' + (vat[last] - '0' + 1) % 10) + vat[(last + 1)..];

        var (valid, _, why) = EuVatNumber.Check(changed);

        Assert.False(valid, changed);
        Assert.Contains("wrong check digit", why);
    }

    [Theory]
    [InlineData("DE 136 695 976", "DE136695976")]
    [InlineData("de136695976", "DE136695976")]
    [InlineData("BE 0411.905.847", "BE0411905847")]
    public void Reads_numbers_as_printed(string printed, string normalized)
    {
        var (valid, result, why) = EuVatNumber.Check(printed);

        Assert.True(valid, why);
        Assert.Equal(normalized, result);
    }

    [Theory]
    [InlineData("EL094259216")]
    [InlineData("GR094259216")]
    [InlineData("CZ25123891")]
    [InlineData("IE6388047V")]
    public void Checks_only_the_format_where_no_checksum_is_implemented_and_says_so(string vat)
    {
        var (valid, _, why) = EuVatNumber.Check(vat);

        Assert.True(valid, why);
        Assert.Contains("format checked; no check-digit algorithm is implemented", why);
    }

    [Theory]
    [InlineData("DE13669597", "does not have the format of a DE VAT number")]
    [InlineData("ATX13585627", "does not have the format of a AT VAT number")]
    [InlineData("NL004495445A01", "does not have the format of a NL VAT number")]
    [InlineData("EL12345", "does not have the format of a EL VAT number")]
    [InlineData("US123456789", "does not start with an EU country prefix")]
    [InlineData("D", "too short")]
    public void Rejects_wrong_formats_saying_why(string vat, string reason)
    {
        var (valid, _, why) = EuVatNumber.Check(vat);

        Assert.False(valid);
        Assert.Contains(reason, why);
    }
}
