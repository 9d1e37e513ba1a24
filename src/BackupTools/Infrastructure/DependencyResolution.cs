using System;
using System.IO;
using System.Linq;
using System.Reflection;

namespace BackupTools.Infrastructure
{
    /// <summary>
    /// The rule by which Windows PowerShell 5.1 (.NET Framework, no load contexts) finds the module's
    /// third-party assemblies: a request made by one of the module's own assemblies (or by nobody in
    /// particular) for an assembly that dependencies/ holds, in the same or a newer version, with the same
    /// public key. This is what binds Flurl.Http 2.4.2's reference to Newtonsoft.Json 12.0.0.0 to the
    /// Newtonsoft.Json 13.0.0.0 the module ships: .NET Framework has no binding redirect for a module,
    /// so without this rule Flurl would fail to load there. Kept free of PowerShell and of the
    /// AppDomain so a test can prove it on any OS.
    /// </summary>
    public static class DependencyResolution
    {
        /// <summary>The file that answers the request, or null when the module should not answer it.</summary>
        /// <param name="requested">The assembly asked for (name, version, public key token).</param>
        /// <param name="requesterLocation">Where the asking assembly was loaded from; null when unknown.</param>
        /// <param name="moduleFolder">The module's folder (its own assemblies live there and in dependencies/).</param>
        public static string? PathFor(AssemblyName requested, string? requesterLocation, string moduleFolder)
        {
            var root = moduleFolder.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) + Path.DirectorySeparatorChar;
            if (!string.IsNullOrEmpty(requesterLocation) && !requesterLocation!.StartsWith(root, StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            if (string.IsNullOrEmpty(requested.Name) || requested.Name!.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
            {
                return null;
            }

            var path = Path.Combine(root, "dependencies", requested.Name + ".dll");
            if (!File.Exists(path))
            {
                return null;
            }

            AssemblyName shipped;
            try
            {
                shipped = AssemblyName.GetAssemblyName(path);
            }
            catch (Exception ex) when (ex is BadImageFormatException || ex is IOException || ex is UnauthorizedAccessException)
            {
                return null;
            }

            // Never an older version than asked for (a newer one is what the module was built and tested with).
            if (requested.Version != null && shipped.Version != null && shipped.Version < requested.Version)
            {
                return null;
            }

            // A strong-named request is answered only by the same publisher's assembly.
            var wanted = requested.GetPublicKeyToken();
            if (wanted != null && wanted.Length > 0 && !wanted.SequenceEqual(shipped.GetPublicKeyToken() ?? Array.Empty<byte>()))
            {
                return null;
            }

            return path;
        }
    }
}
