using System.Globalization;
using System.Text.Json;

namespace DocExtract.Schemas;

// JSON Pointers (RFC 6901) in the URI-fragment form that "$ref" uses, so that error messages and references read alike.
internal static class JsonPointer
{
    public const string Root = "#";

    public static string Append(string pointer, string token) =>
        pointer + "/" + token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    public static string Append(string pointer, int index) => pointer + "/" + index.ToString(CultureInfo.InvariantCulture);

    public static bool TryResolve(JsonElement document, string pointer, out JsonElement target)
    {
        target = document;
        if (pointer == Root)
        {
            return true;
        }

        if (!pointer.StartsWith("#/", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var raw in pointer[2..].Split('/'))
        {
            var token = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (target.ValueKind == JsonValueKind.Object && target.TryGetProperty(token, out var child))
            {
                target = child;
            }
            else if (target.ValueKind == JsonValueKind.Array
                     && int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                     && index < target.GetArrayLength())
            {
                target = target[index];
            }
            else
            {
                return false;
            }
        }

        return true;
    }
}
