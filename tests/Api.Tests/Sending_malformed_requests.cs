using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using DocExtract.Api.Extensions;
using DocExtract.TestSupport.Pdfs;
using Npgsql;

namespace DocExtract.Api.Tests;

/// <summary>
/// Raw requests over a socket to the API on Kestrel (issue #15): each answer's status says what went wrong. A malformed
/// 1 KB body is the client's mistake (400 with the reason), never "larger than 100 MB"; a body trickling in is a 408,
/// and a bad page number a 400, never a 503 that sends clients retrying into an outage alert.
/// </summary>
public sealed class Sending_malformed_requests(KestrelApiFixture api) : IClassFixture<KestrelApiFixture>
{
    private const string Boundary = "dx-boundary";

    [Fact]
    public async Task A_page_past_the_last_possible_offset_is_a_400_naming_the_bound()
    {
        using var client = api.CreateClient();

        using var response = await client.GetAsync("/documents?page=2147483647");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.Contains("Retry-After"));
        Assert.Equal("page must be between 1 and 42949672 (with pageSize 50)", (await response.ProblemAsync()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/documents?page=42949672")).StatusCode);
    }

    [Fact]
    public void Only_an_unreachable_database_counts_as_unavailable()
    {
        Assert.True(DatabaseFailures.IsUnavailable(new NpgsqlException("Failed to connect", new SocketException())));
        Assert.True(DatabaseFailures.IsUnavailable(new InvalidOperationException("wrapped", new TimeoutException())));
        Assert.True(DatabaseFailures.IsUnavailable(new PostgresException("terminating connection", "FATAL", "FATAL", "57P01")));
        Assert.True(DatabaseFailures.IsUnavailable(new PostgresException("too many clients", "FATAL", "FATAL", "53300")));
        Assert.False(DatabaseFailures.IsUnavailable(new PostgresException("OFFSET must not be negative", "ERROR", "ERROR", "2201X")));
        Assert.False(DatabaseFailures.IsUnavailable(new InvalidOperationException("wrapped",
            new PostgresException("invalid byte sequence", "ERROR", "ERROR", "22021"))));
    }

    [Fact]
    public Task Multipart_without_a_boundary_is_a_400_saying_so() =>
        AssertBadRequestAsync("multipart/form-data", Part("file", "a.pdf", TestPdfs.Invoice("no-boundary")) + End, "boundary");

    [Fact]
    public Task Two_thousand_fields_are_a_400_naming_the_field_limit() =>
        AssertBadRequestAsync(Multipart,
            string.Concat(Enumerable.Range(0, 2000).Select(i => $"--{Boundary}\r\nContent-Disposition: form-data; name=\"f{i}\"\r\n\r\nx\r\n")) + End,
            "count limit");

    [Fact]
    public Task A_20_kb_part_header_is_a_400_naming_the_header_limit() =>
        AssertBadRequestAsync(Multipart,
            $"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\nX-Padding: {new string('x', 20 * 1024)}\r\n\r\n%PDF-1.7\r\n" + End,
            "limit");

    [Fact]
    public Task A_line_break_in_the_file_name_is_a_400() =>
        AssertBadRequestAsync(Multipart,
            $"--{Boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"invoice\r\n.pdf\"\r\n\r\n%PDF-1.7\r\n" + End,
            "cannot be read");

    [Fact]
    public Task A_missing_closing_boundary_is_a_400() =>
        AssertBadRequestAsync(Multipart, Part("file", "a.pdf", "%PDF-1.7 no end"), "cannot be read");

    [Fact]
    public Task A_wrong_closing_boundary_is_a_400() =>
        AssertBadRequestAsync(Multipart, Part("file", "a.pdf", "%PDF-1.7 wrong end") + "--another-boundary--\r\n", "cannot be read");

    [Fact]
    public async Task A_body_trickling_in_at_one_byte_a_second_is_a_408()
    {
        var body = Encoding.ASCII.GetBytes(Part("file", "a.pdf", "%PDF-1.7 slow") + End);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(api.Address.Host, api.Address.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(Head(Multipart, body.Length)));
        var answer = ReadAnswerAsync(stream);

        // Kestrel's minimum body data rate (240 bytes/s after a 5 s grace period) gives up well before the body ends.
        foreach (var b in body)
        {
            if (answer.IsCompleted)
            {
                break;
            }
            try
            {
                await stream.WriteAsync(new[] { b });
            }
            catch (IOException)
            {
                break;
            }
            await Task.WhenAny(answer, Task.Delay(TimeSpan.FromSeconds(1)));
        }

        var (status, problem) = await answer;
        Assert.Equal(408, status);
        Assert.Contains("arrived too slowly", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM documents"));
    }

    private static string Multipart => $"multipart/form-data; boundary={Boundary}";

    private static string End => $"--{Boundary}--\r\n";

    private static string Part(string field, string fileName, byte[] content) => Part(field, fileName, Encoding.Latin1.GetString(content));

    private static string Part(string field, string fileName, string content) =>
        $"--{Boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{fileName}\"\r\nContent-Type: application/pdf\r\n\r\n{content}\r\n";

    private string Head(string contentType, int length) =>
        $"POST /documents HTTP/1.1\r\nHost: {api.Address.Authority}\r\nAuthorization: Bearer {api.AdminKey}\r\n" +
        $"Content-Type: {contentType}\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n";

    private async Task AssertBadRequestAsync(string contentType, string body, string detailPart)
    {
        var bytes = Encoding.Latin1.GetBytes(body);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(api.Address.Host, api.Address.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(Head(contentType, bytes.Length)));
        await stream.WriteAsync(bytes);

        var (status, problem) = await ReadAnswerAsync(stream);

        Assert.Equal(400, status);
        Assert.Contains(detailPart, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0L, await api.Database.ScalarAsync<long>("SELECT count(*) FROM documents"));
    }

    /// <summary>The status and problem+json body of the answer, read until the server closes the connection.</summary>
    private static async Task<(int Status, JsonElement Problem)> ReadAnswerAsync(NetworkStream stream)
    {
        using var buffer = new MemoryStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var chunk = new byte[8192];
        int read;
        while ((read = await stream.ReadAsync(chunk, timeout.Token)) > 0)
        {
            buffer.Write(chunk, 0, read);
        }
        var text = Encoding.UTF8.GetString(buffer.ToArray());
        var status = int.Parse(text.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var body = text[(text.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..];
        Assert.Contains("Content-Type: application/problem+json", text, StringComparison.OrdinalIgnoreCase);
        if (text.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = Dechunk(body);
        }
        return (status, JsonDocument.Parse(body).RootElement.Clone());
    }

    private static string Dechunk(string chunked)
    {
        var result = new StringBuilder();
        var at = 0;
        while (true)
        {
            var lineEnd = chunked.IndexOf("\r\n", at, StringComparison.Ordinal);
            var size = Convert.ToInt32(chunked[at..lineEnd].Split(';')[0], 16);
            if (size == 0)
            {
                return result.ToString();
            }
            result.Append(chunked, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
    }
}
