using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace BackupTools.LoadContext
{
    /// <summary>
    /// Loads the module's core and its third-party assemblies (Flurl, Newtonsoft.Json, Google auth)
    /// from the module's dependencies/ folder into a context of their own, so another module's older
    /// or newer copy of the same assemblies in the default context breaks neither. Only the entry
    /// assemblies (the core) are handed to the default context, through its Resolving event, which
    /// fires only for assemblies the default context cannot find itself.
    /// </summary>
    public sealed class DependencyLoadContext : AssemblyLoadContext
    {
        private static readonly object Gate = new object();
        private static DependencyLoadContext? _instance;
        private readonly string _folder;

        private DependencyLoadContext(string folder)
        {
            _folder = folder;
        }

        /// <summary>The context, once installed; null before.</summary>
        public static AssemblyLoadContext? Instance => _instance;

        /// <summary>Installs the context once per process; later imports of the module reuse it.</summary>
        public static void Install(string folder, string[] entryAssemblies)
        {
            lock (Gate)
            {
                if (_instance != null)
                {
                    return;
                }

                var context = new DependencyLoadContext(folder);
                var entries = new HashSet<string>(entryAssemblies, StringComparer.OrdinalIgnoreCase);
                Default.Resolving += (defaultContext, name) =>
                    name.Name != null && entries.Contains(name.Name) ? context.LoadFromAssemblyName(name) : null;
                _instance = context;
            }
        }

        /// <summary>
        /// Our folder first, so our versions win inside this context. Framework assemblies always come
        /// from the default context, even where a NuGet copy of one sits in the folder (an older
        /// System.Runtime.CompilerServices.Unsafe, say), so types the runtime shares stay one type.
        /// </summary>
        protected override Assembly? Load(AssemblyName assemblyName)
        {
            var name = assemblyName.Name ?? string.Empty;
            if (name == "netstandard" || name == "mscorlib" || name.StartsWith("System.", StringComparison.Ordinal) || name.StartsWith("Microsoft.", StringComparison.Ordinal))
            {
                return null;
            }

            var path = Path.Combine(_folder, name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }
    }
}
