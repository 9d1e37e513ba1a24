using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;

namespace BackupTools.Infrastructure
{
    /// <summary>
    /// Runs when the module is imported, before any cmdlet. The module's core and third-party
    /// assemblies live in its dependencies/ folder, never beside this assembly and never in
    /// NestedModules (which would load them into the shared default context):
    /// - on PowerShell 7 they load into a private AssemblyLoadContext (BackupTools.LoadContext.dll),
    ///   so another module's Flurl or Newtonsoft.Json, older or newer, breaks neither module;
    /// - on Windows PowerShell 5.1 they are resolved from the folder only when one of our assemblies
    ///   asks for them.
    /// Import loads that small assembly and our core (to register the output types' names for scripts
    /// and Pester mocks); Flurl, Newtonsoft.Json and Google auth load only when a cmdlet first needs them.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private const string CoreAssembly = "BackupTools.Core";

        private static readonly string ModuleFolder = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? ".";
        private static readonly string DependencyFolder = Path.Combine(ModuleFolder, "dependencies");

        /// <summary>True on .NET (PowerShell 7), false on .NET Framework (Windows PowerShell 5.1).</summary>
        private static bool IsCoreClr => typeof(object).Assembly.GetName().Name == "System.Private.CoreLib";

        private static int _prepared;

        public void OnImport() => Prepare();

        /// <summary>
        /// Installs the dependency resolution and registers the output types' names, once per process.
        /// Runs from OnImport and, earlier, when this assembly is first used: `using module BackupTools`
        /// resolves the types a script's classes name while parsing, before OnImport runs.
        /// </summary>
        [System.Runtime.CompilerServices.ModuleInitializer]
        internal static void Prepare()
        {
            if (System.Threading.Interlocked.Exchange(ref _prepared, 1) == 1)
            {
                return;
            }

            if (!IsCoreClr || !TryInstallLoadContext())
            {
                AppDomain.CurrentDomain.AssemblyResolve += ResolveForUs;
            }

            // Loads our core (small, ours) but none of the third-party assemblies.
            TypeAccelerators.EnsureRegistered();
        }

        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            // Remove-Module ends the emulators this session started, as Stop-BackupEmulator would.
            StartedEmulators.StopAll();
            AppDomain.CurrentDomain.AssemblyResolve -= ResolveForUs;
            System.Threading.Interlocked.Exchange(ref _prepared, 0);
        }

        private static bool TryInstallLoadContext()
        {
            var path = Path.Combine(DependencyFolder, "BackupTools.LoadContext.dll");
            if (!File.Exists(path))
            {
                return false;
            }

            var install = Assembly.LoadFrom(path).GetType("BackupTools.LoadContext.DependencyLoadContext", throwOnError: true)!.GetMethod("Install");
            install!.Invoke(null, new object[] { DependencyFolder, new[] { CoreAssembly } });
            return true;
        }

        /// <summary>Resolves from dependencies/ what our own assemblies ask for, by <see cref="DependencyResolution"/>'s rule (Newtonsoft.Json 12 -> 13 included).</summary>
        private static Assembly? ResolveForUs(object? sender, ResolveEventArgs args)
        {
            var path = DependencyResolution.PathFor(new AssemblyName(args.Name), args.RequestingAssembly?.Location, ModuleFolder);
            return path != null ? Assembly.LoadFrom(path) : null;
        }
    }
}
