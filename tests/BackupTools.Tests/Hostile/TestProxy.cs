using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace BackupTools.Tests.Hostile
{
    /// <summary>
    /// A forward proxy on loopback, as a corporate one behaves: plain-http requests in absolute form are
    /// forwarded, https goes through CONNECT tunnels; it may demand Basic credentials (407) and may refuse
    /// (403, or any status) by policy. Every host it is asked for is sent to <see cref="Upstream"/> (a
    /// loopback emulator), so tests can use names that no DNS resolves and traffic never leaves the machine.
    /// </summary>
    public sealed class TestProxy : IDisposable
    {
        private readonly TcpListener _listener;
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();

        public TestProxy(IPEndPoint? upstream = null)
        {
            Upstream = upstream;
            _listener = new TcpListener(IPAddress.Loopback, 0);
            _listener.Start();
            _ = AcceptLoopAsync();
        }

        public Uri Address => new Uri("http://127.0.0.1:" + ((IPEndPoint)_listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture) + "/");

        /// <summary>Where allowed requests and tunnels go, whatever host they name; null: nowhere (502).</summary>
        public IPEndPoint? Upstream { get; set; }

        /// <summary>When set, requests without these Basic credentials get 407.</summary>
        public (string User, string Password)? RequireCredentials { get; set; }

        /// <summary>When set, authenticated requests are refused with this status and an HTML page, as a policy would.</summary>
        public int? RefuseWith { get; set; }

        /// <summary>Each request the proxy saw: "METHOD target user" (the user from Proxy-Authorization, or "-").</summary>
        public ConcurrentQueue<string> Log { get; } = new ConcurrentQueue<string>();

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
        }

        private async Task AcceptLoopAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (Exception)
                {
                    return;
                }

                _ = ServeAsync(client);
            }
        }

        private async Task ServeAsync(TcpClient client)
        {
            using (client)
            {
                try
                {
                    var stream = client.GetStream();
                    var reader = new HttpReader(stream);
                    while (true)
                    {
                        var request = await reader.ReadRequestAsync(_stop.Token);
                        if (request == null)
                        {
                            return;
                        }

                        var user = UserOf(request);
                        Log.Enqueue(request.Method + " " + request.Target + " " + (user?.User ?? "-"));
                        if (RequireCredentials is { } want && (user == null || user.Value.User != want.User || user.Value.Password != want.Password))
                        {
                            await WriteAsync(stream, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test proxy\"\r\nContent-Length: 0\r\n\r\n");
                            continue;
                        }

                        if (RefuseWith is int status)
                        {
                            var page = "<html><body><h1>Access denied</h1>Blocked by the proxy's policy.</body></html>";
                            await WriteAsync(stream, "HTTP/1.1 " + status.ToString(CultureInfo.InvariantCulture) + " Forbidden\r\nContent-Type: text/html\r\nVia: 1.1 test-proxy\r\nContent-Length: " + page.Length.ToString(CultureInfo.InvariantCulture) + "\r\nConnection: close\r\n\r\n" + page);
                            return;
                        }

                        if (Upstream == null)
                        {
                            await WriteAsync(stream, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                            return;
                        }

                        using var upstream = new TcpClient();
                        await upstream.ConnectAsync(Upstream.Address, Upstream.Port, _stop.Token);
                        var up = upstream.GetStream();
                        if (request.Method == "CONNECT")
                        {
                            await WriteAsync(stream, "HTTP/1.1 200 Connection established\r\n\r\n");
                            if (!reader.Pending.IsEmpty)
                            {
                                await up.WriteAsync(reader.Pending, _stop.Token);
                            }

                            await Task.WhenAny(stream.CopyToAsync(up, _stop.Token), up.CopyToAsync(stream, _stop.Token));
                            return;
                        }

                        // Absolute form to origin form; the Host header stays as the client sent it.
                        var target = new Uri(request.Target);
                        var head = new StringBuilder();
                        head.Append(request.Method).Append(' ').Append(target.PathAndQuery).Append(" HTTP/1.1\r\n");
                        foreach (var h in request.Headers)
                        {
                            if (!h.Key.StartsWith("Proxy-", StringComparison.OrdinalIgnoreCase) && !h.Key.Equals("Connection", StringComparison.OrdinalIgnoreCase))
                            {
                                head.Append(h.Key).Append(": ").Append(h.Value).Append("\r\n");
                            }
                        }

                        head.Append("Connection: close\r\n\r\n");
                        await up.WriteAsync(Encoding.Latin1.GetBytes(head.ToString()), _stop.Token);
                        if (request.Body.Length > 0)
                        {
                            await up.WriteAsync(Encoding.UTF8.GetBytes(request.Body), _stop.Token);
                        }

                        await up.CopyToAsync(stream, _stop.Token);
                        return;
                    }
                }
                catch (Exception)
                {
                    // A client or upstream that went away.
                }
            }
        }

        private static (string User, string Password)? UserOf(HostileRequest request)
        {
            if (!request.Headers.TryGetValue("Proxy-Authorization", out var value) || !value.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            var pair = Encoding.UTF8.GetString(Convert.FromBase64String(value.Substring(6).Trim()));
            var colon = pair.IndexOf(':');
            return colon < 0 ? (pair, string.Empty) : (pair.Substring(0, colon), pair.Substring(colon + 1));
        }

        private Task WriteAsync(NetworkStream stream, string text) => stream.WriteAsync(Encoding.Latin1.GetBytes(text), _stop.Token).AsTask();
    }
}
