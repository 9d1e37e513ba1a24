using System.Globalization;
using System.Text;

namespace BackupTools.Http
{
    /// <summary>
    /// Text that came from a server (error messages, codes, names, request ids, redirect targets) on its
    /// way into a message or an output object. A server, a gateway or a captive portal may put anything
    /// there: escape sequences that retitle the window, recolour or clear the console (ESC, C1 controls
    /// such as U+009B), BEL, backspaces that overwrite what was printed, bidirectional overrides that
    /// reorder it, and megabytes of it. Every control character becomes a visible escape ("\x1B"), and
    /// long text is cut, saying how much was left out.
    /// </summary>
    public static class ServerText
    {
        /// <summary>The most of a server's message put into an error message.</summary>
        public const int MessageLength = 1000;

        /// <summary>The most of a field put into an output object (names, descriptions, states).</summary>
        public const int FieldLength = 4096;

        /// <summary>The most of an answer's body quoted as an excerpt when the answer cannot be used.</summary>
        public const int ExcerptLength = 200;

        /// <summary>Neutralises control characters and cuts the text to <paramref name="max"/> characters (plus a note of what was cut).</summary>
        public static string Clean(string? text, int max = MessageLength)
        {
            if (string.IsNullOrEmpty(text))
            {
                return string.Empty;
            }

            var source = text!;
            var cut = source.Length > max ? max : source.Length;

            // Do not split a surrogate pair at the cut.
            if (cut < source.Length && cut > 0 && char.IsHighSurrogate(source[cut - 1]))
            {
                cut--;
            }

            StringBuilder? clean = null;
            for (var i = 0; i < cut; i++)
            {
                var c = source[i];
                if (!IsUnsafe(c))
                {
                    clean?.Append(c);
                    continue;
                }

                clean ??= new StringBuilder(source, 0, i, cut + 16);
                clean.Append(Escape(c));
            }

            var result = clean?.ToString() ?? (cut == source.Length ? source : source.Substring(0, cut));
            if (cut < source.Length)
            {
                result += string.Format(CultureInfo.InvariantCulture, "...({0:N0} more characters)", source.Length - cut);
            }

            return result;
        }

        /// <summary>Whether the text holds anything <see cref="Clean"/> would change (other than length).</summary>
        public static bool HasUnsafeCharacters(string? text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return false;
            }

            foreach (var c in text!)
            {
                if (IsUnsafe(c))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// C0 and C1 controls and DEL (everything a terminal may act on), the bidirectional embedding,
        /// override and isolate characters, and the Unicode line and paragraph separators.
        /// </summary>
        public static bool IsUnsafe(char c) =>
            c < ' ' || (c >= '\u007F' && c <= '\u009F')
            || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069')
            || c == '\u2028' || c == '\u2029' || c == '\u200E' || c == '\u200F' || c == '\u061C';

        private static string Escape(char c)
        {
            switch (c)
            {
                case '\n':
                case '\r':
                case '\t':
                    return " ";
                default:
                    return c <= '\u00FF'
                        ? "\\x" + ((int)c).ToString("X2", CultureInfo.InvariantCulture)
                        : "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture);
            }
        }
    }
}
