using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace BackupTools.Tests.Hostile
{
    /// <summary>One request as the misbehaving server read it.</summary>
    public sealed class HostileRequest
    {
        public string Method { get; init; } = string.Empty;

        /// <summary>The request target as sent: a path and query, an absolute URL (to a proxy) or host:port (CONNECT).</summary>
        public string Target { get; init; } = string.Empty;

        public Dictionary<string, string> Headers { get; init; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        public string Body { get; init; } = string.Empty;

        public string Path => Target.Split('?')[0];

        public string Query(string name)
        {
            var q = Target.IndexOf('?') is var i && i >= 0 ? Target.Substring(i + 1) : string.Empty;
            foreach (var pair in q.Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=');
                var key = Uri.UnescapeDataString(eq < 0 ? pair : pair.Substring(0, eq));
                if (key == name)
                {
                    return eq < 0 ? string.Empty : Uri.UnescapeDataString(pair.Substring(eq + 1));
                }
            }

            return string.Empty;
        }
    }

    /// <summary>What the misbehaving server sends back: any status, headers and bytes, a streamed body, or nothing at all.</summary>
    public sealed class HostileAnswer
    {
        public int Status { get; init; } = 200;

        public string Reason { get; init; } = "OK";

        public List<KeyValuePair<string, string>> Headers { get; } = new List<KeyValuePair<string, string>>();

        public byte[] Body { get; init; } = Array.Empty<byte>();

        /// <summary>Writes the body itself (no Content-Length; the connection closes after it).</summary>
        public Func<Stream, CancellationToken, Task>? Writer { get; init; }

        /// <summary>Closes the connection without answering (the request's outcome is unknown to the client).</summary>
        public bool HangUp { get; init; }

        public HostileAnswer With(string name, string value)
        {
            Headers.Add(new KeyValuePair<string, string>(name, value));
            return this;
        }

        public static HostileAnswer Json(string json, int status = 200, string reason = "OK") =>
            new HostileAnswer { Status = status, Reason = reason, Body = Encoding.UTF8.GetBytes(json) }.With("Content-Type", "application/json; charset=UTF-8");

        public static HostileAnswer Html(string html, int status = 200, string reason = "OK") =>
            new HostileAnswer { Status = status, Reason = reason, Body = Encoding.UTF8.GetBytes(html) }.With("Content-Type", "text/html; charset=utf-8");

        public static HostileAnswer Nothing() => new HostileAnswer { HangUp = true };
    }

    /// <summary>
    /// A deliberately misbehaving HTTP/1.1 server on loopback, written on raw sockets so it can send what
    /// no framework would: any status, broken or endless bodies, gzip bombs, redirects, control
    /// characters, or no answer at all. Every answer carries an X-Request-Id, as the real services' do.
    /// </summary>
    public sealed class HostileServer : IDisposable
    {
        private readonly TcpListener _listener;
        private readonly Func<HostileRequest, HostileAnswer> _handler;
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private int _requests;
        private int _connections;

        public HostileServer(Func<HostileRequest, HostileAnswer> handler)
        {
            _handler = handler;
            _listener = new TcpListener(IPAddress.Loopback, 0);
            _listener.Start();
            _ = AcceptLoopAsync();
        }

        public Uri BaseAddress => new Uri("http://127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture) + "/");

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public int Requests => Volatile.Read(ref _requests);

        public int Connections => Volatile.Read(ref _connections);

        public ConcurrentQueue<HostileRequest> Log { get; } = new ConcurrentQueue<HostileRequest>();

        /// <summary>The request id every answer carries (the tests check errors keep it).</summary>
        public const string RequestId = "req-hostile-0001";

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

                Interlocked.Increment(ref _connections);
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
                    while (!_stop.IsCancellationRequested)
                    {
                        var request = await reader.ReadRequestAsync(_stop.Token);
                        if (request == null)
                        {
                            return;
                        }

                        Interlocked.Increment(ref _requests);
                        Log.Enqueue(request);
                        if (Log.Count > 1000)
                        {
                            Log.TryDequeue(out _);
                        }

                        var answer = _handler(request);
                        if (answer.HangUp)
                        {
                            client.Client.LingerState = new LingerOption(true, 0);
                            return;
                        }

                        var head = new StringBuilder();
                        head.Append("HTTP/1.1 ").Append(answer.Status.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(answer.Reason).Append("\r\n");
                        head.Append("X-Request-Id: ").Append(RequestId).Append("\r\n");
                        foreach (var h in answer.Headers)
                        {
                            head.Append(h.Key).Append(": ").Append(h.Value).Append("\r\n");
                        }

                        if (answer.Writer != null)
                        {
                            head.Append("Connection: close\r\n\r\n");
                            await stream.WriteAsync(Encoding.Latin1.GetBytes(head.ToString()), _stop.Token);
                            await answer.Writer(stream, _stop.Token);
                            return;
                        }

                        head.Append("Content-Length: ").Append(answer.Body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n\r\n");
                        await stream.WriteAsync(Encoding.Latin1.GetBytes(head.ToString()), _stop.Token);
                        await stream.WriteAsync(answer.Body, _stop.Token);
                    }
                }
                catch (Exception)
                {
                    // The client gave up or the test ended: nothing to report from a hostile server.
                }
            }
        }
    }

    /// <summary>Reads HTTP/1.1 request heads and Content-Length bodies from a stream (enough for the module's requests and for a proxy's).</summary>
    internal sealed class HttpReader
    {
        private readonly Stream _stream;
        private readonly byte[] _buffer = new byte[16384];
        private int _start;
        private int _end;

        public HttpReader(Stream stream)
        {
            _stream = stream;
        }

        /// <summary>Bytes read past the request head (a tunnel's first bytes, for a proxy).</summary>
        public ReadOnlyMemory<byte> Pending => new ReadOnlyMemory<byte>(_buffer, _start, _end - _start);

        public async Task<HostileRequest?> ReadRequestAsync(CancellationToken cancellationToken)
        {
            var line = await ReadLineAsync(cancellationToken);
            if (string.IsNullOrEmpty(line))
            {
                return null;
            }

            var parts = line.Split(' ');
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            while (true)
            {
                var h = await ReadLineAsync(cancellationToken);
                if (string.IsNullOrEmpty(h))
                {
                    break;
                }

                var colon = h.IndexOf(':');
                if (colon > 0)
                {
                    headers[h.Substring(0, colon).Trim()] = h.Substring(colon + 1).Trim();
                }
            }

            var body = string.Empty;
            if (headers.TryGetValue("Content-Length", out var lengthText) && int.TryParse(lengthText, out var length) && length > 0)
            {
                var bytes = new byte[length];
                var got = 0;
                while (got < length)
                {
                    if (_start == _end && !await FillAsync(cancellationToken))
                    {
                        return null;
                    }

                    var n = Math.Min(length - got, _end - _start);
                    Array.Copy(_buffer, _start, bytes, got, n);
                    _start += n;
                    got += n;
                }

                body = Encoding.UTF8.GetString(bytes);
            }

            return new HostileRequest { Method = parts[0], Target = parts.Length > 1 ? parts[1] : string.Empty, Headers = headers, Body = body };
        }

        private async Task<string?> ReadLineAsync(CancellationToken cancellationToken)
        {
            var line = new StringBuilder();
            while (true)
            {
                if (_start == _end && !await FillAsync(cancellationToken))
                {
                    return line.Length == 0 ? null : line.ToString();
                }

                var b = _buffer[_start++];
                if (b == '\n')
                {
                    return line.ToString().TrimEnd('\r');
                }

                line.Append((char)b);
                if (line.Length > 65536)
                {
                    throw new InvalidDataException("header line too long");
                }
            }
        }

        private async Task<bool> FillAsync(CancellationToken cancellationToken)
        {
            _start = 0;
            _end = await _stream.ReadAsync(_buffer.AsMemory(0, _buffer.Length), cancellationToken);
            return _end > 0;
        }
    }
}
