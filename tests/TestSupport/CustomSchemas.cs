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

    /// <summary>
    /// The receipt's shape in small (a string, a date, a number, one or two objects), every value required and never
    /// null: a generated model's answer is dozens of its own choices, not the many hundreds a built-in type takes.
    /// </summary>
    public const string ShortReceipt = """
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "title": "Short receipt",
          "description": "A till receipt, its merchant, date, total and first lines.",
          "type": "object",
          "additionalProperties": false,
          "required": ["merchant", "purchase_date", "total", "items"],
          "properties": {
            "merchant": { "type": "string", "minLength": 1, "maxLength": 24, "description": "The business that issued the receipt." },
            "purchase_date": { "type": "string", "format": "date", "description": "Date of the purchase." },
            "total": { "type": "number", "description": "The amount paid." },
            "items": {
              "type": "array",
              "minItems": 1,
              "maxItems": 2,
              "description": "The first purchased items.",
              "items": {
                "type": "object",
                "additionalProperties": false,
                "required": ["description", "amount"],
                "properties": {
                  "description": { "type": "string", "maxLength": 16, "description": "Item text as printed." },
                  "amount": { "type": "number", "description": "Line total." }
                }
              }
            }
          }
        }
        """;

    /// <summary>A schema the grammar cannot enforce: a regular expression at #/properties/policy_number.</summary>
    public static string WithPattern() => Claim().Replace(
        "\"maxLength\": 40,", "\"pattern\": \"^[A-Z]{2}-[0-9]+$\",", StringComparison.Ordinal);
}
