namespace DocExtract.Llama;

public sealed record LlamaModelOptions
{
    /// <summary>llama.cpp's "offload every layer" value for <see cref="GpuLayers"/>.</summary>
    public const int AllLayers = -1;

    /// <summary>Layers to place on the GPU (ignored by the CPU build); <see cref="AllLayers"/> for all of them.</summary>
    public int GpuLayers { get; init; } = AllLayers;

    /// <summary>Map the file instead of reading it: pages are shared between processes and load lazily.</summary>
    public bool UseMemoryMap { get; init; } = true;

    /// <summary>Load only the tokenizer (no weights): enough for tokenizing and for checking grammars.</summary>
    public bool VocabularyOnly { get; init; }
}

/// <summary>One chat turn for <see cref="LlamaModel.ApplyChatTemplate"/>.</summary>
public readonly record struct LlamaChatMessage(string Role, string Content)
{
    public static LlamaChatMessage System(string content) => new("system", content);

    public static LlamaChatMessage User(string content) => new("user", content);

    public static LlamaChatMessage Assistant(string content) => new("assistant", content);
}
