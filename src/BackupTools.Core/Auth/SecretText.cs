using System;
using System.Runtime.InteropServices;
using System.Security;

namespace BackupTools.Auth
{
    /// <summary>
    /// Secrets travel as SecureString and are turned into a string only at the moment a header or
    /// signature needs them. Nothing here logs or formats a secret.
    /// </summary>
    public static class SecretText
    {
        public static string Reveal(SecureString secret)
        {
            if (secret == null)
            {
                throw new ArgumentNullException(nameof(secret));
            }

            IntPtr ptr = IntPtr.Zero;
            try
            {
                ptr = Marshal.SecureStringToGlobalAllocUnicode(secret);
                return Marshal.PtrToStringUni(ptr) ?? string.Empty;
            }
            finally
            {
                if (ptr != IntPtr.Zero)
                {
                    Marshal.ZeroFreeGlobalAllocUnicode(ptr);
                }
            }
        }

        public static SecureString Protect(string plain)
        {
            var secure = new SecureString();
            foreach (var c in plain)
            {
                secure.AppendChar(c);
            }

            secure.MakeReadOnly();
            return secure;
        }
    }
}
