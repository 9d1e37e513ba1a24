using System;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using BackupTools.Emulator;
using BackupTools.Tests.Infrastructure;
using Xunit;

namespace BackupTools.Tests.Spanner
{
    /// <summary>Remove-SpannerDatabase end to end: what a restore made is dropped, its backups stay, and the service's refusals are clear.</summary>
    public sealed class RemoveSpannerDatabaseTests
    {
        private const string P = EmulatorSession.Project;
        private const string I = EmulatorSession.Instance;

        private static Task<EmulatorSession> StartAsync(Action<EmulatorOptions>? configure = null) =>
            EmulatorSession.StartAsync(o =>
            {
                o.SpannerRestoreDuration = TimeSpan.FromSeconds(2);
                o.SpannerOptimizeDuration = TimeSpan.FromSeconds(2);
                configure?.Invoke(o);
            });

        [Fact]
        public async Task ARestoredDatabase_PipedIn_IsDropped_ItsBackupKept_AndAMissingOneIsObjectNotFound_ForThatItemOnly()
        {
            await using var s = await StartAsync();
            var r = s.Run(@"
                $database = New-SpannerBackup $args[0] $args[1] orders -BackupId orders-rm -Wait | Restore-SpannerDatabase -DatabaseId orders-rm -Instance dr-instance -Wait
                $database, [pscustomobject]@{ Project = $args[0]; Instance = 'dr-instance'; DatabaseId = 'never-was' } | Remove-SpannerDatabase -Force -Verbose
                @(Get-BackupCoverage '1d' -Project $args[0] -Instance dr-instance).Count
                (Get-SpannerBackup $args[0] $args[1] -BackupId orders-rm).State", P, I);

            Assert.Null(r.Terminating);
            var error = Assert.Single(r.Errors);
            Assert.StartsWith("SpannerNotFound,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.Equal($"projects/{P}/instances/dr-instance/databases/never-was", error.TargetObject);
            Assert.Contains(r.Verbose, v => v == $"Dropped projects/{P}/instances/dr-instance/databases/orders-rm (its backups are kept).");
            Assert.Equal(new object[] { 0, "READY" }, r.Output.Select(o => o.BaseObject).ToArray());
            Assert.Equal("DELETED", Assert.Single(s.Emulator.State.SpannerRestores).DatabaseState);
            Assert.Equal(1, s.Emulator.State.CountRequests("DELETE", "/databases/orders-rm"));
        }

        [Fact]
        public async Task WhatIf_NamesTheFullDatabaseName_AndSaysItsBackupsAreKept_AndSendsNothing()
        {
            await using var s = await StartAsync();
            var host = new RecordingHost();
            using var shell = new PsSession(host: host);
            var r = shell.Run("Remove-SpannerDatabase demo-project demo-instance audit -CancelRestore -Endpoint $args[0] -WhatIf", s.Endpoint);

            Assert.Empty(r.AllErrors);
            var whatIf = Assert.Single(host.Lines, l => l.StartsWith("What if:", StringComparison.Ordinal));
            Assert.Contains("Drop Spanner database projects/demo-project/instances/demo-instance/databases/audit and all its data (its backups are kept until they expire; a restore still running into it is cancelled", whatIf);
            Assert.Empty(s.Emulator.State.Requests);
        }

        [Fact]
        public async Task ADatabaseStillBeingRestored_IsRefused_UnlessCancelRestore_WhichCancelsTheRestore()
        {
            await using var s = await StartAsync(o => o.SpannerRestoreDuration = TimeSpan.FromSeconds(60));
            var r = s.Run(@"
                $op = New-SpannerBackup $args[0] $args[1] orders -BackupId orders-rs -Wait | Restore-SpannerDatabase -DatabaseId orders-rs
                $op | Remove-SpannerDatabase -Force", P, I);

            var refused = Assert.Single(r.Errors);
            Assert.StartsWith("SpannerDatabaseRestoring,", refused.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidOperation, refused.CategoryInfo.Category);
            Assert.Contains("-CancelRestore", refused.Exception.Message);
            Assert.Contains("/databases/orders-rs/operations/", refused.Exception.Message);
            var restore = Assert.Single(s.Emulator.State.SpannerRestores);
            Assert.Equal("CREATING", restore.DatabaseState);
            Assert.Equal(0, s.Emulator.State.CountRequests("DELETE", "/databases/orders-rs"));

            // The operation is found by listing (a database typed by name, not piped with its operation).
            r = s.Run("Remove-SpannerDatabase $args[0] $args[1] orders-rs -CancelRestore -Force -Verbose", P, I);
            Assert.Empty(r.AllErrors);
            Assert.Contains(r.Verbose, v => v.StartsWith("Restore " + restore.OperationName + " cancelled", StringComparison.Ordinal));
            restore = Assert.Single(s.Emulator.State.SpannerRestores);
            Assert.True(restore.Cancelled);
            Assert.Equal("DELETED", restore.DatabaseState);
        }

        [Fact]
        public async Task DropProtection_IsTheServicesRefusal_SurfacedWithItsOwnId_AndTheDatabaseStays()
        {
            await using var s = await StartAsync(o => o.Data.Spanner.Projects[0].Instances[0].Databases.Single(d => d.Id == "billing").EnableDropProtection = true);
            var r = s.Run("Remove-SpannerDatabase $args[0] $args[1] billing -Force; @(Get-BackupCoverage '1d' -Project $args[0] -Instance $args[1] | Where-Object Database -eq billing).Count", P, I);

            var error = Assert.Single(r.Errors);
            Assert.StartsWith("SpannerDropProtected,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
            Assert.Contains("drop protection is on", error.Exception.Message);
            Assert.Contains("--no-enable-drop-protection", error.Exception.Message);
            Assert.Equal(1, Convert.ToInt32(Assert.Single(r.Output).BaseObject, System.Globalization.CultureInfo.InvariantCulture));
        }

        [Fact]
        public async Task BadInput_IsRefusedBeforeAnyRequest()
        {
            await using var s = await StartAsync();
            var r = s.Run("Remove-SpannerDatabase demo-project demo-instance Bad_Db -Force");

            Assert.StartsWith("ParameterArgumentValidationError,", Assert.Single(r.AllErrors).FullyQualifiedErrorId);
            Assert.Empty(s.Emulator.State.Requests);
        }
    }
}
