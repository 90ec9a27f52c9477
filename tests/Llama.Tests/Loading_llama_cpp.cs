using Microsoft.Extensions.Logging;

namespace DocExtract.Llama.Tests;

[Collection(LlamaCollection.Name)]
public sealed class Loading_llama_cpp(LlamaFixture fixture)
{
    [Fact]
    public void Logs_one_line_naming_the_backend_and_the_device()
    {
        var backendLines = LlamaFixture.Log.Entries.Where(e => e.EventId.Id == 0).ToList();

        var line = Assert.Single(backendLines);
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.DoesNotContain('\n', line.Message);
        Assert.Contains($"llama.cpp backend {fixture.Backend.Backend}", line.Message);
        Assert.All(fixture.Backend.Devices, device => Assert.Contains(device.Description, line.Message));
    }

    [Fact]
    public void Keeps_llama_cpp_quiet_at_the_usual_log_level()
    {
        // Loading a model and generating produce dozens of llama.cpp lines; none may reach Information or above.
        var loud = LlamaFixture.Log.Entries.Where(e => e.EventId.Id == 1 && e.Level >= LogLevel.Information).ToList();

        Assert.True(loud.Count == 0, string.Join('\n', loud.Select(e => $"{e.Level}: {e.Message}")));
        Assert.Contains(LlamaFixture.Log.Entries, e => e.EventId.Id == 1 && e.Level == LogLevel.Debug);
    }

    [Fact]
    public void Maps_every_llama_library_from_the_folder_it_chose()
    {
        var mapped = File.ReadLines("/proc/self/maps")
            .Select(line => line[(line.IndexOf('/') is var slash and >= 0 ? slash : line.Length)..])
            .Where(path => Path.GetFileName(path).StartsWith("libggml", StringComparison.Ordinal)
                || Path.GetFileName(path).StartsWith("libllama", StringComparison.Ordinal))
            .Distinct()
            .ToList();

        Assert.NotEmpty(mapped);
        Assert.All(mapped, path => Assert.Equal(fixture.Backend.LibraryDirectory, Path.GetDirectoryName(path)));
        Assert.Contains(mapped, path => Path.GetFileName(path).StartsWith("libggml-cpu-", StringComparison.Ordinal));
    }

    [Fact]
    public void Returns_the_same_backend_when_initialized_again()
    {
        var again = LlamaBackend.Initialize(
            new LlamaBackendOptions { NativeDirectory = Path.GetDirectoryName(fixture.Backend.LibraryDirectory) },
            LlamaFixture.Log);

        Assert.Same(fixture.Backend, again);
        Assert.Single(LlamaFixture.Log.Entries, e => e.EventId.Id == 0);
    }

    [Fact]
    public void Refuses_to_switch_a_running_process_to_the_other_build()
    {
        var other = fixture.Backend.Backend == LlamaBackendKind.Cpu ? LlamaBackendKind.Cuda : LlamaBackendKind.Cpu;

        var error = Assert.Throws<InvalidOperationException>(() => LlamaBackend.Initialize(
            new LlamaBackendOptions { Backend = other, NativeDirectory = Path.GetDirectoryName(fixture.Backend.LibraryDirectory) },
            LlamaFixture.Log));
        Assert.Contains("already loaded", error.Message);
    }
}
