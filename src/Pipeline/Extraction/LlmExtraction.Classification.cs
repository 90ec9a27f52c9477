using System.Text.Json;
using System.Text.Json.Nodes;
using DocExtract.Llama;
using DocExtract.Schemas;

namespace DocExtract.Pipeline.Extraction;

/// <summary>A document type the classifier considered and the probability it gave it.</summary>
public sealed record TypeCandidate(string Type, double Probability);

/// <summary>What <c>schema=auto</c> decided: the type, or none when the best candidate fell below the threshold.</summary>
public sealed record TypeClassification(DocumentSchema? Chosen, double Threshold, IReadOnlyList<TypeCandidate> Candidates, JsonObject Usage)
{
    public string Reason =>
        $"the document's type is unknown: the classifier's best guess, '{Candidates[0].Type}', has probability " +
        $"{Candidates[0].Probability:0.###}, below Llm:ClassificationConfidence {Threshold:0.###}; re-extract it naming its type";

    public JsonObject ToJson()
    {
        var json = (JsonObject)Usage.DeepClone();
        json["type"] = Chosen?.Name ?? DocumentTypeName.Unknown;
        json["promptTemplate"] = ExtractionPrompt.ClassifyTemplateVersion;
        json["probability"] = Math.Round(Candidates[0].Probability, 4);
        json["threshold"] = Threshold;
        json["candidates"] = new JsonArray([.. Candidates.Select(c => new JsonObject { ["type"] = c.Type, ["probability"] = Math.Round(c.Probability, 4) })]);
        return json;
    }
}

public sealed partial class LlmExtraction
{
    /// <summary>
    /// Picks the document's type with a grammar that admits only the type names. The answer's probability (the
    /// product of its tokens' probabilities under that grammar) is the probability of the name among all the names.
    /// The runner-up candidates come from asking again with the names already taken removed from the grammar: the
    /// next name's probability is its share of what the earlier ones left. That share is exact where the names'
    /// first tokens differ, and an estimate where they share a prefix. Below Llm:ClassificationConfidence the type
    /// is unknown rather than forced.
    /// </summary>
    private async Task<TypeClassification> ClassifyAsync(SchemaCatalogSnapshot types, string document, CancellationToken cancellationToken)
    {
        if (types.Schemas.Count == 0)
        {
            throw new PermanentExtractionException("no document types are defined (the schemas folder is empty), so 'auto' cannot pick one");
        }
        var settings = engine.Options;
        var prompt = ExtractionPrompt.Tokenize(engine.Model, engine.Template, ExtractionPrompt.ClassifyInstructions(types.Schemas), document)
            .Truncated(settings.ClassificationTokens);
        var remaining = types.Schemas.Select(s => s.Name).ToList();
        var candidates = new List<TypeCandidate>();
        var usage = new Usage();
        var left = 1.0;
        while (remaining.Count > 0 && candidates.Count < Math.Max(1, settings.ClassificationCandidates))
        {
            if (remaining.Count == 1)
            {
                candidates.Add(new TypeCandidate(remaining[0], left));
                break;
            }
            // The grammar allows exactly the names not yet taken: the answer is always one of them.
            var choice = GbnfGrammar.FromJsonSchema(JsonSerializer.Serialize(new { type = "string", @enum = remaining }));
            var result = await engine.GenerateAsync(prompt.Scheduled("classify"), new GenerationOptions
            {
                Grammar = choice.Text,
                Sampler = SamplerSettings.Greedy,
                MaxTokens = DocumentTypeName.MaxLength + 8,
            }, cancellationToken);
            usage.Add(result, 1, SamplerSettings.Greedy);
            var name = result.StopReason == StopReason.EndOfGeneration ? JsonSerializer.Deserialize<string>(result.Text) : null;
            if (name is null || !remaining.Remove(name))
            {
                throw new PermanentExtractionException("the document's type could not be determined; upload it again naming its type");
            }
            var probability = left * Math.Exp(result.TokenLogProbabilities.Sum());
            candidates.Add(new TypeCandidate(name, probability));
            left = Math.Max(0, left - probability);
        }
        var best = candidates[0];
        var chosen = best.Probability >= settings.ClassificationConfidence ? types.Find(best.Type) : null;
        return new TypeClassification(chosen, settings.ClassificationConfidence, candidates, usage.ToJson());
    }
}
