using System;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace BackupTools.Http
{
    /// <summary>
    /// An answer's body read up to a limit and no further: a 50 MB page or a gzip answer that expands to
    /// gigabytes costs at most the limit (plus one buffer), never the whole. The stream read is the
    /// decompressed one, so the limit applies to what the answer expands to.
    /// </summary>
    internal sealed class CappedBody
    {
        private const int BufferSize = 81920;

        private readonly byte[] _bytes;
        private readonly int _length;

        private CappedBody(byte[] bytes, int length, bool exceeded)
        {
            _bytes = bytes;
            _length = length;
            Exceeded = exceeded;
        }

        /// <summary>The answer had more than the limit; only the limit was read.</summary>
        public bool Exceeded { get; }

        public static async Task<CappedBody> ReadAsync(HttpContent? content, long limit, CancellationToken cancellationToken)
        {
            if (content == null || limit <= 0)
            {
                return new CappedBody(Array.Empty<byte>(), 0, false);
            }

            // A declared length past the limit fails before a byte is read.
            var declared = content.Headers.ContentLength;
            if (declared.HasValue && declared.Value > limit)
            {
                var head = await ReadUpToAsync(content, Math.Min(limit, 4096), cancellationToken).ConfigureAwait(false);
                return new CappedBody(head._bytes, head._length, true);
            }

            return await ReadUpToAsync(content, limit, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>The body as text (UTF-8, both services' encoding; a byte order mark is dropped).</summary>
        public string Text() => _length == 0 ? string.Empty : new UTF8Encoding(false, false).GetString(_bytes, 0, _length).TrimStart('\uFEFF');

        /// <summary>The first characters, for a message about an answer not read whole.</summary>
        public string Excerpt() => _length == 0 ? string.Empty : new UTF8Encoding(false, false).GetString(_bytes, 0, Math.Min(_length, 1024));

        private static async Task<CappedBody> ReadUpToAsync(HttpContent content, long limit, CancellationToken cancellationToken)
        {
            using (var stream = await content.ReadAsStreamAsync().ConfigureAwait(false))
            {
                var buffer = new byte[(int)Math.Min(limit + 1, BufferSize)];
                var collected = new MemoryStream();
                while (true)
                {
                    var read = await stream.ReadAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        return new CappedBody(collected.GetBuffer(), (int)collected.Length, false);
                    }

                    var room = limit - collected.Length;
                    if (read > room)
                    {
                        // One byte past the limit is proof enough: stop reading (disposing the answer closes the connection).
                        collected.Write(buffer, 0, (int)Math.Max(0, room));
                        return new CappedBody(collected.GetBuffer(), (int)collected.Length, true);
                    }

                    collected.Write(buffer, 0, read);
                }
            }
        }
    }
}
