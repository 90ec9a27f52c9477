using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Options;

namespace DocExtract.Operations.Settings;

/// <summary>
/// Checks a settings object by its data annotations (and <see cref="IValidatableObject"/> for rules between settings),
/// reporting each failure as <c>Section:Property</c> and why, e.g. "TextExtraction:ToolTimeout must be between
/// 00:00:00.001 and 49.17:02:47.294, not 00:00:00". Written here rather than with
/// Microsoft.Extensions.Options.DataAnnotations because that names the class and member, not the setting to change.
/// </summary>
public sealed class SettingsValidation<T>(string section) : IValidateOptions<T>
    where T : class
{
    public ValidateOptionsResult Validate(string? name, T options) =>
        Problems(options) is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;

    /// <summary>What is wrong with <paramref name="options"/>, one line per setting; empty when nothing is.</summary>
    public IReadOnlyList<string> Problems(T options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        foreach (var property in typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var attributes = property.GetCustomAttributes<ValidationAttribute>().ToList();
            if (attributes.Count == 0)
            {
                continue;
            }
            var value = property.GetValue(options);
            var setting = $"{section}:{property.Name}";
            problems.AddRange(attributes.Where(attribute => !attribute.IsValid(value)).Select(attribute => Describe(setting, attribute, value)));
        }
        if (problems.Count == 0 && options is IValidatableObject validatable)
        {
            problems.AddRange(validatable.Validate(new ValidationContext(options)).Select(result => result.ErrorMessage ?? section));
        }
        return problems;
    }

    private static string Describe(string setting, ValidationAttribute attribute, object? value)
    {
        var actual = Format(value);
        if (attribute is RangeAttribute range)
        {
            var minimum = Format(range.Minimum);
            return IsUnbounded(range.Maximum)
                ? $"{setting} must be at least {minimum}, not {actual}"
                : $"{setting} must be between {minimum} and {Format(range.Maximum)}, not {actual}";
        }
        return $"{attribute.FormatErrorMessage(setting)} (it is {actual})";
    }

    /// <summary>Invariant, and a time as it is written in the settings (00:00:00.001, not 00:00:00.0010000).</summary>
    private static string? Format(object? value)
    {
        if (value is not TimeSpan time)
        {
            return Convert.ToString(value, CultureInfo.InvariantCulture);
        }
        var text = time.ToString("c", CultureInfo.InvariantCulture);
        return text.LastIndexOf('.') > text.LastIndexOf(':') ? text.TrimEnd('0') : text;
    }

    private static bool IsUnbounded(object maximum) => maximum switch
    {
        int i => i == int.MaxValue,
        double d => d >= long.MaxValue,
        _ => false,
    };
}

/// <summary>Bounds of time settings for <see cref="RangeAttribute"/>: positive, and within what a timer or delay accepts.</summary>
public static class Durations
{
    public const string Shortest = "00:00:00.001";

    /// <summary>4,294,967,294 milliseconds: the longest Task.Delay, CancelAfter and PeriodicTimer take.</summary>
    public const string Longest = "49.17:02:47.294";
}
