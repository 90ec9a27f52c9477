namespace DocExtract.TestSupport;

/// <summary>Document types that are not built in, as a tenant would PUT them to /schemas/{name} (#6).</summary>
public static class CustomSchemas
{
    /// <summary>A small insurance claim letter; <paramref name="title"/> changes its bytes and so its version.</summary>
    public static string Claim(string title = "Insurance claim") => $$"""
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "title": "{{title}}",
          "description": "A letter claiming against an insurance policy after damage or loss.",
          "type": "object",
          "additionalProperties": false,
          "required": ["policy_number", "claimant", "incident_date", "amount_claimed"],
          "properties": {
            "policy_number": { "type": ["string", "null"], "maxLength": 40, "description": "The policy number the claim is made under." },
            "claimant": { "type": ["string", "null"], "maxLength": 80, "description": "Who makes the claim." },
            "incident_date": { "type": ["string", "null"], "format": "date", "description": "When the damage or loss happened." },
            "amount_claimed": { "type": ["number", "null"], "description": "The amount claimed, without currency symbol." }
          }
        }
        """;

    /// <summary>Two fields (payee, amount): a short answer, for tests about something other than the extraction.</summary>
    public const string PaymentSlip = """
        {"$schema":"https://json-schema.org/draft/2020-12/schema","title":"Payment slip","description":"A request to pay.",
         "type":"object","additionalProperties":false,"required":["payee","amount"],
         "properties":{"payee":{"type":["string","null"],"maxLength":80,"description":"Who is paid."},
                       "amount":{"type":["number","null"],"description":"How much."}}}
        """;

    /// <summary>A schema the grammar cannot enforce: a regular expression at #/properties/policy_number.</summary>
    public static string WithPattern() => Claim().Replace(
        "\"maxLength\": 40,", "\"pattern\": \"^[A-Z]{2}-[0-9]+$\",", StringComparison.Ordinal);
}
