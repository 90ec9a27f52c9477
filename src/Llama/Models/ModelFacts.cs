using System.Text;
using DocExtract.Llama.Gguf;

namespace DocExtract.Llama.Models;

/// <summary>What `models list` shows of a model, read from its GGUF header alone (no weights loaded).</summary>
public sealed record ModelFacts(
    string Architecture,
    long Parameters,
    int VocabularySize,
    string FileType,
    int ContextLength,
    bool HasChatTemplate)
{
    /// <summary>Reads the header; a file that is not a GGUF model fails with a sentence saying what it is instead.</summary>
    public static ModelFacts Read(string path)
    {
        RequireGguf(path);
        return Of(GgufReader.Read(path));
    }

    public static ModelFacts Of(GgufDocument gguf)
    {
        var architecture = gguf.Find("general.architecture")?.Value as string ?? "unknown";
        var vocabulary = gguf.Find("tokenizer.ggml.tokens")?.Value is string[] tokens
            ? tokens.Length
            : Number(gguf.Find($"{architecture}.vocab_size"));
        return new ModelFacts(
            architecture,
            gguf.Tensors.Sum(t => t.ElementCount),
            vocabulary,
            gguf.Find("general.file_type") is { } type ? FileTypeName(Number(type)) : "unknown",
            Number(gguf.Find($"{architecture}.context_length")),
            gguf.Find("tokenizer.chat_template")?.Value is string { Length: > 0 });
    }

    /// <summary>Fails unless the file starts with the GGUF magic, naming what it looks like (the usual wrong downloads).</summary>
    public static void RequireGguf(string path)
    {
        Span<byte> start = stackalloc byte[32];
        int read;
        using (var stream = File.OpenRead(path))
        {
            read = stream.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
        }

        if (!GgufReader.HasMagic(start[..read]))
        {
            throw new InvalidDataException($"{path} is not a GGUF model: {Describe(start[..read])}");
        }
    }

    /// <summary>The common wrong files: a web page, a Git LFS pointer, a safetensors or ZIP file, or nothing.</summary>
    public static string Describe(ReadOnlySpan<byte> start)
    {
        if (start.IsEmpty)
        {
            return "the file is empty";
        }

        var text = Encoding.ASCII.GetString(start).TrimStart();
        var shown = new string([.. text.Take(12).Select(c => char.IsControl(c) || c > '~' ? '.' : c)]);
        return text switch
        {
            _ when text.StartsWith('<') => $"it starts with '{shown}' (an HTML page: use the file's download link, e.g. Hugging Face's /resolve/ URL, not its page)",
            _ when text.StartsWith("version https://git-lfs", StringComparison.Ordinal) => "it is a Git LFS pointer, not the file it points to (use the /resolve/ URL)",
            _ when text.StartsWith("PK", StringComparison.Ordinal) => "it starts with 'PK' (a ZIP archive)",
            _ when text.StartsWith('{') => $"it starts with '{shown}' (JSON: an error message, or a safetensors header; llama.cpp needs GGUF)",
            _ => $"it starts with '{shown}', not 'GGUF'",
        };
    }

    private static int Number(GgufValue? value) => value?.Value switch
    {
        uint u => (int)Math.Min(u, int.MaxValue),
        int i => i,
        ulong ul => (int)Math.Min(ul, int.MaxValue),
        long l => (int)Math.Clamp(l, 0, int.MaxValue),
        ushort us => us,
        _ => 0,
    };

    /// <summary>llama.h, enum llama_ftype: the quantisation most of the tensors have.</summary>
    private static string FileTypeName(int type) => type switch
    {
        0 => "F32",
        1 => "F16",
        2 => "Q4_0",
        3 => "Q4_1",
        7 => "Q8_0",
        8 => "Q5_0",
        9 => "Q5_1",
        10 => "Q2_K",
        11 => "Q3_K_S",
        12 => "Q3_K_M",
        13 => "Q3_K_L",
        14 => "Q4_K_S",
        15 => "Q4_K_M",
        16 => "Q5_K_S",
        17 => "Q5_K_M",
        18 => "Q6_K",
        19 => "IQ2_XXS",
        20 => "IQ2_XS",
        21 => "Q2_K_S",
        22 => "IQ3_XS",
        23 => "IQ3_XXS",
        24 => "IQ1_S",
        25 => "IQ4_NL",
        26 => "IQ3_S",
        27 => "IQ3_M",
        28 => "IQ2_S",
        29 => "IQ2_M",
        30 => "IQ4_XS",
        31 => "IQ1_M",
        32 => "BF16",
        36 => "TQ1_0",
        37 => "TQ2_0",
        38 => "MXFP4_MOE",
        39 => "NVFP4",
        40 => "Q1_0",
        41 => "Q2_0",
        _ => $"file type {type}",
    };
}
