using System.Runtime.InteropServices;
using System.Text;
using DocExtract.Llama.Interop;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DocExtract.Llama;

/// <summary>
/// The receiving end of llama.cpp's one global log callback. llama.cpp is chatty (every load prints dozens of
/// lines), so its INFO goes to Debug and DEBUG to Trace: at the usual Information level only its warnings and
/// errors show. It delivers text in fragments (GGML_LOG_LEVEL_CONT continues the previous one), so fragments are
/// joined per thread into whole lines. The last error line of each thread is kept because a failed call returns
/// only NULL and the reason is in that line.
/// </summary>
internal static partial class LlamaLog
{
    private static ILogger _logger = NullLogger.Instance;

    [ThreadStatic]
    private static StringBuilder? _pending;

    [ThreadStatic]
    private static ggml_log_level _pendingLevel;

    [ThreadStatic]
    private static string? _lastError;

    /// <summary>The last error line llama.cpp logged on the calling thread since <see cref="ClearLastError"/>.</summary>
    public static string? LastError => _lastError;

    public static void ClearLastError() => _lastError = null;

    public static unsafe void Install(ILogger logger)
    {
        _logger = logger;
        NativeMethods.SetLogCallback(&OnNativeLog);
    }

    [LoggerMessage(EventId = 1, Message = "llama.cpp: {Line}")]
    private static partial void NativeLine(ILogger logger, LogLevel level, string line);

    [UnmanagedCallersOnly]
    private static unsafe void OnNativeLog(ggml_log_level level, byte* text, void* userData)
    {
        // An exception must never unwind into llama.cpp's frames: that would take the process down.
        try
        {
            Append(level, Marshal.PtrToStringUTF8((nint)text) ?? "");
        }
        catch (Exception)
        {
            _pending?.Clear();
        }
    }

    private static void Append(ggml_log_level level, string text)
    {
        var pending = _pending ??= new StringBuilder();
        if (level != ggml_log_level.GGML_LOG_LEVEL_CONT)
        {
            if (pending.Length > 0)
            {
                Emit(_pendingLevel, pending.ToString());
                pending.Clear();
            }

            _pendingLevel = level;
        }

        pending.Append(text);
        if (_pendingLevel == ggml_log_level.GGML_LOG_LEVEL_ERROR)
        {
            // Some error messages end without a newline (llama-grammar.cpp, left recursion): record them as they come.
            var line = pending.ToString().Trim();
            if (line.Length > 0)
            {
                _lastError = line[(line.LastIndexOf('\n') + 1)..];
            }
        }

        int newline;
        while ((newline = IndexOf(pending, '\n')) >= 0)
        {
            Emit(_pendingLevel, pending.ToString(0, newline));
            pending.Remove(0, newline + 1);
        }
    }

    private static void Emit(ggml_log_level level, string line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return;
        }

        var mapped = level switch
        {
            ggml_log_level.GGML_LOG_LEVEL_ERROR => LogLevel.Error,
            ggml_log_level.GGML_LOG_LEVEL_WARN => LogLevel.Warning,
            ggml_log_level.GGML_LOG_LEVEL_DEBUG => LogLevel.Trace,
            _ => LogLevel.Debug,
        };
        NativeLine(_logger, mapped, line.TrimEnd());
    }

    private static int IndexOf(StringBuilder builder, char value)
    {
        for (var i = 0; i < builder.Length; i++)
        {
            if (builder[i] == value)
            {
                return i;
            }
        }

        return -1;
    }
}
