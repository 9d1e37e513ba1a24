using System;
using System.Linq;
using System.Security;
using System.Security.Cryptography;
using BackupTools.Auth;
using BackupTools.Validation;

namespace BackupTools.Gauss
{
    /// <summary>What the create-instance call accepts (a restore to a new instance is one), checked before any request.</summary>
    public static class GaussInstanceRules
    {
        /// <summary>The characters besides letters and digits the service allows in a root password.</summary>
        public const string PasswordSpecials = "~!@#$%^*-_=+?,()&";

        /// <summary>The service also takes Chinese characters (3 bytes each, 64 bytes in all); any letter is accepted here.</summary>
        public static readonly TextRule Name = new TextRule(
            "GaussDB instance name",
            "^\\p{L}[\\p{L}0-9_\\-]*$",
            4,
            64,
            "4 to 64 characters, a letter first, then letters, digits, '-' or '_'");

        /// <summary>Null when the root password is acceptable, else why not (never quoting it).</summary>
        public static string? CheckPassword(SecureString? password)
        {
            const string rule = "8 to 32 characters, with at least three of: uppercase letters, lowercase letters, digits and " + PasswordSpecials;
            if (password == null || password.Length == 0)
            {
                return "A root password for the new instance is required: " + rule + ".";
            }

            var text = SecretText.Reveal(password);
            if (text.Length < 8 || text.Length > 32 || text.Any(c => !IsAsciiLetterOrDigit(c) && PasswordSpecials.IndexOf(c) < 0))
            {
                return "The root password does not meet the service's rule: " + rule + ", and no other characters.";
            }

            var kinds = new[] { text.Any(c => c >= 'A' && c <= 'Z'), text.Any(c => c >= 'a' && c <= 'z'), text.Any(c => c >= '0' && c <= '9'), text.Any(c => PasswordSpecials.IndexOf(c) >= 0) };
            return kinds.Count(k => k) >= 3 ? null : "The root password does not meet the service's rule: " + rule + ".";
        }

        /// <summary>
        /// A strong random root password (24 characters, every kind present) for an instance nobody logs in to
        /// by hand, such as a drill's scratch instance. It is never shown.
        /// </summary>
        public static SecureString GeneratePassword()
        {
            const string upper = "ABCDEFGHJKLMNPQRSTUVWXYZ", lower = "abcdefghijkmnopqrstuvwxyz", digits = "23456789";
            var all = upper + lower + digits + PasswordSpecials;
            var chars = new char[24];
            using (var random = RandomNumberGenerator.Create())
            {
                var bytes = new byte[chars.Length * 4];
                random.GetBytes(bytes);
                int Pick(int i, int n) => (int)(BitConverter.ToUInt32(bytes, i * 4) % (uint)n);
                for (var i = 0; i < chars.Length; i++)
                {
                    var from = i == 0 ? upper : i == 1 ? lower : i == 2 ? digits : i == 3 ? PasswordSpecials : all;
                    chars[i] = from[Pick(i, from.Length)];
                }
            }

            var secure = new SecureString();
            foreach (var c in chars)
            {
                secure.AppendChar(c);
            }

            Array.Clear(chars, 0, chars.Length);
            secure.MakeReadOnly();
            return secure;
        }

        private static bool IsAsciiLetterOrDigit(char c) => (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }
}
