using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;

namespace BackupTools.Infrastructure
{
    /// <summary>
    /// Runs when the module is imported. The module's own core and third-party assemblies (Flurl,
    /// Newtonsoft.Json, Google auth) live in the module's dependencies/ folder rather than beside this
    /// assembly; they are resolved from there only when something asks for them, so importing loads
    /// nothing but this assembly, and the folder is searched only for assemblies it actually holds.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly string DependencyFolder = Path.Combine(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? ".", "dependencies");

        public void OnImport() => AppDomain.CurrentDomain.AssemblyResolve += Resolve;

        public void OnRemove(PSModuleInfo psModuleInfo) => AppDomain.CurrentDomain.AssemblyResolve -= Resolve;

        private static Assembly? Resolve(object? sender, ResolveEventArgs args)
        {
            var name = new AssemblyName(args.Name).Name;
            if (name == null)
            {
                return null;
            }

            var path = Path.Combine(DependencyFolder, name + ".dll");
            return File.Exists(path) ? Assembly.LoadFrom(path) : null;
        }
    }
}
