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
/// as a download site does. A test can have the next answers cut the connection, or fall silent, after some bytes.
/// </summary>
public sealed class FileServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly byte[] _content;
    private readonly ConcurrentQueue<(long Bytes, bool Stall)> _faults = new();

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
            if (server._faults.TryDequeue(out var fault))
            {
                await server.AnswerAndFailAsync(context, tag, fault.Bytes, fault.Stall);
                return;
            }

            await Results.File(content, "application/octet-stream", entityTag: tag, enableRangeProcessing: true).ExecuteAsync(context);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        server.Url = $"{address.TrimEnd('/')}/files/{fileName}";
        return server;
    }

    /// <summary>The next answer sends <paramref name="bytes"/> bytes of its body, then drops the connection.</summary>
    public void DropNextAfter(long bytes) => _faults.Enqueue((bytes, false));

    /// <summary>The next answer sends <paramref name="bytes"/> bytes of its body, then sends nothing more until the client leaves.</summary>
    public void StallNextAfter(long bytes) => _faults.Enqueue((bytes, true));

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    // Headers as for the whole answer (or the range asked for), then only part of the body.
    private async Task AnswerAndFailAsync(HttpContext context, EntityTagHeaderValue tag, long bytes, bool stall)
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
        if (stall)
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        context.Abort();
    }
}
