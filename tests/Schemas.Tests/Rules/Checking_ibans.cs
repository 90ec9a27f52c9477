using DocExtract.Schemas.Rules;

namespace DocExtract.Schemas.Tests.Rules;

public class Checking_ibans
{
    // Examples published by the SWIFT IBAN registry and the national banks.
    [Theory]
    [InlineData("DE89370400440532013000")]
    [InlineData("DE89 3704 0044 0532 0130 00")]
    [InlineData("de89370400440532013000")]
    [InlineData("GB82WEST12345698765432")]
    [InlineData("FR1420041010050500013M02606")]
    [InlineData("NL91ABNA0417164300")]
    [InlineData("BE68539007547034")]
    [InlineData("AT611904300234573201")]
    [InlineData("CH9300762011623852957")]
    [InlineData("NO9386011117947")]
    [InlineData("MT84MALT011000012345MTLCAST001S")]
    public void Accepts_valid_ones_as_printed(string iban)
    {
        var (valid, normalized, why) = Iban.Check(iban);

        Assert.True(valid, why);
        Assert.DoesNotContain(' ', normalized);
    }

    [Theory]
    [InlineData("DE89370400440532013001", "wrong check digits")]
    [InlineData("DE98370400440532013000", "wrong check digits")]
    [InlineData("DE89370400440523013000", "wrong check digits")]
    [InlineData("DE8937040044053201300", "has 21 characters; a DE IBAN has 22")]
    [InlineData("XX89370400440532013000", "country code 'XX' that has no IBAN")]
    [InlineData("DE89-3704-0044-0532-0130-00", "characters other than letters and digits")]
    [InlineData("89370400440532013000", "does not start with a country code")]
    [InlineData("", "does not start with a country code")]
    public void Rejects_misread_ones_saying_why(string iban, string reason)
    {
        var (valid, _, why) = Iban.Check(iban);

        Assert.False(valid);
        Assert.Contains(reason, why);
    }
}
