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
/// joined per thread into whole lines. Many calls report failure only by returning NULL or a code, with the
/// reason in the error lines just logged: a <see cref="CallScope"/> holds back the warnings and errors of one call,
/// hands the errors to the exception, and then logs them at Debug only, since the exception (or the cancellation
/// that caused them) is what the caller will report.
/// </summary>
internal static partial class LlamaLog
{
    private static ILogger _logger = NullLogger.Instance;

    [ThreadStatic]
    private static StringBuilder? _pending;

    [ThreadStatic]
    private static ggml_log_level _pendingLevel;

    [ThreadStatic]
    private static List<(ggml_log_level Level, string Line)>? _held;

    [ThreadStatic]
    private static int _scopeDepth;

    [ThreadStatic]
    private static bool _scopeExplained;

    public static unsafe void Install(ILogger logger)
    {
        _logger = logger;
        NativeMethods.SetLogCallback(&OnNativeLog);
    }

    /// <summary>What llama.cpp wrote to stderr during a <see cref="StderrCapture"/>, kept for whoever debugs.</summary>
    public static void CapturedStderr(string text)
    {
        if (!string.IsNullOrWhiteSpace(text))
        {
            CapturedOutput(_logger, text.TrimEnd());
        }
    }

    [LoggerMessage(EventId = 1, Message = "llama.cpp: {Line}")]
    private static partial void NativeLine(ILogger logger, LogLevel level, string line);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "llama.cpp wrote to stderr: {Text}")]
    private static partial void CapturedOutput(ILogger logger, string text);

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

        if (_scopeDepth > 0 && level is ggml_log_level.GGML_LOG_LEVEL_ERROR or ggml_log_level.GGML_LOG_LEVEL_WARN)
        {
            (_held ??= []).Add((level, line.Trim()));
            return;
        }

        NativeLine(_logger, Map(level), line.TrimEnd());
    }

    private static LogLevel Map(ggml_log_level level) => level switch
    {
        ggml_log_level.GGML_LOG_LEVEL_ERROR => LogLevel.Error,
        ggml_log_level.GGML_LOG_LEVEL_WARN => LogLevel.Warning,
        ggml_log_level.GGML_LOG_LEVEL_DEBUG => LogLevel.Trace,
        _ => LogLevel.Debug,
    };

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

    /// <summary>Holds back the warnings and errors llama.cpp logs on this thread during one native call.</summary>
    internal ref struct CallScope
    {
        private bool _open;

        public static CallScope Begin()
        {
            if (_scopeDepth++ == 0)
            {
                _held?.Clear();
                _scopeExplained = false;
            }

            return new CallScope { _open = true };
        }

        /// <summary>
        /// The error lines so far (including one still waiting for its newline: some have none), for an exception;
        /// from then on the held lines count as reported and go to Debug.
        /// </summary>
        [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "called on the scope the caller holds; the state it reads is the thread's")]
        public readonly string Describe()
        {
            _scopeExplained = true;
            var lines = (_held ?? []).Where(h => h.Level == ggml_log_level.GGML_LOG_LEVEL_ERROR).Select(h => h.Line).ToList();
            if (_pending is { Length: > 0 } pending && _pendingLevel == ggml_log_level.GGML_LOG_LEVEL_ERROR)
            {
                lines.Add(pending.ToString().Trim());
            }

            return lines.Count == 0 ? "llama.cpp gave no reason" : string.Join("; ", lines);
        }

        /// <summary>What was logged is the expected side effect of something the caller asked for (a cancellation).</summary>
        [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "called on the scope the caller holds; the state it sets is the thread's")]
        public readonly void Expected() => _scopeExplained = true;

        public void Dispose()
        {
            if (!_open)
            {
                return;
            }

            _open = false;
            if (--_scopeDepth > 0)
            {
                return;
            }

            // A message without its newline would otherwise surface with whatever llama.cpp logs next.
            if (_pending is { Length: > 0 } pending && _pendingLevel is ggml_log_level.GGML_LOG_LEVEL_ERROR or ggml_log_level.GGML_LOG_LEVEL_WARN)
            {
                (_held ??= []).Add((_pendingLevel, pending.ToString().Trim()));
                pending.Clear();
            }

            if (_held is { Count: > 0 } held)
            {
                foreach (var (level, line) in held)
                {
                    NativeLine(_logger, _scopeExplained ? LogLevel.Debug : Map(level), line);
                }

                held.Clear();
            }
        }
    }
}
