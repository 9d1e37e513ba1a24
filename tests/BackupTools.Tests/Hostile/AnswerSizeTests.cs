using System;
using System.IO;
using System.IO.Compression;
using System.Management.Automation;
using System.Text;
using BackupTools.Http;
using BackupTools.Tests.Infrastructure;
using BackupTools.Tests.Spanner;
using Xunit;
using static BackupTools.Tests.Hostile.HostileRun;

namespace BackupTools.Tests.Hostile
{
    /// <summary>
    /// Huge answers, plain and gzip-compressed, cost at most the HTTP core's cap. Run one at a time (in
    /// the collection that runs alone) so the process's allocation counter measures this command only.
    /// </summary>
    [Collection(EnvironmentCollection.Name)]
    public sealed class AnswerSizeTests : IDisposable
    {
        private const long FiftyMegabytes = 50L * 1000 * 1000;

        /// <summary>What a command may allocate while refusing a huge answer: the cap (8 MiB) several times over, far below the answer.</summary>
        private const long AllocationBound = 160L * 1024 * 1024;

        private static readonly Lazy<byte[]> GzipMember = new Lazy<byte[]>(() =>
        {
            // 16 MiB of JSON whitespace as one gzip member (about 16 KB); members concatenate into one stream.
            var output = new MemoryStream();
            using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
            {
                var spaces = new byte[1024 * 1024];
                Array.Fill(spaces, (byte)' ');
                for (var i = 0; i < 16; i++)
                {
                    gzip.Write(spaces);
                }
            }

            return output.ToArray();
        });

        private readonly PsSession _shell = new PsSession();

        public void Dispose() => _shell.Dispose();

        [Fact]
        public void FiftyMegabyteAnswer_WithoutDeclaredLength_IsAnswerTooLarge_InBoundedMemory()
        {
            using var server = new HostileServer(_ => new HostileAnswer
            {
                Writer = async (stream, ct) =>
                {
                    var chunk = Encoding.UTF8.GetBytes(string.Concat(System.Linq.Enumerable.Repeat(HostileAnswerTests.SpannerBackupJson("big") + ",", 200)));
                    await stream.WriteAsync(Encoding.UTF8.GetBytes("{\"backups\":["), ct);
                    for (long sent = 0; sent < FiftyMegabytes; sent += chunk.Length)
                    {
                        await stream.WriteAsync(chunk, ct);
                    }
                },
            }.With("Content-Type", "application/json"));

            var allocated = Measure(server, "Get-SpannerBackup -Project " + Project + " -Instance " + Instance + " -Endpoint $args[0]", "SpannerAnswerTooLarge", out var error);
            Assert.Contains("8,388,608 bytes", error.Exception.Message);
            Assert.True(allocated < AllocationBound, "allocated " + allocated);
            Console.WriteLine("50 MB answer without length: refused after allocating " + (allocated / 1048576.0).ToString("0.0") + " MiB.");
        }

        [Fact]
        public void FiftyMegabyteAnswer_WithDeclaredLength_IsRefusedBeforeItIsRead()
        {
            var body = new byte[FiftyMegabytes];
            Array.Fill(body, (byte)' ');
            using var server = new HostileServer(_ => new HostileAnswer { Body = body }.With("Content-Type", "application/json"));
            var allocated = Measure(server, "Get-SpannerBackup -Project " + Project + " -Instance " + Instance + " -BackupId b1 -Endpoint $args[0]", "SpannerAnswerTooLarge", out _);
            Assert.True(allocated < 64L * 1024 * 1024, "allocated " + allocated);
            Console.WriteLine("50 MB answer with Content-Length: refused after allocating " + (allocated / 1048576.0).ToString("0.0") + " MiB.");
        }

        [Fact]
        public void GzipAnswerExpandingToAGigabyte_IsAnswerTooLarge_InBoundedMemory()
        {
            var member = GzipMember.Value;
            using var server = new HostileServer(_ => new HostileAnswer
            {
                Writer = async (stream, ct) =>
                {
                    for (var i = 0; i < 64; i++)
                    {
                        await stream.WriteAsync(member, ct); // 64 x 16 MiB = 1 GiB once expanded
                    }
                },
            }.With("Content-Type", "application/json").With("Content-Encoding", "gzip"));

            var allocated = Measure(server, "Get-SpannerBackup -Project " + Project + " -Instance " + Instance + " -Endpoint $args[0]", "SpannerAnswerTooLarge", out _);
            Assert.True(allocated < AllocationBound, "allocated " + allocated);
            Console.WriteLine("gzip answer of " + (member.Length * 64 / 1024) + " KiB expanding to 1 GiB: refused after allocating " + (allocated / 1048576.0).ToString("0.0") + " MiB.");
        }

        private long Measure(HostileServer server, string script, string errorId, out ErrorRecord error)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var before = GC.GetTotalAllocatedBytes(precise: true);
            var (r, _) = HostileRun.Run(_shell, script, server.BaseAddress);
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
            error = AssertOneError(r, errorId, ErrorCategory.InvalidResult);
            Assert.Equal(1, server.Requests); // not retried
            return allocated;
        }
    }
}
