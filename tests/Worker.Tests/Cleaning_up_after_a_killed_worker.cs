using System.Diagnostics;
using DocExtract.Pipeline.TextExtraction;

namespace DocExtract.Worker.Tests;

/// <summary>A worker killed mid-OCR left rendered pages of customer documents in its temp folders (#15 item 9).</summary>
public sealed class Cleaning_up_after_a_killed_worker : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("docextract-sweep-").FullName;

    [Fact]
    public async Task The_start_up_sweep_removes_the_folders_of_dead_workers_and_keeps_the_living_ones()
    {
        using var gone = Process.Start("true")!;
        await gone.WaitForExitAsync();
        var orphan = Path.Combine(_root, $"{OcrWorkspace.Prefix}{gone.Id}-12345-abc");
        Directory.CreateDirectory(orphan);
        await File.WriteAllTextAsync(Path.Combine(orphan, "page-1.pgm"), "a customer's page");
        // pid 1 is alive but started at another time than the folder says: a restarted container's worker.
        var reused = Path.Combine(_root, $"{OcrWorkspace.Prefix}1-999999999999-def");
        Directory.CreateDirectory(reused);
        var mine = OcrWorkspace.Create(_root);

        var removed = OcrWorkspace.RemoveOrphans(_root);

        Assert.Equal(2, removed);
        Assert.False(Directory.Exists(orphan));
        Assert.False(Directory.Exists(reused));
        Assert.True(Directory.Exists(mine));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
