using DocExtract.Persistence.Results;
using DocExtract.Schemas;

namespace DocExtract.Pipeline.Extraction;

public sealed partial class LlmExtraction
{
    /// <summary>
    /// Splits a document that does not fit the context into runs of whole pages that do (#6); a document that fits
    /// is one window. A window's pages leave room for the answer: Llm:MaxOutputTokens, but at most half of what the
    /// instructions leave, and never fewer than <see cref="MinAnswerTokens"/>. A single page larger than a window
    /// fails the document naming the page, its size and the limit.
    /// </summary>
    private List<IReadOnlyList<PageText>> PlanWindows(DocumentSchema type, IReadOnlyList<PageText> pages)
    {
        var instructions = ExtractionPrompt.Instructions(type);
        var context = engine.ContextSize;
        var whole = ExtractionPrompt.Tokenize(engine.Model, engine.Template, instructions, ExtractionPrompt.DocumentText(pages));
        if (context - whole.Length >= MinAnswerTokens)
        {
            return [pages];
        }

        var frame = ExtractionPrompt.Tokenize(engine.Model, engine.Template, instructions, "");
        var fixedTokens = frame.Length;
        var answer = Math.Max(MinAnswerTokens, Math.Min(engine.Options.MaxOutputTokens, (context - fixedTokens) / 2));
        var budget = context - fixedTokens - answer;
        if (budget <= 0)
        {
            throw new PermanentExtractionException(
                $"the document is too long for the model's context: its prompt is {whole.Length} tokens and the context holds " +
                $"{context} (Llm:ContextSize), and the instructions for '{type.Name}' alone take {fixedTokens}, leaving no room " +
                "for a window of pages and the answer; raise the context size");
        }

        var windows = new List<IReadOnlyList<PageText>>();
        var current = new List<PageText>();
        var used = 0;
        foreach (var page in pages)
        {
            var size = engine.Model.Tokenize(ExtractionPrompt.DocumentText([page]), addSpecial: false, parseSpecial: false).Length;
            if (size > budget)
            {
                throw new PermanentExtractionException(
                    $"the document is too long for the model's context: its prompt is {whole.Length} tokens and the context holds " +
                    $"{context} (Llm:ContextSize); it is read in windows of whole pages, but page {page.Number} alone is {size} tokens " +
                    $"and a window holds {budget} beside the instructions and the answer; raise the context size");
            }
            // Tokens can merge across a page boundary, so a window is checked again once it is tokenized whole.
            if (current.Count > 0 && (used + size > budget || !Fits(instructions, [.. current, page], budget + fixedTokens)))
            {
                windows.Add(current);
                current = [];
                used = 0;
            }
            current.Add(page);
            used += size;
        }
        windows.Add(current);
        LogWindows(logger, pages.Count, windows.Count, context);
        return windows;
    }

    private bool Fits(string instructions, IReadOnlyList<PageText> pages, int limit) =>
        ExtractionPrompt.Tokenize(engine.Model, engine.Template, instructions, ExtractionPrompt.DocumentText(pages)).Length <= limit;

    [LoggerMessage(Level = LogLevel.Information, Message = "Document of {Pages} page(s) exceeds the context of {Context} tokens: read in {Windows} page windows")]
    private static partial void LogWindows(ILogger logger, int pages, int windows, int context);
}
