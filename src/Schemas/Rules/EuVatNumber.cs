using System.Collections.Frozen;
using System.Globalization;
using System.Text.RegularExpressions;

namespace DocExtract.Schemas.Rules;

/// <summary>
/// EU VAT identification numbers: the format of every member state (and XI, Northern Ireland), and the national
/// check-digit algorithm where one is published and implemented here (<see cref="WithChecksum"/>). The others are
/// checked for format only, and say so. Whether a number is registered only VIES can tell, and DocExtract never calls
/// an outside service.
/// </summary>
public static class EuVatNumber
{
    /// <summary>Member states whose check digits are verified, not only the format.</summary>
    public static readonly IReadOnlySet<string> WithChecksum =
        new[] { "AT", "BE", "DE", "DK", "ES", "FI", "FR", "HR", "IT", "LU", "NL", "PL", "PT", "SE" }.ToFrozenSet(StringComparer.Ordinal);

    // The national part after the prefix, as the European Commission's VIES documents it.
    private static readonly FrozenDictionary<string, Regex> _formats = new Dictionary<string, Regex>
    {
        ["AT"] = Rx(@"U\d{8}"), ["BE"] = Rx(@"[01]\d{9}"), ["BG"] = Rx(@"\d{9,10}"), ["CY"] = Rx(@"\d{8}[A-Z]"),
        ["CZ"] = Rx(@"\d{8,10}"), ["DE"] = Rx(@"[1-9]\d{8}"), ["DK"] = Rx(@"\d{8}"), ["EE"] = Rx(@"\d{9}"),
        ["EL"] = Rx(@"\d{9}"), ["ES"] = Rx(@"[A-Z0-9]\d{7}[A-Z0-9]"), ["FI"] = Rx(@"\d{8}"),
        ["FR"] = Rx(@"[0-9A-HJ-NP-Z]{2}\d{9}"), ["HR"] = Rx(@"\d{11}"), ["HU"] = Rx(@"\d{8}"),
        ["IE"] = Rx(@"\d{7}[A-W][A-IW]?|\d[A-Z+*]\d{5}[A-W]"), ["IT"] = Rx(@"\d{11}"), ["LT"] = Rx(@"\d{9}|\d{12}"),
        ["LU"] = Rx(@"\d{8}"), ["LV"] = Rx(@"\d{11}"), ["MT"] = Rx(@"\d{8}"), ["NL"] = Rx(@"\d{9}B\d{2}"),
        ["PL"] = Rx(@"\d{10}"), ["PT"] = Rx(@"\d{9}"), ["RO"] = Rx(@"[1-9]\d{1,9}"), ["SE"] = Rx(@"\d{10}01"),
        ["SI"] = Rx(@"[1-9]\d{7}"), ["SK"] = Rx(@"[1-9]\d{9}"), ["XI"] = Rx(@"\d{9}|\d{12}|GD\d{3}|HA\d{3}"),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Whether a number starts with the prefix of an EU member state (or XI); "CHE...", "GB..." do not: they
    /// are VAT numbers, but not EU ones, and not this check's to judge.</summary>
    public static bool HasEuPrefix(string text)
    {
        var vat = text.TrimStart().ToUpperInvariant();
        return vat.Length >= 2 && (vat[..2] == "GR" || _formats.ContainsKey(vat[..2]));
    }

    /// <summary>Whether a number starts with two letters, as every VAT number with its country prefix does.</summary>
    public static bool HasLetterPrefix(string text)
    {
        var vat = text.TrimStart();
        return vat.Length >= 2 && char.IsAsciiLetter(vat[0]) && char.IsAsciiLetter(vat[1]);
    }

    /// <summary>Checks a VAT number with its country prefix; spaces, dots and hyphens as printed are ignored.</summary>
    public static (bool Valid, string Normalized, string? Why) Check(string text)
    {
        var vat = new string([.. text.Where(c => !char.IsWhiteSpace(c) && c is not ('.' or '-'))]).ToUpperInvariant();
        if (vat.Length < 3)
        {
            return (false, vat, "is too short for a VAT number");
        }

        var country = vat[..2] == "GR" ? "EL" : vat[..2];
        var number = vat[2..];
        if (!_formats.TryGetValue(country, out var format))
        {
            return (false, vat, $"does not start with an EU country prefix (got '{vat[..2]}'; Greece is 'EL')");
        }

        if (!format.IsMatch(number))
        {
            return (false, vat, $"does not have the format of a {country} VAT number");
        }

        if (!WithChecksum.Contains(country))
        {
            return (true, vat, $"format checked; no check-digit algorithm is implemented for {country}");
        }

        var digits = number.All(char.IsAsciiDigit) ? number.Select(c => c - '0').ToArray() : [];
        var valid = country switch
        {
            "AT" => Austria(number[1..].Select(c => c - '0').ToArray()),
            "BE" => Belgium(number),
            "DE" or "HR" => Mod11Mod10(digits),
            "DK" => Weighted(digits, [2, 7, 6, 5, 4, 3, 2, 1]) % 11 == 0,
            "ES" => Spain(number),
            "FI" => Finland(digits),
            "FR" => France(number),
            "IT" => Luhn(digits),
            "LU" => long.Parse(number[..6], CultureInfo.InvariantCulture) % 89 == long.Parse(number[6..], CultureInfo.InvariantCulture),
            "NL" => Netherlands(number),
            "PL" => Weighted(digits, [6, 5, 7, 2, 3, 4, 5, 6, 7]) % 11 is var p && p != 10 && p == digits[9],
            "PT" => Portugal(digits),
            "SE" => Luhn(digits[..10]),
            _ => throw new InvalidOperationException($"no checksum for {country}"),
        };
        return valid
            ? (true, vat, null)
            : (false, vat, $"has a wrong check digit for a {country} VAT number: a digit is misread or missing");
    }

    private static Regex Rx(string national) => new($"^(?:{national})$", RegexOptions.CultureInvariant);

    private static int Weighted(int[] digits, int[] weights) => weights.Select((w, i) => w * digits[i]).Sum();

    // ISO 7064 MOD 11,10 over all digits but the last, which is the check digit (DE Umsatzsteuer-IdNr., HR OIB).
    private static bool Mod11Mod10(int[] digits)
    {
        var product = 10;
        foreach (var digit in digits[..^1])
        {
            var sum = (digit + product) % 10;
            product = 2 * (sum == 0 ? 10 : sum) % 11;
        }

        var check = 11 - product;
        return (check == 10 ? 0 : check) == digits[^1];
    }

    private static bool Austria(int[] digits)
    {
        var sum = 0;
        for (var i = 0; i < 7; i++)
        {
            var product = digits[i] * (i % 2 == 0 ? 1 : 2);
            sum += product / 10 + product % 10;
        }

        return (10 - (sum + 4) % 10) % 10 == digits[7];
    }

    private static bool Belgium(string number) => 97 - long.Parse(number[..8], CultureInfo.InvariantCulture) % 97 == long.Parse(number[8..], CultureInfo.InvariantCulture);

    private static bool Finland(int[] digits)
    {
        var check = 11 - Weighted(digits, [7, 9, 10, 5, 8, 4, 2]) % 11;
        return check != 10 && (check == 11 ? 0 : check) == digits[7];
    }

    // A numeric key is (12 + 3 × (SIREN mod 97)) mod 97; a key with letters (a newer scheme) has no published
    // algorithm, so such a number is checked for format only.
    private static bool France(string number) =>
        !char.IsAsciiDigit(number[0]) || !char.IsAsciiDigit(number[1])
        || int.Parse(number[..2], CultureInfo.InvariantCulture) == (12 + 3 * (long.Parse(number[2..], CultureInfo.InvariantCulture) % 97)) % 97;

    private static bool Luhn(int[] digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var value = digits[digits.Length - 1 - i] * (i % 2 == 1 ? 2 : 1);
            sum += value > 9 ? value - 9 : value;
        }

        return sum % 10 == 0;
    }

    // Numbers issued before 2020 carry an 11-test over the first nine digits; the newer ones for sole traders
    // instead pass mod 97 over the whole "NL..." string, as IBANs do. Either makes a number valid.
    private static bool Netherlands(string number)
    {
        var digits = number[..9].Select(c => c - '0').ToArray();
        var elevenTest = Weighted(digits, [9, 8, 7, 6, 5, 4, 3, 2]) % 11 is var r && r != 10 && r == digits[8];
        return elevenTest || Iban.Mod97("NL" + number) == 1;
    }

    private static bool Portugal(int[] digits)
    {
        var check = 11 - Weighted(digits, [9, 8, 7, 6, 5, 4, 3, 2]) % 11;
        return (check > 9 ? 0 : check) == digits[8];
    }

    // Companies (CIF: a letter, seven digits, a control digit or letter) and people (NIF: eight digits or an
    // X/Y/Z NIE, and a control letter).
    private static bool Spain(string number)
    {
        const string personLetters = "TRWAGMYFPDXBNJZSQVHLCKE";
        var first = number[0];
        if (char.IsAsciiDigit(first) || first is 'X' or 'Y' or 'Z')
        {
            var body = (first is 'X' or 'Y' or 'Z' ? (first - 'X').ToString(CultureInfo.InvariantCulture) : first.ToString()) + number[1..8];
            return long.TryParse(body, out var value) && personLetters[(int)(value % 23)] == number[8];
        }

        if (first is 'K' or 'L' or 'M')
        {
            var body = number[1..8];
            return long.TryParse(body, out var value) && personLetters[(int)(value % 23)] == number[8];
        }

        var sum = 0;
        for (var i = 1; i <= 7; i++)
        {
            var digit = number[i] - '0';
            if (i % 2 == 0)
            {
                sum += digit;
            }
            else
            {
                var doubled = digit * 2;
                sum += doubled / 10 + doubled % 10;
            }
        }

        var control = (10 - sum % 10) % 10;
        var letter = "JABCDEFGHI"[control];
        return first switch
        {
            'A' or 'B' or 'E' or 'H' => number[8] == (char)('0' + control),
            'P' or 'Q' or 'S' or 'N' or 'W' => number[8] == letter,
            _ => number[8] == (char)('0' + control) || number[8] == letter,
        };
    }
}
