namespace DocExtract.Llama.Tests;

/// <summary>GBNF used by the grammar tests.</summary>
internal static class Grammars
{
    /// <summary>A JSON object with three fixed fields and bounded values: any path through it ends, so generation must too.</summary>
    public const string Invoice = """
        root    ::= "{" ws "\"invoice\"" ws ":" ws string ws "," ws "\"total\"" ws ":" ws number ws "," ws "\"paid\"" ws ":" ws boolean ws "}"
        string  ::= "\"" [A-Za-z0-9 -]{1,12} "\""
        number  ::= "-"? [0-9]{1,6} ("." [0-9]{1,2})?
        boolean ::= "true" | "false"
        ws      ::= " "?
        """;
}
