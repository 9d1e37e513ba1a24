using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace BackupTools.Tests.Hostile
{
    /// <summary>
    /// A server on loopback that refuses every TLS handshake as a server does when the client offers only
    /// protocol versions it will not speak (what Windows PowerShell 5.1 meets when .NET Framework offers
    /// only TLS 1.0): it reads the ClientHello and answers with a fatal protocol_version alert.
    /// </summary>
    public sealed class TlsRefusingServer : IDisposable
    {
        // TLS record: alert (21), version 3.3, length 2, level fatal (2), description protocol_version (70).
        private static readonly byte[] ProtocolVersionAlert = { 0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46 };

        private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private int _connections;

        public TlsRefusingServer()
        {
            _listener.Start();
            _ = AcceptLoopAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public int Connections => Volatile.Read(ref _connections);

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
                _ = Task.Run(async () =>
                {
                    using (client)
                    {
                        try
                        {
                            var stream = client.GetStream();
                            var hello = new byte[4096];
                            var read = await stream.ReadAsync(hello, _stop.Token); // the ClientHello (or its start): its content does not matter
                            if (read == 0)
                            {
                                return;
                            }

                            await stream.WriteAsync(ProtocolVersionAlert, _stop.Token);
                            await Task.Delay(200, _stop.Token);
                        }
                        catch (Exception)
                        {
                        }
                    }
                });
            }
        }
    }
}
