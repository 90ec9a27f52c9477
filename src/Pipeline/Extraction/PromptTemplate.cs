using DocExtract.Llama;

namespace DocExtract.Pipeline.Extraction;

/// <summary>
/// The chat template the prompts are framed with, chosen once when the model loads (issue #11). llama.cpp does not
/// run Jinja: it recognizes a template's family from its text, and a model whose family it does not know (a newer
/// Gemma, say) needs <see cref="Setting"/>: one of llama.cpp's built-in template names, or a template file it
/// recognizes. Without it such a model stops the worker at start-up with an error naming the setting, rather than
/// being prompted in a format it was not trained on.
/// </summary>
/// <param name="Template">The Jinja text or built-in name handed to llama.cpp; null frames the prompt in a plain layout (a base model without a template).</param>
/// <param name="Source">What a result's details record: <c>model</c>, a built-in name, <c>file:NAME</c>, or <c>none</c>.</param>
public sealed record PromptTemplate(string? Template, string Source)
{
    public const string Setting = "Llm:ChatTemplate";

    // A chat template is a few kilobytes; anything far larger is not one.
    private const long MaxFileBytes = 1 << 20;

    /// <summary>The model's own template, or the plain layout where it has none; unchecked.</summary>
    public static PromptTemplate ModelsOwn(LlamaModel model) => model.ChatTemplate is { } own ? new(own, "model") : new(null, "none");

    /// <summary>Resolves <paramref name="setting"/> (empty: the model's own) and proves llama.cpp can frame a prompt with it.</summary>
    /// <exception cref="LlmSetupException">The template is unknown to llama.cpp, or the setting names neither a built-in template nor a file.</exception>
    public static PromptTemplate Resolve(LlamaModel model, string? setting)
    {
        if (string.IsNullOrWhiteSpace(setting))
        {
            return Checked(model, ModelsOwn(model), "the model's own chat template (tokenizer.chat_template) is not one llama.cpp recognizes");
        }

        if (LlamaModel.BuiltinChatTemplates.Contains(setting, StringComparer.Ordinal))
        {
            return Checked(model, new(setting, setting), $"llama.cpp could not apply its built-in template '{setting}'");
        }

        var file = new FileInfo(setting);
        if (!file.Exists)
        {
            throw new LlmSetupException($"{Setting} '{setting}' is neither one of llama.cpp's built-in chat templates ({Builtins()}) nor an existing template file");
        }

        if (file.Length > MaxFileBytes)
        {
            throw new LlmSetupException($"{Setting} '{setting}' is {file.Length} bytes; a chat template file is at most {MaxFileBytes} bytes");
        }

        return Checked(model, new(File.ReadAllText(file.FullName), $"file:{file.Name}"), $"the chat template in {file.FullName} is not one llama.cpp recognizes");
    }

    private static PromptTemplate Checked(LlamaModel model, PromptTemplate template, string problem)
    {
        try
        {
            ExtractionPrompt.Tokenize(model, template, "instructions", "document");
            return template;
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException)
        {
            throw new LlmSetupException(
                $"{problem} ({e.Message}); set {Setting} to the built-in template of the model's family ({Builtins()}) or to a template file");
        }
    }

    private static string Builtins() => string.Join(", ", LlamaModel.BuiltinChatTemplates);
}

/// <summary>The LLM stage cannot start with these settings; the message names the setting to change.</summary>
public sealed class LlmSetupException(string message) : InvalidOperationException(message);
