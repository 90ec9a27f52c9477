using System.Globalization;

namespace DocExtract.EndToEnd.Tests;

/// <summary>
/// The real pdftotext after a pause: a document stays in flight long enough for a test to kill a process or stop a
/// server under it. Given to a worker as TextExtraction:PdftotextPath.
/// </summary>
public sealed class SlowPdftotext : IDisposable
{
    public SlowPdftotext(double seconds)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"slow-pdftotext-{Guid.NewGuid():N}");
        File.WriteAllText(Path, string.Create(CultureInfo.InvariantCulture, $"#!/bin/sh\nsleep {seconds}\nexec pdftotext \"$@\"\n"));
        File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public string Path { get; }

    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["TextExtraction:PdftotextPath"] = Path };

    public void Dispose() => File.Delete(Path);
}
