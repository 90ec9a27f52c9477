using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using DocExtract.Llama.Models;

namespace DocExtract.Cli.Models;

/// <summary>What `models pull` was asked for.</summary>
/// <param name="Sha256">The published checksum the file must have (lowercase hex), or null: then it is computed and recorded, not checked.</param>
/// <param name="Retries">Times a dropped or stalled connection is resumed within this run before giving up (the .partial stays).</param>
/// <param name="StallTimeout">How long the server may send nothing before the connection counts as dropped.</param>
public sealed record PullRequest(Uri Url, string Name, string? Sha256, int Retries, TimeSpan StallTimeout);

/// <summary>A pull that cannot succeed as asked; <see cref="Discarded"/> says whether the download was removed.</summary>
public sealed class PullFailedException(string message, bool discarded) : Exception(message)
{
    public bool Discarded { get; } = discarded;
}

/// <summary>
/// A resumable download into the models folder (issue #11). Bytes go to <c>.partial/&lt;name&gt;.gguf</c>, hashed as
/// they arrive; a dropped connection is resumed with an HTTP Range request (<c>If-Range</c> the server's validator,
/// so a file changed on the server restarts instead of splicing two versions), and so is a later `models pull` of
/// the same URL and name. Only a file whose SHA-256 matches and whose header is GGUF is renamed into place.
/// Policy: an interruption (Ctrl-C, network, server error) keeps the .partial to resume from; a wrong checksum, a
/// file that is not GGUF, or a server sending more than it announced removes everything.
/// </summary>
public sealed class ModelDownload(ModelStore store, HttpClient http, DownloadProgress progress, TextWriter log)
{
    private const int BufferSize = 1 << 20;
    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web);

    /// <summary>http:// is for tests: a loopback server, nothing on the network unencrypted.</summary>
    public static bool IsAllowed(Uri url) =>
        url.Scheme == Uri.UriSchemeHttps || (url.Scheme == Uri.UriSchemeHttp && url.IsLoopback);

    public async Task<(StoredModel Model, bool Checked)> PullAsync(PullRequest request, CancellationToken cancellationToken)
    {
        if (store.Exists(request.Name))
        {
            throw new PullFailedException($"a model named '{request.Name}' is already in {store.Directory}: `models rm {request.Name}` first, or choose another --name", discarded: false);
        }

        Directory.CreateDirectory(store.PartialDirectory);
        var partial = store.PartialFile(request.Name);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        FileStream file;
        try
        {
            // FileShare.None is an exclusive flock on Linux: a second pull of the same name stops here. Unbuffered
            // (blocks are 1 MiB already), so what was received is in the file even if the process is killed.
            file = new FileStream(partial, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
        }
        catch (IOException e)
        {
            throw new PullFailedException($"{partial} is in use: is another `models pull {request.Name}` running? ({e.Message})", discarded: false);
        }

        await using (file)
        {
            try
            {
                var state = await ResumableStateAsync(request, file);
                if (file.Length > 0)
                {
                    await log.WriteLineAsync($"pull: resuming {request.Name} from {DownloadProgress.Bytes(file.Length)} already in {partial}");
                    await HashAsync(file, hash, cancellationToken);
                }

                await DownloadAsync(request, state, file, hash, cancellationToken);
            }
            catch when (file.Length == 0)
            {
                // Nothing came (a 404, a refused connection): nothing to resume either.
                await file.DisposeAsync();
                Discard(request.Name);
                throw;
            }
        }

        var sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (request.Sha256 is { } expected && sha256 != expected)
        {
            Discard(request.Name);
            throw new PullFailedException($"the download's SHA-256 is {sha256}, not the {expected} asked for (--sha256): removed it; check the URL and the checksum", discarded: true);
        }

        try
        {
            ModelFacts.Read(partial);
        }
        catch (InvalidDataException e)
        {
            Discard(request.Name);
            throw new PullFailedException($"{request.Url} is not a GGUF model ({e.Message.Replace(partial, "the download", StringComparison.Ordinal)}): removed it", discarded: true);
        }

        var (model, _, _) = store.Add(request.Name, partial, sha256, request.Url.ToString(), move: true);
        File.Delete(store.PartialState(request.Name));
        return (model, request.Sha256 is not null);
    }

    private async Task DownloadAsync(PullRequest request, PartialState state, FileStream file, IncrementalHash hash, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                if (await FetchAsync(request, state, file, hash, cancellationToken))
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException or TimeoutException && attempt < request.Retries && !cancellationToken.IsCancellationRequested)
            {
                var wait = TimeSpan.FromSeconds(Math.Min(30, 1 << attempt));
                await log.WriteLineAsync($"pull: {e.Message}; resuming from byte {file.Length} in {wait.TotalSeconds:0} s (retry {attempt + 1} of {request.Retries})");
                await Task.Delay(wait, cancellationToken);
                // Hash what the file holds, not what the hash saw: a write that failed halfway must not skew it.
                hash.GetHashAndReset();
                await HashAsync(file, hash, cancellationToken);
            }
            finally
            {
                progress.Finish();
            }
        }
    }

    /// <summary>One request: true once the whole file is on disk; an exception for a connection to resume.</summary>
    private async Task<bool> FetchAsync(PullRequest request, PartialState state, FileStream file, IncrementalHash hash, CancellationToken cancellationToken)
    {
        var offset = file.Length;
        using var message = new HttpRequestMessage(HttpMethod.Get, request.Url);
        if (offset > 0)
        {
            message.Headers.Range = new RangeHeaderValue(offset, null);
            if (state.Validator is { } validator)
            {
                message.Headers.TryAddWithoutValidation("If-Range", validator);
            }
        }

        using var response = await SendAsync(message, cancellationToken);
        if (response.RequestMessage?.RequestUri is { } final && !IsAllowed(final))
        {
            throw new PullFailedException($"{request.Url} redirected to {final}: only https:// (or http:// on loopback) is allowed", discarded: false);
        }

        long? total;
        switch (response.StatusCode)
        {
            case HttpStatusCode.PartialContent when response.Content.Headers.ContentRange is { From: { } from } range:
                if (from != offset)
                {
                    throw new HttpRequestException($"the server sent bytes from {from}, not from {offset} as asked");
                }

                total = range.Length;
                break;
            case HttpStatusCode.RequestedRangeNotSatisfiable when response.Content.Headers.ContentRange?.Length == offset:
                return true;
            case HttpStatusCode.OK or HttpStatusCode.RequestedRangeNotSatisfiable:
                if (offset > 0)
                {
                    await log.WriteLineAsync("pull: the server sent the whole file again (it does not resume, or the file changed): starting over");
                    file.SetLength(0);
                    hash.GetHashAndReset();
                    offset = 0;
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        return false;
                    }
                }

                total = response.Content.Headers.ContentLength;
                break;
            case HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests or >= HttpStatusCode.InternalServerError:
                throw new HttpRequestException($"the server answered {(int)response.StatusCode} {response.ReasonPhrase}");
            default:
                throw new PullFailedException($"{request.Url}: the server answered {(int)response.StatusCode} {response.ReasonPhrase}", discarded: false);
        }

        await SaveValidatorAsync(request, state, response);
        RequireSpace(total - offset);
        file.Seek(offset, SeekOrigin.Begin);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            progress.Start(offset);
            while (true)
            {
                stall.CancelAfter(request.StallTimeout);
                int read;
                try
                {
                    read = await body.ReadAsync(buffer.AsMemory(0, BufferSize), stall.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new TimeoutException($"nothing came for {request.StallTimeout.TotalSeconds:0} s after byte {offset}");
                }

                if (read == 0)
                {
                    break;
                }

                if (total is { } announced && offset + read > announced)
                {
                    await file.DisposeAsync();
                    Discard(request.Name);
                    throw new PullFailedException($"the server sent more than the {announced} bytes it announced: removed the download", discarded: true);
                }

                await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                hash.AppendData(buffer, 0, read);
                offset += read;
                progress.Report(offset, total);
            }

            await file.FlushAsync(cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return total is not { } size || offset == size
            ? true
            : throw new IOException($"the connection closed after {offset} of {size} bytes");
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage message, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            // SocketsHttpHandler.ConnectTimeout surfaces as a cancellation nobody asked for.
            throw new TimeoutException($"no answer from {message.RequestUri?.Host}: {e.Message}", e);
        }
    }

    /// <summary>The state of an earlier pull of this name; what one of another URL left is dropped first.</summary>
    private async Task<PartialState> ResumableStateAsync(PullRequest request, FileStream partial)
    {
        var path = store.PartialState(request.Name);
        var earlier = File.Exists(path) ? TryRead(path) : null;
        if (partial.Length > 0 && earlier?.Url != request.Url.ToString())
        {
            await log.WriteLineAsync($"pull: {partial.Name} was left by a pull of {earlier?.Url ?? "an unknown URL"}: starting over");
            partial.SetLength(0);
        }

        var state = new PartialState(request.Url.ToString(), request.Sha256, partial.Length > 0 ? earlier?.Validator : null);
        await File.WriteAllBytesAsync(path, JsonSerializer.SerializeToUtf8Bytes(state, _json));
        return state;
    }

    // A strong ETag or Last-Modified, so a resumed request gets the rest of the same file or the whole new one.
    private async Task SaveValidatorAsync(PullRequest request, PartialState state, HttpResponseMessage response)
    {
        var validator = response.Headers.ETag is { IsWeak: false } tag ? tag.ToString()
            : response.Content.Headers.LastModified is { } modified ? modified.ToString("R")
            : null;
        if (validator != state.Validator)
        {
            state.Validator = validator;
            await File.WriteAllBytesAsync(store.PartialState(request.Name), JsonSerializer.SerializeToUtf8Bytes(state, _json));
        }
    }

    private void RequireSpace(long? needed)
    {
        var free = new DriveInfo(store.PartialDirectory).AvailableFreeSpace;
        if (needed > free)
        {
            throw new PullFailedException($"the model needs {DownloadProgress.Bytes(needed.Value)} more, and {store.Directory} has {DownloadProgress.Bytes(free)} free", discarded: false);
        }
    }

    private void Discard(string name)
    {
        File.Delete(store.PartialFile(name));
        File.Delete(store.PartialState(name));
    }

    /// <summary>Hashes what an earlier run left, so a resumed pull still checks every byte of the file.</summary>
    private static async Task HashAsync(FileStream file, IncrementalHash hash, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            file.Seek(0, SeekOrigin.Begin);
            int read;
            while ((read = await file.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static PartialState? TryRead(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<PartialState>(File.ReadAllBytes(path), _json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed class PartialState(string url, string? sha256, string? validator)
    {
        public string Url { get; } = url;

        public string? Sha256 { get; } = sha256;

        public string? Validator { get; set; } = validator;
    }
}
