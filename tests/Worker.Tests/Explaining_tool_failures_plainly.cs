using DocExtract.Pipeline.TextExtraction;

namespace DocExtract.Worker.Tests;

/// <summary>Failure reasons quoted poppler ("Illegal character &lt;4f&gt; in hex string") and exit codes (#14).</summary>
public sealed class Explaining_tool_failures_plainly
{
    [Fact]
    public void A_common_poppler_complaint_becomes_a_sentence_with_the_raw_message_as_detail()
    {
        var run = Result(1, "Syntax Error (25145): Illegal character <4f> in hex string\nSyntax Error (25190): Illegal character <4f> in hex string\n");

        Assert.Equal("the PDF is corrupt: a string inside it is malformed; open it in the program that made it and save or export it again " +
            "(pdftotext: Syntax Error: Illegal character <4f> in hex string)", PopplerErrors.Summarise("pdftotext", run, 2L << 30));
    }

    [Fact]
    public void A_tool_aborted_at_the_memory_cap_names_the_limit_and_the_setting_that_raises_it()
    {
        var reason = PopplerErrors.Summarise("pdftotext", Result(134, ""), 2L << 30);

        Assert.Equal("the PDF needs more memory than 2048 MB, the limit of one tool run (TextExtraction:ToolMemoryBytes raises it) " +
            "(pdftotext: pdftotext exited with code 134)", reason);
    }

    [Fact]
    public void An_unknown_complaint_keeps_the_general_reason_and_the_raw_message()
    {
        var reason = PopplerErrors.Summarise("pdftotext", Result(1, "Syntax Error: Something new\n"));

        Assert.Equal("the PDF is corrupt or unreadable (pdftotext: Syntax Error: Something new)", reason);
    }

    private static ToolResult Result(int exitCode, string stderr) => new(exitCode, [], stderr, TimeSpan.Zero);
}
