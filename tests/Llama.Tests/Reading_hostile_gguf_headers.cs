using System.Text;
using DocExtract.Llama.Gguf;
using DocExtract.Llama.Models;

namespace DocExtract.Llama.Tests;

/// <summary>
/// `models` reads the headers of files that came from outside (issue #11): a header that lies about its sizes fails
/// with a reason, before anything as large as it claims is allocated.
/// </summary>
public sealed class Reading_hostile_gguf_headers : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"docextract-hostile-{Guid.NewGuid():N}.gguf");

    [Fact]
    public void A_tensor_count_beyond_the_file_is_refused()
    {
        Write(writer =>
        {
            writer.Write(ulong.MaxValue / 2);
            writer.Write(0UL);
        });

        var error = Assert.Throws<InvalidDataException>(() => GgufReader.Read(_path));

        Assert.Contains("tensor count", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_string_longer_than_the_file_is_refused()
    {
        Write(writer =>
        {
            writer.Write(0UL);
            writer.Write(1UL);
            writer.Write(1UL << 40);
        });

        var error = Assert.Throws<InvalidDataException>(() => GgufReader.Read(_path));

        Assert.Contains("string length", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_header_cut_short_is_refused_as_truncated()
    {
        Write(writer =>
        {
            writer.Write(0UL);
            writer.Write(1UL);
            writer.Write(3UL);
            writer.Write(Encoding.ASCII.GetBytes("gen"));
            writer.Write((uint)GgufValueType.UInt64);
            writer.Write((ushort)1);
        });

        var error = Assert.Throws<InvalidDataException>(() => GgufReader.Read(_path));

        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("version https://git-lfs.github.com/spec/v1\noid sha256:0", "a Git LFS pointer")]
    [InlineData("<!doctype html><html>", "an HTML page")]
    [InlineData("", "the file is empty")]
    public void A_file_that_is_not_gguf_is_named_for_what_it_is(string content, string expected)
    {
        File.WriteAllText(_path, content);

        var error = Assert.Throws<InvalidDataException>(() => ModelFacts.Read(_path));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => File.Delete(_path);

    private void Write(Action<BinaryWriter> afterVersion)
    {
        using var writer = new BinaryWriter(File.Create(_path));
        writer.Write(GgufReader.Magic);
        writer.Write(3u);
        afterVersion(writer);
    }
}
