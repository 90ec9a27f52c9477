using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DocExtract.Schemas.Tests;

// The two spellings a model writes a document in, with strings escaped only where JSON requires it (the grammar spells
// keys and enum values that way), and a default-escaping spelling that turns every non-ASCII character into \uXXXX.
internal static class JsonText
{
    private static readonly JsonSerializerOptions _compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonSerializerOptions _pretty = new(_compact) { WriteIndented = true };
    private static readonly JsonSerializerOptions _asciiOnly = new();

    public static string Compact(string json) => JsonNode.Parse(json)!.ToJsonString(_compact);

    public static string Pretty(string json) => JsonNode.Parse(json)!.ToJsonString(_pretty);

    public static string AsciiOnly(string json) => JsonNode.Parse(json)!.ToJsonString(_asciiOnly);

    public static string Compact(JsonNode node) => node.ToJsonString(_compact);
}
