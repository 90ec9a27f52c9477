using System.Text;

namespace DocExtract.Llama.Interop;

/// <summary>
/// Runs a native call with file descriptor 2 captured. llama.cpp's GBNF parser reports *why* a grammar is invalid
/// only with fprintf(stderr) (src/llama-grammar.cpp, llama_grammar_parser::parse), not through the log callback,
/// and that reason is what a schema author needs. Descriptor 2 is process-wide, so captures are serialized and kept
/// to the few milliseconds a parse takes, once per grammar in the life of the process (<see cref="GrammarCache"/>);
/// anything another thread writes to stderr meanwhile ends up in the captured text, which is logged at Debug level
/// rather than dropped.
/// </summary>
internal static class StderrCapture
{
    private static readonly Lock _gate = new();

    public static T Run<T>(Func<T> call, out string captured)
    {
        lock (_gate)
        {
            var (saved, capture) = NativeMethods.RedirectStderr();
            try
            {
                return call();
            }
            finally
            {
                captured = Encoding.UTF8.GetString(NativeMethods.RestoreStderr(saved, capture));
                LlamaLog.CapturedStderr(captured);
            }
        }
    }
}
