using System.Text.Json.Nodes;

namespace DocExtract.Operations.Tools;

/// <summary>
/// A fault of the document itself (not a PDF, corrupt, encrypted, too long, over a limit): retrying cannot help,
/// so the document fails at once with this message, which must say what a person can do about it.
/// </summary>
public class PermanentExtractionException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>
    /// What the LLM stage had used when the document failed (the model, its tokens, the classification's), in the
    /// shape of a result's details, so that the usage ledger counts a failed document's cost too (#12); null when the
    /// document failed before a model read it.
    /// </summary>
    public JsonObject? Details { get; init; }
}
