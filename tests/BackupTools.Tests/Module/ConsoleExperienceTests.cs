using System;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using System.Threading.Tasks;
using System.Xml.Linq;
using BackupTools.Gauss;
using BackupTools.Spanner;
using BackupTools.Tests.Infrastructure;
using Xunit;

namespace BackupTools.Tests.Module
{
    /// <summary>Completion, formatting, output types and what Pester builds on.</summary>
    public sealed class ConsoleExperienceTests
    {
        private static string[] Complete(PsSession shell, string input)
        {
            var r = shell.Run("(TabExpansion2 -inputScript $args[0] -cursorColumn $args[0].Length).CompletionMatches.CompletionText", input);
            Assert.Empty(r.AllErrors);
            return r.Output.Where(o => o != null).Select(o => o.ToString()).ToArray();
        }

        [Fact]
        public void Regions_EncryptionTypes_AndClouds_Complete()
        {
            using var shell = new PsSession();
            Assert.Equal(new[] { "eu-de", "eu-nl" }, Complete(shell, "New-GaussBackup -Cloud OpenTelekomCloud -Region eu-"));
            var huawei = Complete(shell, "Get-GaussBackup -Region ap-southeast-");
            Assert.Contains("ap-southeast-1", huawei);
            Assert.Contains("ap-southeast-3", huawei);
            Assert.Equal(new[] { "HuaweiCloud", "OpenTelekomCloud" }, Complete(shell, "Connect-GaussCloud -Cloud "));
            Assert.Equal(new[] { "CUSTOMER_MANAGED_ENCRYPTION" }, Complete(shell, "New-SpannerBackup -EncryptionType CUST"));
        }

        [Fact]
        public async Task DatabasesAndInstances_CompleteFromTheService_WhenCredentialsAreAtHand()
        {
            await using var s = await EmulatorSession.StartAsync();
            var databases = Complete(s.Shell, $"New-SpannerBackup -Endpoint {s.Endpoint} -Project demo-project -Instance demo-instance -Database ");
            Assert.Equal(new[] { "audit", "billing", "customers", "inventory", "orders" }, databases);
            Assert.Equal(new[] { "orders" }, Complete(s.Shell, $"New-SpannerBackup -Endpoint {s.Endpoint} -Project demo-project -Instance demo-instance -Database or"));

            // Gauss instances: only with a Connect-GaussCloud session (no credentials, no lookup).
            Assert.Empty(Complete(s.Shell, "New-GaussBackup -InstanceId "));
            var connect = s.Run(@"
                $pw = [System.Security.SecureString]::new(); foreach ($c in 'demo-password'.ToCharArray()) { $pw.AppendChar($c) }
                Connect-GaussCloud -Endpoint $args[0] -Region eu-de -Credential ([pscredential]::new('demo-user', $pw)) -DomainName demo-account", s.Endpoint);
            Assert.Empty(connect.AllErrors);
            var instances = Complete(s.Shell, "New-GaussBackup -InstanceId 07");
            Assert.Equal(new[] { "07033b125fd94a8a96896f8bcfee6ddain07" }, instances);
        }

        [Fact]
        public async Task FleetInstances_AndTheDrillsScratchInstance_CompleteSpannerInstanceIds_OfTheProjectTypedOrDefaulted()
        {
            // The session sets -SpannerEndpoint (fleet) and -Endpoint (Spanner) in $PSDefaultParameterValues, as users do.
            await using var s = await EmulatorSession.StartAsync();
            Assert.Equal(new[] { "demo-instance", "dr-instance" }, Complete(s.Shell, "Get-BackupCoverage '1d' -Project demo-project -Instance "));
            Assert.Equal(new[] { "dr-instance" }, Complete(s.Shell, "Remove-BackupByPolicy -OlderThan '30d' -Project demo-project -Instance dr"));
            Assert.Equal(new[] { "dr-instance" }, Complete(s.Shell, "Test-SpannerBackupRestore demo-project demo-instance orders -ScratchInstance dr"));

            // -Project from $PSDefaultParameterValues, as about_BackupTools recommends; no project, no lookup.
            Assert.Empty(Complete(s.Shell, "Get-BackupCoverage '1d' -Instance "));
            Assert.Empty(s.Run("$PSDefaultParameterValues['Get-BackupCoverage:Project'] = 'demo-project'; $PSDefaultParameterValues['Test-Spanner*:Project'] = 'demo-project'").AllErrors);
            Assert.Equal(new[] { "demo-instance", "dr-instance" }, Complete(s.Shell, "Get-BackupCoverage '1d' -Instance "));
            Assert.Equal(new[] { "demo-instance" }, Complete(s.Shell, "Test-SpannerBackupRestore -Instance demo-instance -Database orders -ScratchInstance de"));
        }

        [Fact]
        public async Task ScheduleIds_CompleteFromTheDatabasesSchedules_AndGaussInstancesForTheNewCmdlets()
        {
            await using var s = await EmulatorSession.StartAsync();
            Assert.Empty(s.Run(@"
                $pw = [System.Security.SecureString]::new(); foreach ($c in 'demo-password'.ToCharArray()) { $pw.AppendChar($c) }
                $null = Connect-GaussCloud -Endpoint $args[0] -Region eu-de -Credential ([pscredential]::new('demo-user', $pw)) -DomainName demo-account", s.Endpoint).AllErrors);
            Assert.Empty(s.Run("$null = New-SpannerBackupSchedule demo-project demo-instance orders nightly -CronText '0 2 * * *' -RetentionPeriod '7d'; $null = New-SpannerBackupSchedule demo-project demo-instance orders weekly -CronText '0 3 * * 0' -RetentionPeriod '30d'").AllErrors);

            Assert.Equal(new[] { "nightly", "weekly" }, Complete(s.Shell, "Get-SpannerBackupSchedule demo-project demo-instance orders -ScheduleId "));
            Assert.Equal(new[] { "weekly" }, Complete(s.Shell, "Set-SpannerBackupSchedule -Project demo-project -Instance demo-instance -Database orders -ScheduleId we"));
            Assert.Equal(new[] { "nightly" }, Complete(s.Shell, "Remove-SpannerBackupSchedule demo-project demo-instance orders -ScheduleId n"));
            Assert.Empty(Complete(s.Shell, "Remove-SpannerBackupSchedule demo-project demo-instance -ScheduleId ")); // no database, no lookup, no file names
            Assert.Equal(new[] { "07033b125fd94a8a96896f8bcfee6ddain07" }, Complete(s.Shell, "Remove-GaussInstance 0703"));
            Assert.Equal(new[] { "07033b125fd94a8a96896f8bcfee6ddain07" }, Complete(s.Shell, "Test-GaussBackupRestore -InstanceId 0703"));
        }

        [Fact]
        public void EveryOutputType_HasTableAndListViews_AndEveryCmdletDeclaresItsOutput()
        {
            var formats = XDocument.Load(System.IO.Path.Combine(Repo.ModuleFolder, "BackupTools.Format.ps1xml"));
            var outputTypes = typeof(Commands.NewSpannerBackupCommand).Assembly.GetTypes()
                .Where(t => t.GetCustomAttribute<CmdletAttribute>() != null)
                .SelectMany(t =>
                {
                    var declared = t.GetCustomAttributes<OutputTypeAttribute>().ToList();
                    Assert.True(declared.Count > 0, t.Name + " has no [OutputType]");
                    return declared.SelectMany(a => a.Type).Select(p => p.Type).Where(x => x != null && x != typeof(void));
                })
                .Distinct()
                .ToList();
            Assert.Contains(typeof(GaussConnection), outputTypes);
            foreach (var type in outputTypes)
            {
                var views = formats.Descendants("View").Where(v => v.Element("ViewSelectedBy")!.Element("TypeName")!.Value == type!.FullName).ToList();
                Assert.True(views.Any(v => v.Element("TableControl") != null), "no table view for " + type!.FullName);
                Assert.True(views.Any(v => v.Element("ListControl") != null), "no list view for " + type!.FullName);
            }
        }

        [Fact]
        public void OutputObjects_AreBuiltWithoutAServer_AndReadWell()
        {
            using var shell = new PsSession();
            var r = shell.Run(@"
                $op = [BackupTools.Spanner.SpannerBackupOperation]@{ Name = 'projects/p/instances/i/backups/b/operations/o'; BackupId = 'b'; Database = 'orders'; ProgressPercent = 40 }
                $b = [BackupTools.Gauss.GaussBackup]@{ Id = 'x1'; Name = 'nightly'; InstanceId = 'abc'; Status = 'COMPLETED'; SizeMb = 2048 }
                $op.ToString(); $b.ToString(); $op.State")
;
            Assert.Empty(r.AllErrors);
            Assert.Equal("projects/p/instances/i/backups/b/operations/o (Running, 40%)", r.Output[0].ToString());
            Assert.Contains("nightly", r.Output[1].ToString());
            Assert.Equal("Running", r.Output[2].ToString());
        }

        [Fact]
        public async Task EveryCmdlet_YieldsAWorkingProxy_AsPesterMockBuildsOn()
        {
            await using var s = await EmulatorSession.StartAsync(o => o.SpannerBackupDuration = TimeSpan.FromMilliseconds(200));
            var r = s.Run(@"
                foreach ($command in Get-Command -Module BackupTools) {
                    $proxy = [System.Management.Automation.ProxyCommand]::Create([System.Management.Automation.CommandMetadata]::new($command))
                    $nl = [Environment]::NewLine
                    . ([scriptblock]::Create('function global:Proxy-' + $command.Name.Replace('-', '') + $nl + '{' + $nl + $proxy + $nl + '}'))
                    $command.Name
                }
                $op = Proxy-NewSpannerBackup -Project demo-project -Instance demo-instance -Database orders -BackupId via-proxy
                $done = $op | Proxy-WaitBackupOperation
                'proxied: ' + $done.BackupId + ' ' + $done.State");

            Assert.Empty(r.AllErrors);
            var names = r.Output.Select(o => o.ToString()).ToList();
            Assert.Contains("Wait-BackupOperation", names);
            Assert.True(names.Count(n => n.Contains('-') && !n.StartsWith("proxied", StringComparison.Ordinal)) >= 12);
            Assert.Contains("proxied: via-proxy READY", names);
        }
    }
}
