using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Net.Http.Headers;

namespace DocExtract.TestSupport.Servers;

/// <summary>
/// A real HTTP server on loopback (Kestrel) serving one file with Range and If-Range support (ASP.NET Core's own),
/// as a download site does. A test can hold the next answer after some bytes: it then sends nothing more until the
/// test cuts the connection, or the client leaves.
/// </summary>
public sealed class FileServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly byte[] _content;
    private readonly ConcurrentQueue<(long Bytes, TaskCompletionSource Cut)> _holds = new();

    private FileServer(WebApplication app, byte[] content)
    {
        _app = app;
        _content = content;
    }

    /// <summary>Each request's Range header ("" without one).</summary>
    public ConcurrentQueue<string> Ranges { get; } = new();

    public string Url { get; private set; } = "";

    public static async Task<FileServer> StartAsync(byte[] content, string fileName)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FileServer(app, content);
        var tag = new EntityTagHeaderValue($"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..16]}\"");
        app.MapGet($"/files/{fileName}", async (HttpContext context) =>
        {
            server.Ranges.Enqueue(context.Request.Headers.Range.ToString());
            if (server._holds.TryDequeue(out var hold))
            {
                await server.AnswerAndHoldAsync(context, tag, hold.Bytes, hold.Cut.Task);
                return;
            }

            await Results.File(content, "application/octet-stream", entityTag: tag, enableRangeProcessing: true).ExecuteAsync(context);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        server.Url = $"{address.TrimEnd('/')}/files/{fileName}";
        return server;
    }

    /// <summary>
    /// The next answer sends <paramref name="bytes"/> bytes of its body and then nothing more; completing the returned
    /// source cuts the connection (a reset, as when a server dies). Cut it once the client has what was sent: bytes
    /// still in flight at a reset are lost.
    /// </summary>
    public TaskCompletionSource HoldNextAfter(long bytes)
    {
        var cut = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _holds.Enqueue((bytes, cut));
        return cut;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    // Headers as for the whole answer (or the range asked for), then only part of the body.
    private async Task AnswerAndHoldAsync(HttpContext context, EntityTagHeaderValue tag, long bytes, Task cut)
    {
        var from = RangeHeaderValue.TryParse(context.Request.Headers.Range.ToString(), out var range) && range.Ranges.Single().From is { } start ? start : 0;
        context.Response.StatusCode = from > 0 ? StatusCodes.Status206PartialContent : StatusCodes.Status200OK;
        if (from > 0)
        {
            context.Response.Headers.ContentRange = new ContentRangeHeaderValue(from, _content.Length - 1, _content.Length).ToString();
        }

        context.Response.Headers.ETag = tag.ToString();
        context.Response.Headers.AcceptRanges = "bytes";
        context.Response.ContentLength = _content.Length - from;
        await context.Response.Body.WriteAsync(_content.AsMemory((int)from, (int)Math.Min(bytes, _content.Length - from)));
        await context.Response.Body.FlushAsync();
        await Task.WhenAny(cut, Task.Delay(Timeout.Infinite, context.RequestAborted));
        context.Abort();
    }
}
