using System;
using System.Diagnostics;
using System.IO;
using BackupTools.Tests.Infrastructure;
using Xunit;

namespace BackupTools.Tests.Module
{
    /// <summary>
    /// The module as it loads in pwsh: a fresh pwsh process, which has not got the core in its own
    /// dependencies, so the module's dependencies/ folder and load context are what is tested.
    /// </summary>
    public sealed class IsolationTests
    {
        private static string ConflictingFlurl => Repo.File("tests", "ConflictingFlurl", "bin", Pwsh.Configuration, "netstandard2.0", "Flurl.dll");

        [Fact]
        public void Import_LoadsNoThirdPartyAssembly_AndRegistersTheOutputTypes()
        {
            var (exit, output) = Pwsh.Run(@"
                $before = [AppDomain]::CurrentDomain.GetAssemblies().GetName().Name
                Import-Module $ModulePath -ErrorAction Stop
                $new = @([AppDomain]::CurrentDomain.GetAssemblies().GetName().Name | Where-Object { $before -notcontains $_ })
                [string[]] $ours = @($new | Where-Object { $_ -like 'BackupTools*' -or $_ -like 'Flurl*' -or $_ -like 'Newtonsoft*' -or $_ -like 'Google*' })
                [Array]::Sort($ours)
                'new: ' + ($ours -join ',')
                'constructed: ' + ([BackupTools.Spanner.SpannerBackup]@{ BackupId = 'b1'; State = 'READY' }).ToString()");
            Assert.True(exit == 0, output);
            Assert.Contains("new: BackupTools,BackupTools.Core,BackupTools.LoadContext", output);
            Assert.Contains("constructed:  (READY)", output);
        }

        [Fact]
        public void AnotherModulesFlurl_InTheDefaultContext_BreaksNeither()
        {
            Assert.True(File.Exists(ConflictingFlurl), ConflictingFlurl);
            var (exit, output) = Pwsh.Run(@"
                $other = [System.Reflection.Assembly]::LoadFrom($args[0])
                Import-Module $ModulePath -ErrorAction Stop
                $null = Start-BackupEmulator -SpannerDuration 1s
                $backup = New-SpannerBackup demo-project demo-instance orders -Wait
                Stop-BackupEmulator
                'backup: ' + $backup.State
                'other: ' + [Flurl.Url]::WhoAmI()
                $ours = [BackupTools.Spanner.SpannerBackup].Assembly
                $context = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($ours)
                'our flurl: ' + (($context.Assemblies | Where-Object { $_.GetName().Name -eq 'Flurl' }).GetName().Version)
                'our newtonsoft: ' + (($context.Assemblies | Where-Object { $_.GetName().Name -eq 'Newtonsoft.Json' }).Location -like '*dependencies*')
                'session newtonsoft works: ' + ([Newtonsoft.Json.JsonConvert]::SerializeObject(@{ a = 1 }))", ConflictingFlurl);

            Assert.True(exit == 0, output);
            Assert.Contains("backup: READY", output);
            Assert.Contains("other: the other module's Flurl 9.9.9", output);
            Assert.Contains("our flurl: 3.0.1", output);
            Assert.Contains("our newtonsoft: True", output);
            Assert.Contains("session newtonsoft works: {\"a\":1}", output);
        }
    }
}
