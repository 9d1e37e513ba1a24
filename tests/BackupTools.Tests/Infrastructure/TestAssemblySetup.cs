using System.Runtime.CompilerServices;
using System.Threading;

namespace BackupTools.Tests.Infrastructure
{
    internal static class TestAssemblySetup
    {
        /// <summary>
        /// Hosted-engine tests block threads while PowerShell runs; on a 2-core machine the thread pool
        /// would otherwise start new threads slowly and delay timers and HTTP continuations of the
        /// tests running beside them.
        /// </summary>
        [ModuleInitializer]
        internal static void RaiseThreadPoolMinimum() => ThreadPool.SetMinThreads(64, 64);
    }
}
