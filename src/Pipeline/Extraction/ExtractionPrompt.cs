using System.Text;
using DocExtract.Llama;
using DocExtract.Persistence.Results;
using DocExtract.Schemas;

namespace DocExtract.Pipeline.Extraction;

/// <summary>
/// The prompt: task and field descriptions first (the same for every document of a type, so the scheduler
/// evaluates that prefix once, #5), then the document's text. It goes through the model's own chat template when the
/// model has one, or the one Llm:ChatTemplate names (<see cref="PromptTemplate"/>). The document's text is tokenized on its own with special-token parsing off, so a PDF that
/// contains "&lt;|im_start|&gt;" cannot forge a turn of the conversation.
/// </summary>
public static class ExtractionPrompt
{
    /// <summary>Recorded with every result; bump it whenever the wording below changes.</summary>
    public const string TemplateVersion = "docextract-extract/2";
    public const string ClassifyTemplateVersion = "docextract-classify/1";

    private const string DocumentSlot = "\u0001DOCEXTRACT-DOCUMENT\u0001";

    public static string Instructions(DocumentSchema schema) => $"""
        You extract data from business documents. Read the document the user gives you and answer with one JSON
        object holding the fields listed below, in that order, and nothing else.
        - Copy names, numbers, identifiers and wording exactly as printed.
        - Use null for a field the document does not state. Never guess or invent a value.
        - Write dates as YYYY-MM-DD and amounts as plain numbers (no currency symbols, no thousands separators).

        {PromptFields.Render(schema)}
        """;

    public static string ClassifyInstructions(IReadOnlyList<DocumentSchema> types)
    {
        var text = new StringBuilder("""
            You sort business documents by type. Read the beginning of the document the user gives you and answer
            with the name of its type, as a JSON string. The types are:

            """);
        foreach (var type in types)
        {
            text.Append("- ").Append(type.Name).Append(": ").Append(type.Title).Append(". ").AppendLine(type.Description);
        }
        return text.ToString();
    }

    public static string DocumentText(IReadOnlyList<PageText> pages)
    {
        var text = new StringBuilder();
        foreach (var page in pages)
        {
            text.Append("--- page ").Append(page.Number).Append(" ---\n").Append(page.Text).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>
    /// Tokens of the whole prompt: <paramref name="instructions"/> as the system turn, the document as the user
    /// turn, ready for the assistant's answer.
    /// </summary>
    public static PromptTokens Tokenize(LlamaModel model, string instructions, string document) =>
        Tokenize(model, PromptTemplate.ModelsOwn(model), instructions, document);

    /// <summary>The same, framed with <paramref name="template"/> (<see cref="LlmEngine.Template"/>, Llm:ChatTemplate).</summary>
    public static PromptTokens Tokenize(LlamaModel model, PromptTemplate template, string instructions, string document)
    {
        var (before, after) = Frame(model, template, instructions);
        int[] prefix = [.. model.Tokenize(before, addSpecial: true, parseSpecial: true)];
        int[] body = [.. model.Tokenize(document, addSpecial: false, parseSpecial: false)];
        int[] suffix = [.. model.Tokenize(after, addSpecial: false, parseSpecial: true)];
        return new PromptTokens(prefix, body, suffix);
    }

    private static (string Before, string After) Frame(LlamaModel model, PromptTemplate template, string instructions)
    {
        string framed;
        if (template.Template is not null)
        {
            framed = model.ApplyChatTemplate(
                [LlamaChatMessage.System(instructions), LlamaChatMessage.User($"Document:\n{DocumentSlot}")],
                addAssistantPrompt: true,
                template.Template);
        }
        else
        {
            // A base model without a template: a plain layout that ends where the JSON should begin.
            framed = $"{instructions}\n\nDocument:\n{DocumentSlot}\n\nJSON:\n";
        }
        var slot = framed.IndexOf(DocumentSlot, StringComparison.Ordinal);
        return slot < 0
            ? throw new InvalidOperationException("the chat template dropped the user's message")
            : (framed[..slot], framed[(slot + DocumentSlot.Length)..]);
    }
}

/// <summary>A prompt in three parts: the shared prefix, the document's own tokens, and the turn's closing.</summary>
public sealed record PromptTokens(int[] Prefix, int[] Document, int[] Suffix)
{
    public int Length => Prefix.Length + Document.Length + Suffix.Length;

    public int[] All() => [.. Prefix, .. Document, .. Suffix];

    /// <summary>For the scheduler: the prefix, the same for every document under <paramref name="prefixKey"/>, is evaluated once.</summary>
    public ScheduledPrompt Scheduled(string prefixKey) => new(prefixKey, Prefix, [.. Document, .. Suffix]);

    /// <summary>The same prompt with the document cut to its first <paramref name="documentTokens"/> tokens.</summary>
    public PromptTokens Truncated(int documentTokens) =>
        Document.Length <= documentTokens ? this : this with { Document = Document[..documentTokens] };
}
