using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using DocExtract.Llama.Interop;

namespace DocExtract.Llama;

/// <summary>
/// A loaded GGUF model: its weights, tokenizer and chat template. Load it once per process and share it; it is
/// safe to use from several threads, unlike the <see cref="LlamaContext"/>s made from it. Contexts keep the
/// native model alive, so disposing the model while a context is open only frees it when the last one closes.
/// </summary>
public sealed class LlamaModel : IDisposable
{
    private readonly SafeLlamaModelHandle _handle;
    private readonly Lazy<string> _fileSha256;

    private LlamaModel(string path, SafeLlamaModelHandle handle, bool vocabularyOnly)
    {
        _handle = handle;
        Path = path;
        IsVocabularyOnly = vocabularyOnly;
        _fileSha256 = new Lazy<string>(() => HashFile(path), LazyThreadSafetyMode.ExecutionAndPublication);
        Grammars = new GrammarCache(this);
        Description = NativeMethods.Description(handle);
        VocabularySize = NativeMethods.VocabularySize(handle);
        TrainingContextLength = NativeMethods.TrainingContextLength(handle);
        ParameterCount = NativeMethods.ParameterCount(handle);
        ChatTemplate = NativeMethods.ChatTemplate(handle);
        (BeginningOfSequence, EndOfSequence) = NativeMethods.SpecialTokens(handle);
    }

    public string Path { get; }

    /// <summary>llama.cpp's one-line summary, e.g. "llama ?B F32".</summary>
    public string Description { get; }

    public int VocabularySize { get; }

    /// <summary>The context length the model was trained with (GGUF <c>&lt;arch&gt;.context_length</c>).</summary>
    public int TrainingContextLength { get; }

    public long ParameterCount { get; }

    /// <summary>The Jinja chat template stored in the file (<c>tokenizer.chat_template</c>), if any.</summary>
    public string? ChatTemplate { get; }

    public int BeginningOfSequence { get; }

    /// <summary>Loaded with <see cref="LlamaModelOptions.VocabularyOnly"/>: it can tokenize and check grammars, not generate.</summary>
    public bool IsVocabularyOnly { get; }

    public int EndOfSequence { get; }

    /// <summary>
    /// Lowercase hex SHA-256 of the model file, to record which weights produced a result. Computed on first read
    /// by streaming the file (seconds for a multi-gigabyte model), then kept.
    /// </summary>
    public string FileSha256 => _fileSha256.Value;

    internal SafeLlamaModelHandle Handle => _handle;

    /// <summary>The grammars this model has parsed, each copied for the documents that use it.</summary>
    internal GrammarCache Grammars { get; }

    public static LlamaModel Load(string path, LlamaModelOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= new LlamaModelOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.GpuLayers, LlamaModelOptions.AllLayers);
        LlamaBackend.EnsureInitialized();
        var fullPath = System.IO.Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException($"model file {fullPath} does not exist", fullPath);
        }

        var parameters = NativeMethods.DefaultModelParams();
        parameters.n_gpu_layers = options.GpuLayers;
        parameters.load_mode = options.UseMemoryMap ? llama_load_mode.LLAMA_LOAD_MODE_MMAP : llama_load_mode.LLAMA_LOAD_MODE_NONE;
        parameters.vocab_only = options.VocabularyOnly ? (byte)1 : (byte)0;

        using var errors = LlamaLog.CallScope.Begin();
        var handle = NativeMethods.LoadModel(fullPath, parameters);
        if (handle.IsInvalid)
        {
            handle.Dispose();
            throw new LlamaException($"llama.cpp could not load {fullPath}: {errors.Describe()}");
        }

        return new LlamaModel(fullPath, handle, options.VocabularyOnly);
    }

    public bool IsEndOfGeneration(int token)
    {
        CheckToken(token);
        return NativeMethods.IsEndOfGeneration(_handle, token);
    }

    /// <param name="addSpecial">Add BOS/EOS where the model's tokenizer is configured to.</param>
    /// <param name="parseSpecial">Turn control-token text such as "&lt;/s&gt;" into the control token instead of plain text.</param>
    public int[] Tokenize(string text, bool addSpecial = true, bool parseSpecial = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        var utf8 = Encoding.UTF8;
        var bytes = ArrayPool<byte>.Shared.Rent(utf8.GetMaxByteCount(text.Length));
        try
        {
            var length = utf8.GetBytes(text, bytes);
            // A token covers at least one byte; the space prefix, BOS and EOS add at most three more.
            var capacity = length + 3;
            while (true)
            {
                var tokens = ArrayPool<int>.Shared.Rent(capacity);
                try
                {
                    var count = NativeMethods.Tokenize(_handle, bytes.AsSpan(0, length), tokens, addSpecial, parseSpecial);
                    if (count >= 0)
                    {
                        return tokens.AsSpan(0, count).ToArray();
                    }

                    capacity = count == int.MinValue
                        ? throw new LlamaException($"llama.cpp cannot tokenize {length} bytes: too many tokens")
                        : -count;
                }
                finally
                {
                    ArrayPool<int>.Shared.Return(tokens);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    /// <summary>
    /// The text of one token. A token can hold part of a multi-byte character (byte-fallback tokens), which decodes
    /// here as U+FFFD; use <see cref="Detokenize"/> for whole sequences.
    /// </summary>
    public string TokenToPiece(int token, bool renderSpecial = false) =>
        Encoding.UTF8.GetString(TokenToPieceUtf8(token, renderSpecial));

    /// <param name="removeSpecial">Drop a leading BOS and trailing EOS where the tokenizer adds them.</param>
    /// <param name="renderSpecial">Write control tokens as their text instead of leaving them out.</param>
    public string Detokenize(ReadOnlySpan<int> tokens, bool removeSpecial = false, bool renderSpecial = false)
    {
        foreach (var token in tokens)
        {
            CheckToken(token);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(64, tokens.Length * 8));
        try
        {
            var length = NativeMethods.Detokenize(_handle, tokens, buffer, removeSpecial, renderSpecial);
            if (length < 0)
            {
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = ArrayPool<byte>.Shared.Rent(-length);
                length = NativeMethods.Detokenize(_handle, tokens, buffer, removeSpecial, renderSpecial);
            }

            return Encoding.UTF8.GetString(buffer, 0, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Formats a conversation with the model's chat template (or <paramref name="template"/>: a Jinja text or one of
    /// <see cref="BuiltinChatTemplates"/>). llama.cpp does not run Jinja here: it recognizes the template family
    /// (ChatML, Llama 3, Mistral...) from the text and applies its own implementation, so an unrecognized template is
    /// a <see cref="NotSupportedException"/>.
    /// </summary>
    public string ApplyChatTemplate(IReadOnlyList<LlamaChatMessage> messages, bool addAssistantPrompt = true, string? template = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        foreach (var message in messages)
        {
            ArgumentException.ThrowIfNullOrEmpty(message.Role, nameof(messages));
            ArgumentNullException.ThrowIfNull(message.Content, nameof(messages));
        }

        var chosen = template ?? ChatTemplate
            ?? throw new InvalidOperationException($"{Path} has no tokenizer.chat_template; pass one explicitly");
        ObjectDisposedException.ThrowIf(_handle.IsClosed, this);
        return NativeMethods.ApplyChatTemplate(chosen, messages, addAssistantPrompt)
            ?? throw new NotSupportedException("llama.cpp does not recognize this chat template: " + Abbreviate(chosen));
    }

    /// <summary>
    /// The names of the chat templates llama.cpp implements itself (llama_chat_builtin_templates), each usable as
    /// the template argument of <see cref="ApplyChatTemplate"/>.
    /// </summary>
    public static IReadOnlyList<string> BuiltinChatTemplates
    {
        get
        {
            LlamaBackend.EnsureInitialized();
            return NativeMethods.BuiltinChatTemplates();
        }
    }

    public LlamaContext CreateContext(LlamaContextOptions? options = null) =>
        IsVocabularyOnly
            ? throw new InvalidOperationException($"{Path} was loaded without weights (VocabularyOnly); it cannot run")
            : new LlamaContext(this, options ?? new LlamaContextOptions());

    public void Dispose()
    {
        Grammars.Dispose();
        _handle.Dispose();
    }

    /// <summary>The bytes of one token's text: what generation appends to its output, so offsets into a generated text can be counted.</summary>
    public byte[] TokenToPieceUtf8(int token, bool renderSpecial = false)
    {
        CheckToken(token);
        Span<byte> buffer = stackalloc byte[128];
        var length = NativeMethods.TokenToPiece(_handle, token, buffer, renderSpecial);
        if (length >= 0)
        {
            return buffer[..length].ToArray();
        }

        var large = new byte[-length];
        NativeMethods.TokenToPiece(_handle, token, large, renderSpecial);
        return large;
    }

    /// <summary>llama.cpp indexes its token tables without bounds checks the caller could recover from.</summary>
    internal void CheckToken(int token)
    {
        if ((uint)token >= (uint)VocabularySize)
        {
            throw new ArgumentOutOfRangeException(nameof(token), token, $"token ids run from 0 to {VocabularySize - 1}");
        }
    }

    private static string Abbreviate(string text) => text.Length <= 80 ? text : text[..80] + "...";

    private static string HashFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
