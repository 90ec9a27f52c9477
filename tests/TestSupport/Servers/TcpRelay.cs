using System.Net;
using System.Net.Sockets;

namespace DocExtract.TestSupport.Servers;

/// <summary>
/// Forwards TCP connections from one address to a server, counting them. Lets a process in a network namespace
/// reach the machine's PostgreSQL and RabbitMQ (which listen on loopback) through a veth, and nothing else.
/// <see cref="Cut"/> takes the server away from the processes behind the relay alone (the machine's servers are
/// shared by every test running beside), until <see cref="Mend"/>.
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private CancellationTokenSource _links = new();
    private int _connections;

    private TcpRelay(IPAddress listenOn, IPEndPoint target)
    {
        _target = target;
        _listener = new TcpListener(listenOn, 0);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public IPEndPoint Endpoint => (IPEndPoint)_listener.LocalEndpoint;

    public int Connections => Volatile.Read(ref _connections);

    public bool IsCut { get; private set; }

    /// <summary>Drops every connection and refuses (accepts and closes at once) new ones, as a server gone away.</summary>
    public void Cut()
    {
        IsCut = true;
        _links.Cancel();
    }

    /// <summary>Forwards new connections again.</summary>
    public void Mend()
    {
        // The cut source is left to the collector: the accept loop may be reading it this moment.
        _links = new CancellationTokenSource();
        IsCut = false;
    }

    public static TcpRelay Start(IPAddress listenOn, IPEndPoint target) => new(listenOn, target);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            if (IsCut)
            {
                client.Dispose();
                continue;
            }
            Interlocked.Increment(ref _connections);
            _ = PumpAsync(client, CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, _links.Token));
        }
    }

    private async Task PumpAsync(TcpClient client, CancellationTokenSource link)
    {
        using (link)
        using (client)
        using (var upstream = new TcpClient())
        {
            try
            {
                await upstream.ConnectAsync(_target, link.Token);
                await using var down = client.GetStream();
                await using var up = upstream.GetStream();
                await Task.WhenAny(down.CopyToAsync(up, link.Token), up.CopyToAsync(down, link.Token));
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // A side closed: both go.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
        _links.Dispose();
    }
}
