using System.Text;

namespace BackupTools.Http
{
    /// <summary>Text a server wrote (a failure reason, a name) made safe to put in a message: control characters gone, cut to a sane length.</summary>
    public static class ServerText
    {
        public static string Clean(string? text, int maxLength)
        {
            if (string.IsNullOrEmpty(text))
            {
                return string.Empty;
            }

            var clean = new StringBuilder(System.Math.Min(text!.Length, maxLength + 1));
            foreach (var c in text)
            {
                if (clean.Length >= maxLength)
                {
                    return clean.ToString().TrimEnd() + "...";
                }

                clean.Append(char.IsControl(c) ? ' ' : c);
            }

            return clean.ToString().Trim();
        }
    }
}
