using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using llama_token = int;

namespace DocExtract.Llama.Interop;

internal static unsafe partial class NativeMethods
{
    [LibraryImport(LlamaLibrary)]
    private static partial llama_model_params llama_model_default_params();

    [LibraryImport(LlamaLibrary, StringMarshalling = StringMarshalling.Utf8)]
    private static partial SafeLlamaModelHandle llama_model_load_from_file(string path_model, llama_model_params @params);

    [LibraryImport(LlamaLibrary)]
    private static partial void llama_model_free(nint model);

    [LibraryImport(LlamaLibrary)]
    private static partial nint llama_model_get_vocab(SafeLlamaModelHandle model);

    [LibraryImport(LlamaLibrary)]
    private static partial int llama_model_n_ctx_train(SafeLlamaModelHandle model);

    [LibraryImport(LlamaLibrary)]
    private static partial ulong llama_model_n_params(SafeLlamaModelHandle model);

    [LibraryImport(LlamaLibrary)]
    private static partial int llama_model_desc(SafeLlamaModelHandle model, byte* buf, nuint buf_size);

    [LibraryImport(LlamaLibrary)]
    private static partial nint llama_model_chat_template(SafeLlamaModelHandle model, byte* name);

    [LibraryImport(LlamaLibrary)]
    private static partial int llama_vocab_n_tokens(nint vocab);

    [LibraryImport(LlamaLibrary)]
    private static partial llama_token llama_vocab_bos(nint vocab);

    [LibraryImport(LlamaLibrary)]
    private static partial llama_token llama_vocab_eos(nint vocab);

    [LibraryImport(LlamaLibrary)]
    [return: MarshalAs(UnmanagedType.U1)]
    private static partial bool llama_vocab_is_eog(nint vocab, llama_token token);

    [LibraryImport(LlamaLibrary)]
    private static partial int llama_tokenize(
        nint vocab, byte* text, int text_len, llama_token* tokens, int n_tokens_max,
        [MarshalAs(UnmanagedType.U1)] bool add_special, [MarshalAs(UnmanagedType.U1)] bool parse_special);

    [LibraryImport(LlamaLibrary)]
    private static partial int llama_token_to_piece(
        nint vocab, llama_token token, byte* buf, int length, int lstrip, [MarshalAs(UnmanagedType.U1)] bool special);

    [LibraryImport(LlamaLibrary)]
    private static partial int llama_detokenize(
        nint vocab, llama_token* tokens, int n_tokens, byte* text, int text_len_max,
        [MarshalAs(UnmanagedType.U1)] bool remove_special, [MarshalAs(UnmanagedType.U1)] bool unparse_special);

    [LibraryImport(LlamaLibrary)]
    private static partial int llama_chat_apply_template(
        byte* tmpl, llama_chat_message* chat, nuint n_msg, [MarshalAs(UnmanagedType.U1)] bool add_ass, byte* buf, int length);

    [LibraryImport(LlamaLibrary)]
    private static partial int llama_chat_builtin_templates(nint* output, nuint len);

    internal static llama_model_params DefaultModelParams() => llama_model_default_params();

    /// <summary>The names of the chat templates llama.cpp implements itself ("chatml", "llama3", "gemma"...).</summary>
    internal static string[] BuiltinChatTemplates()
    {
        var count = llama_chat_builtin_templates(null, 0);
        var names = new nint[Math.Max(0, count)];
        fixed (nint* output = names)
        {
            count = Math.Min(count, llama_chat_builtin_templates(output, (nuint)names.Length));
        }

        return [.. names.Take(count).Select(name => Utf8ToString(name) ?? "")];
    }

    /// <summary>Returns an invalid handle when llama.cpp cannot load the file (it logs why).</summary>
    internal static SafeLlamaModelHandle LoadModel(string path, llama_model_params parameters) =>
        llama_model_load_from_file(path, parameters);

    internal static void FreeModel(nint model) => llama_model_free(model);

    internal static int TrainingContextLength(SafeLlamaModelHandle model) => llama_model_n_ctx_train(model);

    internal static long ParameterCount(SafeLlamaModelHandle model) => (long)llama_model_n_params(model);

    internal static string Description(SafeLlamaModelHandle model)
    {
        Span<byte> buffer = stackalloc byte[256];
        fixed (byte* p = buffer)
        {
            var length = llama_model_desc(model, p, (nuint)buffer.Length);
            return length <= 0 ? "" : Encoding.UTF8.GetString(buffer[..Math.Min(length, buffer.Length - 1)]);
        }
    }

    internal static string? ChatTemplate(SafeLlamaModelHandle model) => Utf8ToString(llama_model_chat_template(model, null));

    internal static int VocabularySize(SafeLlamaModelHandle model)
    {
        using var lease = new HandleLease(model);
        return llama_vocab_n_tokens(llama_model_get_vocab(model));
    }

    internal static (int Bos, int Eos) SpecialTokens(SafeLlamaModelHandle model)
    {
        using var lease = new HandleLease(model);
        var vocab = llama_model_get_vocab(model);
        return (llama_vocab_bos(vocab), llama_vocab_eos(vocab));
    }

    internal static bool IsEndOfGeneration(SafeLlamaModelHandle model, int token)
    {
        using var lease = new HandleLease(model);
        return llama_vocab_is_eog(llama_model_get_vocab(model), token);
    }

    /// <summary>
    /// Tokenizes UTF-8 text into <paramref name="tokens"/>. Returns the count written, or minus the count needed when
    /// <paramref name="tokens"/> is too small (llama.h contract), so the caller can retry with a larger buffer.
    /// </summary>
    internal static int Tokenize(SafeLlamaModelHandle model, ReadOnlySpan<byte> utf8, Span<int> tokens, bool addSpecial, bool parseSpecial)
    {
        using var lease = new HandleLease(model);
        fixed (byte* text = utf8)
        fixed (int* output = tokens)
        {
            return llama_tokenize(llama_model_get_vocab(model), text, utf8.Length, output, tokens.Length, addSpecial, parseSpecial);
        }
    }

    /// <summary>Writes the bytes of one token (not null-terminated); negative means the buffer needs that many bytes.</summary>
    internal static int TokenToPiece(SafeLlamaModelHandle model, int token, Span<byte> buffer, bool renderSpecial)
    {
        using var lease = new HandleLease(model);
        fixed (byte* p = buffer)
        {
            return llama_token_to_piece(llama_model_get_vocab(model), token, p, buffer.Length, 0, renderSpecial);
        }
    }

    /// <summary>Writes the UTF-8 text of <paramref name="tokens"/>; negative means the buffer needs that many bytes.</summary>
    internal static int Detokenize(SafeLlamaModelHandle model, ReadOnlySpan<int> tokens, Span<byte> buffer, bool removeSpecial, bool renderSpecial)
    {
        using var lease = new HandleLease(model);
        fixed (int* t = tokens)
        fixed (byte* p = buffer)
        {
            return llama_detokenize(llama_model_get_vocab(model), t, tokens.Length, p, buffer.Length, removeSpecial, renderSpecial);
        }
    }

    /// <summary>
    /// Formats <paramref name="messages"/> with one of the templates llama.cpp recognizes (llama_chat_apply_template
    /// does not run Jinja; it detects the template family from the text). Returns null for an unrecognized template.
    /// </summary>
    internal static string? ApplyChatTemplate(string template, IReadOnlyList<LlamaChatMessage> messages, bool addAssistantPrompt)
    {
        // One pooled buffer holds the template and every role/content as null-terminated UTF-8.
        var utf8 = Encoding.UTF8;
        var size = utf8.GetByteCount(template) + 1;
        foreach (var message in messages)
        {
            size += utf8.GetByteCount(message.Role) + utf8.GetByteCount(message.Content) + 2;
        }

        var strings = ArrayPool<byte>.Shared.Rent(size);
        var chat = ArrayPool<llama_chat_message>.Shared.Rent(Math.Max(1, messages.Count));
        var offsets = ArrayPool<int>.Shared.Rent(1 + 2 * messages.Count);
        try
        {
            var written = 0;
            var next = 0;
            void Put(string text)
            {
                offsets[next++] = written;
                written += utf8.GetBytes(text, strings.AsSpan(written));
                strings[written++] = 0;
            }

            Put(template);
            foreach (var message in messages)
            {
                Put(message.Role);
                Put(message.Content);
            }

            fixed (byte* basePointer = strings)
            fixed (llama_chat_message* chatPointer = chat)
            {
                for (var i = 0; i < messages.Count; i++)
                {
                    chat[i] = new llama_chat_message
                    {
                        role = basePointer + offsets[1 + 2 * i],
                        content = basePointer + offsets[2 + 2 * i],
                    };
                }

                // llama.h recommends twice the characters of all messages; grow once if the template needs more.
                var capacity = Math.Max(256, 2 * size);
                while (true)
                {
                    var output = ArrayPool<byte>.Shared.Rent(capacity);
                    try
                    {
                        fixed (byte* outputPointer = output)
                        {
                            var length = llama_chat_apply_template(
                                basePointer, chatPointer, (nuint)messages.Count, addAssistantPrompt, outputPointer, output.Length);
                            if (length < 0)
                            {
                                return null;
                            }

                            if (length <= output.Length)
                            {
                                return utf8.GetString(output, 0, length);
                            }

                            capacity = length;
                        }
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(output);
                    }
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(offsets);
            ArrayPool<llama_chat_message>.Shared.Return(chat);
            ArrayPool<byte>.Shared.Return(strings);
        }
    }
}
