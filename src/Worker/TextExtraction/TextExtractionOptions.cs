namespace DocExtract.Worker.TextExtraction;

public sealed class TextExtractionOptions
{
    public const string Section = "TextExtraction";

    public string PdftotextPath { get; set; } = "pdftotext";

    /// <summary>Keep the physical layout (columns as on paper) instead of reading order.</summary>
    public bool PreserveLayout { get; set; }

    /// <summary>Documents with more pages fail at once.</summary>
    public int MaxPages { get; set; } = 500;

    /// <summary>Wall-clock limit of one tool run.</summary>
    public TimeSpan ToolTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>Address-space limit of one tool run.</summary>
    public long ToolMemoryBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>Largest text a document may yield.</summary>
    public long MaxTextBytes { get; set; } = 64L * 1024 * 1024;

    internal ToolLimits Limits => new(ToolTimeout, ToolMemoryBytes, MaxTextBytes);
}
