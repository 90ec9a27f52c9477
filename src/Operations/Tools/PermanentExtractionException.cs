namespace DocExtract.Operations.Tools;

/// <summary>
/// A fault of the document itself (not a PDF, corrupt, encrypted, too long, over a limit): retrying cannot help,
/// so the document fails at once with this message, which must say what a person can do about it.
/// </summary>
public class PermanentExtractionException(string message, Exception? inner = null) : Exception(message, inner);
