using DocExtract.Llama;
using DocExtract.Schemas;
using DocExtract.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace DocExtract.Worker.Tests;

/// <summary>
/// Our JSON Schema -> GBNF converter is checked by llama.cpp's own grammar parser and matcher (a vocabulary-only
/// model: no weights needed), over every schema in schemas/ and a set of tricky ones.
/// </summary>
public sealed class Every_grammar_passes_llama_cpps_own_parser : IDisposable
{
    private static readonly string _samplesFolder = Path.Combine(Repository.Root, "tests", "Schemas.Tests", "Samples");
    private readonly LlamaModel _vocabulary;

    public Every_grammar_passes_llama_cpps_own_parser()
    {
        if (!LlamaBackend.IsInitialized)
        {
            LlamaBackend.Initialize(new LlamaBackendOptions(), NullLogger.Instance);
        }
        _vocabulary = LlamaModel.Load(RepositoryLayout.VocabFile("ggml-vocab-llama-spm.gguf"), new LlamaModelOptions { VocabularyOnly = true });
    }

    public static TheoryData<string> BuiltInTypes() => Extracting_structured_data_with_the_llm.BuiltInTypes();

    public static TheoryData<string, string, string> TrickySchemas() => new()
    {
        { """{"type":"object","properties":{"a\"b\\c":{"type":"string","maxLength":3},"ünï":{"type":["integer","null"]}},"required":["a\"b\\c"]}""", """{"a\"b\\c":"xyz","ünï":null}""", """{"a\"b\\c":"wxyz"}""" },
        { """{"type":"object","properties":{"opt1":{"type":"boolean"},"opt2":{"const":"fixed"},"opt3":{"enum":["x",1,null]}}}""", """{"opt2":"fixed","opt3":1}""", """{"opt2":"other"}""" },
        { """{"type":"array","items":{"type":"object","properties":{"d":{"type":"string","format":"date"}},"required":["d"]},"minItems":1,"maxItems":2}""", """[{"d":"2024-02-29"}]""", """[]""" },
        { """{"type":"object","$defs":{"party":{"type":"object","properties":{"name":{"type":"string"}},"required":["name"]}},"properties":{"from":{"$ref":"#/$defs/party"},"to":{"$ref":"#/$defs/party"}},"required":["from","to"]}""", """{"from":{"name":"A"},"to":{"name":"B"}}""", """{"from":{"name":"A"}}""" },
        { """{"type":"object","properties":{"when":{"type":"string","format":"date-time"},"n":{"type":"number"}},"required":["when","n"]}""", """{"when":"2026-03-02T10:15:00Z","n":-12.5}""", """{"when":"2026-03-02","n":1}""" },
        { """{"type":"object","properties":{"list":{"type":"array","items":{"type":"string","maxLength":100000},"maxItems":5000}},"required":["list"]}""", """{"list":["a","b"]}""", """{"list":[1]}""" },
        // Optional members share their tails through one rule each (#15): any may come first, in order, up to the required one.
        { HostileSchemas.ManyOptionalProperties(200, required: 1), """{"p3":"a","p150":"b","p199":"c"}""", """{"p3":"a","p150":"b"}""" },
        { HostileSchemas.ManyOptionalProperties(200), """{"p198":"x","p199":"y"}""", """{"p199":"y","p198":"x"}""" },
    };

    [Theory]
    [MemberData(nameof(BuiltInTypes))]
    public void A_built_in_type_parses_and_accepts_its_sample(string type)
    {
        var grammar = GbnfGrammar.FromJsonSchema(File.ReadAllText(Path.Combine(Repository.Root, "schemas", $"{type}.json"))).Text;

        Assert.True(LlamaGrammar.TryValidate(_vocabulary, grammar, out var error), error);
        var sample = File.ReadAllText(Path.Combine(_samplesFolder, $"{type}.json"));
        var compact = System.Text.Json.JsonSerializer.Serialize(System.Text.Json.JsonDocument.Parse(sample).RootElement);
        var match = LlamaGrammar.Match(_vocabulary, grammar, compact);
        Assert.True(match.IsAccepted, match.Explanation);
    }

    [Theory]
    [MemberData(nameof(TrickySchemas))]
    public void A_tricky_schema_parses_accepts_what_is_valid_and_rejects_what_is_not(string schema, string valid, string invalid)
    {
        var grammar = GbnfGrammar.FromJsonSchema(schema).Text;

        Assert.True(LlamaGrammar.TryValidate(_vocabulary, grammar, out var error), error);
        Assert.True(LlamaGrammar.Accepts(_vocabulary, grammar, valid), $"rejected {valid}");
        Assert.False(LlamaGrammar.Accepts(_vocabulary, grammar, invalid), $"accepted {invalid}");
    }

    public void Dispose() => _vocabulary.Dispose();
}
