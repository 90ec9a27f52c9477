using System.Collections.Frozen;

namespace DocExtract.Schemas.Rules;

/// <summary>IBAN check (ISO 13616): the country's length and the mod-97 check digits.</summary>
public static class Iban
{
    // Lengths from the SWIFT IBAN registry (release 98), the countries that had IBANs then.
    private static readonly FrozenDictionary<string, int> _lengths = new Dictionary<string, int>
    {
        ["AD"] = 24, ["AE"] = 23, ["AL"] = 28, ["AT"] = 20, ["AZ"] = 28, ["BA"] = 20, ["BE"] = 16, ["BG"] = 22,
        ["BH"] = 22, ["BI"] = 27, ["BR"] = 29, ["BY"] = 28, ["CH"] = 21, ["CR"] = 22, ["CY"] = 28, ["CZ"] = 24,
        ["DE"] = 22, ["DJ"] = 27, ["DK"] = 18, ["DO"] = 28, ["EE"] = 20, ["EG"] = 29, ["ES"] = 24, ["FI"] = 18,
        ["FK"] = 18, ["FO"] = 18, ["FR"] = 27, ["GB"] = 22, ["GE"] = 22, ["GI"] = 23, ["GL"] = 18, ["GR"] = 27,
        ["GT"] = 28, ["HR"] = 21, ["HU"] = 28, ["IE"] = 22, ["IL"] = 23, ["IQ"] = 23, ["IS"] = 26, ["IT"] = 27,
        ["JO"] = 30, ["KW"] = 30, ["KZ"] = 20, ["LB"] = 28, ["LC"] = 32, ["LI"] = 21, ["LT"] = 20, ["LU"] = 20,
        ["LV"] = 21, ["LY"] = 25, ["MC"] = 27, ["MD"] = 24, ["ME"] = 22, ["MK"] = 19, ["MN"] = 20, ["MR"] = 27,
        ["MT"] = 31, ["MU"] = 30, ["NI"] = 28, ["NL"] = 18, ["NO"] = 15, ["OM"] = 23, ["PK"] = 24, ["PL"] = 28,
        ["PS"] = 29, ["PT"] = 25, ["QA"] = 29, ["RO"] = 24, ["RS"] = 22, ["RU"] = 33, ["SA"] = 24, ["SC"] = 31,
        ["SD"] = 18, ["SE"] = 24, ["SI"] = 19, ["SK"] = 24, ["SM"] = 27, ["SO"] = 23, ["ST"] = 25, ["SV"] = 28,
        ["TL"] = 23, ["TN"] = 24, ["TR"] = 26, ["UA"] = 29, ["VA"] = 22, ["VG"] = 24, ["XK"] = 20, ["YE"] = 30,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Checks an IBAN as printed: spaces are ignored, letters may be lower case.</summary>
    public static (bool Valid, string Normalized, string? Why) Check(string text)
    {
        var iban = new string([.. text.Where(c => !char.IsWhiteSpace(c))]).ToUpperInvariant();
        if (iban.Length < 4 || !char.IsAsciiLetterUpper(iban[0]) || !char.IsAsciiLetterUpper(iban[1])
            || !char.IsAsciiDigit(iban[2]) || !char.IsAsciiDigit(iban[3]))
        {
            return (false, iban, "does not start with a country code and two check digits");
        }

        if (!iban.All(char.IsAsciiLetterOrDigit))
        {
            return (false, iban, "holds characters other than letters and digits");
        }

        if (!_lengths.TryGetValue(iban[..2], out var length))
        {
            return (false, iban, $"has a country code '{iban[..2]}' that has no IBAN");
        }

        if (iban.Length != length)
        {
            return (false, iban, $"has {iban.Length} characters; a {iban[..2]} IBAN has {length}");
        }

        return Mod97(iban[4..] + iban[..4]) == 1
            ? (true, iban, null)
            : (false, iban, "has wrong check digits (mod 97 is not 1): a character is misread or missing");
    }

    /// <summary>ISO 7064 MOD 97-10 of a string of digits and letters (A = 10 ... Z = 35), as IBANs use it.</summary>
    internal static int Mod97(string text)
    {
        var remainder = 0;
        foreach (var c in text)
        {
            var value = char.IsAsciiDigit(c) ? c - '0' : c - 'A' + 10;
            remainder = value < 10 ? (remainder * 10 + value) % 97 : (remainder * 100 + value) % 97;
        }

        return remainder;
    }
}
