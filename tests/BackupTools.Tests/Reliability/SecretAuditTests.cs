using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net.Http;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using BackupTools.Auth;
using BackupTools.Emulator;
using BackupTools.Tests.Infrastructure;
using Xunit;

namespace BackupTools.Tests.Reliability
{
    /// <summary>
    /// Every exported cmdlet, with -Verbose -Debug and the preferences at Continue, through successes,
    /// service errors, auth failures and faults: no access token, IAM token, SK, password or
    /// Authorization / X-Auth-Token value appears in any stream, error record or output property.
    /// </summary>
    public sealed class SecretAuditTests
    {
        private const string ProjectId = "0b5c7f3a9d2e4f6a8b1c3d5e7f9a0b2c";
        private const string Orders = "07033b125fd94a8a96896f8bcfee6ddain07";
        private const string Customers = "1a2b3c4d5e6f40718293a4b5c6d7e8f9in07";
        private const string SpannerToken = "ya29.AuditSpannerToken-0123456789abcdef";
        private const string WrongSpannerToken = "ya29.WrongSpannerToken-fedcba9876543210";
        private const string SecretKey = "demo-secret-key";
        private const string WrongSecretKey = "wrong-secret-key-4242";
        private const string Password = "demo-password";
        private const string WrongPassword = "wrong-password-4242";
        private const string WrongIamToken = "MIIwrongIamToken-0123456789";

        [Fact]
        public async Task EveryCmdlet_AllStreams_NeverShowASecret()
        {
            await using var s = await EmulatorSession.StartAsync(o =>
            {
                o.RequireAuth = true;
                o.AcceptedSpannerTokens.Add(SpannerToken);
                o.SpannerBackupDuration = TimeSpan.FromSeconds(1);
                o.GaussBackupDuration = TimeSpan.FromSeconds(1);
                o.GaussJobVisibilityDelay = TimeSpan.FromMilliseconds(100);
            });

            // An IAM token got from the emulator's IAM directly, for -Token.
            string iamToken;
            using (var http = new HttpClient { BaseAddress = s.Emulator.BaseAddress })
            {
                var body = "{\"auth\":{\"identity\":{\"methods\":[\"password\"],\"password\":{\"user\":{\"name\":\"demo-user\",\"password\":\"" + Password + "\",\"domain\":{\"name\":\"demo-account\"}}}},\"scope\":{\"project\":{\"id\":\"" + ProjectId + "\"}}}}";
                var answer = await http.PostAsync("v3/auth/tokens", new StringContent(body, Encoding.UTF8, "application/json"));
                Assert.True(answer.IsSuccessStatusCode, await answer.Content.ReadAsStringAsync());
                iamToken = answer.Headers.GetValues("X-Subject-Token").Single();
            }

            s.Shell.SetVariable("tok", SecretText.Protect(SpannerToken));
            s.Shell.SetVariable("badTok", SecretText.Protect(WrongSpannerToken));
            s.Shell.SetVariable("sk", SecretText.Protect(SecretKey));
            s.Shell.SetVariable("badSk", SecretText.Protect(WrongSecretKey));
            s.Shell.SetVariable("iamTok", SecretText.Protect(iamToken));
            s.Shell.SetVariable("badIamTok", SecretText.Protect(WrongIamToken));
            s.Shell.SetVariable("cred", new PSCredential("demo-user", SecretText.Protect(Password)));
            s.Shell.SetVariable("badCred", new PSCredential("demo-user", SecretText.Protect(WrongPassword)));
            s.Run("$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $p = 'demo-project'; $i = 'demo-instance'; $gp = $args[0]; $o = $args[1]; $c = $args[2]", ProjectId, Orders, Customers);

            const string G = " -AccessKey DEMOACCESSKEY0000000 -SecretKey $sk -ProjectId $gp -Verbose -Debug";
            const string T = " -AccessToken $tok -Verbose -Debug";
            var steps = new List<(string Script, Action? Before)>
            {
                // Spanner: successes
                ("$op = New-SpannerBackup $p $i orders -BackupId audit-1" + T + "; $op; $op | Wait-BackupOperation -Verbose -Debug", null),
                ("Get-SpannerBackup $p $i" + T, null),
                ("Get-SpannerBackup $p $i -BackupId audit-1" + T, null),
                ("Set-SpannerBackup $p $i audit-1 -RetentionPeriod '30d'" + T, null),
                ("New-SpannerBackup $p $i customers -BackupId audit-2" + T + "; Get-SpannerBackupOperation $p $i -Pending" + T + " | Stop-SpannerBackupOperation -Force -PassThru" + T, null),
                ("Get-SpannerBackupOperation $p $i" + T, null),
                ("Remove-SpannerBackup $p $i audit-1 -Force" + T, null),
                // Spanner: service errors
                ("Get-SpannerBackup $p $i -BackupId missing-backup" + T, null),
                ("New-SpannerBackup $p $i nosuchdb" + T, null),
                ("New-SpannerBackup $p $i orders -RetentionPeriod '1h'" + T, null),
                // Spanner: auth failures
                ("Get-SpannerBackup $p $i -AccessToken $badTok -Verbose -Debug", null),
                ("New-SpannerBackup $p $i inventory -AccessToken $badTok -Verbose -Debug", null),
                ("Get-SpannerBackup $p $i -Verbose -Debug", null),
                // Spanner: faults (absorbed, and exhausted)
                ("New-SpannerBackup $p $i billing -BackupId audit-3 -Wait" + T, () => { s.Emulator.Faults.Enqueue(FaultKind.CutAfterProcessing, 1, "POST", "/backups"); s.Emulator.Faults.Enqueue(FaultKind.Unavailable503, 2, "GET"); }),
                ("Get-SpannerBackup $p $i -RequestTimeout '1s'" + T, () => { s.Emulator.Faults.Configure(new FaultProfile { Unavailable503Rate = 1, RetryAfter = TimeSpan.FromMilliseconds(10) }); }),

                // Gauss: successes (AK/SK)
                ("New-GaussBackup -InstanceId $o -Name audit-g1 -Wait" + G, () => s.Emulator.Faults.Clear()),
                ("$b = New-GaussBackup -InstanceId $c -Name audit-g2" + G + "; $b; Get-GaussBackupJob -JobId $b.JobId" + G + "; $b | Wait-BackupOperation -Verbose -Debug; Remove-GaussBackup -BackupId $b.Id -Force" + G, null),
                ("Get-GaussBackup -InstanceId $o" + G, null),
                // Gauss: service errors
                ("Get-GaussBackupJob -JobId 00000000-0000-0000-0000-000000000000" + G, null),
                ("New-GaussBackup -InstanceId 0123456789abcdef0123456789abcdefin07 -Name audit-missing" + G, null),
                ("Remove-GaussBackup -BackupId 0123456789abcdef0123456789abcdefbr01 -Force" + G, null),
                // Gauss: auth failures
                ("Get-GaussBackup -AccessKey DEMOACCESSKEY0000000 -SecretKey $badSk -ProjectId $gp -Verbose -Debug", null),
                ("Get-GaussBackup -Token $badIamTok -ProjectId $gp -Verbose -Debug", null),
                ("Connect-GaussCloud -Credential $badCred -DomainName demo-account -ProjectId $gp -Verbose -Debug", null),
                // Gauss: IAM token and password flows
                ("Get-GaussBackup -Token $iamTok -ProjectId $gp -Verbose -Debug", null),
                ("Connect-GaussCloud -Credential $cred -DomainName demo-account -ProjectId $gp -Verbose -Debug; Get-GaussBackup -Verbose -Debug; New-GaussBackup -InstanceId $o -Name audit-g3 -Verbose -Debug", null),
                ("Get-GaussBackup -Credential $cred -DomainName demo-account -Verbose -Debug", null),
                // Gauss: faults
                ("New-GaussBackup -InstanceId $c -Name audit-g4 -Wait" + G, () => { s.Emulator.Faults.Enqueue(FaultKind.CutAfterProcessing, 1, "POST", "/backups/create"); s.Emulator.Faults.Enqueue(FaultKind.Throttle429, 2, "GET"); }),
                ("Get-GaussBackup -RequestTimeout '1s'" + G, () => { s.Emulator.Faults.Configure(new FaultProfile { Throttle429Rate = 1, RetryAfter = TimeSpan.FromMilliseconds(10) }); }),
                ("Get-GaussBackup -Credential $cred -DomainName demo-account -Verbose -Debug", null),
            };

            var all = new StringBuilder();
            var errorCount = 0;
            var outputCount = 0;
            foreach (var (script, before) in steps)
            {
                before?.Invoke();
                var r = s.Run(script);
                errorCount += r.AllErrors.Count();
                outputCount += r.Output.Count;
                all.Append("=== ").Append(script).Append('\n').Append(r.AllText()).Append('\n');
                Assert.True(r.Debug.Count + r.Verbose.Count + r.AllErrors.Count() > 0, "no trace from: " + script);
            }

            s.Emulator.Faults.Clear();
            var text = all.ToString();

            // The runs went through every kind of outcome.
            Assert.True(errorCount >= 10, "errors: " + errorCount);
            Assert.True(outputCount >= 10, "outputs: " + outputCount);
            Assert.Contains("401", text);
            Assert.Contains("Authorization: ***", text);

            foreach (var secret in new[] { SpannerToken, WrongSpannerToken, SecretKey, WrongSecretKey, Password, WrongPassword, iamToken, WrongIamToken })
            {
                var at = text.IndexOf(secret, StringComparison.Ordinal);
                Assert.True(at < 0, "secret '" + secret + "' appears: ..." + (at < 0 ? string.Empty : text.Substring(Math.Max(0, at - 300), Math.Min(600, text.Length - Math.Max(0, at - 300)))));
            }

            // Any token the module obtained itself (IAM password flow) has the emulator's MII prefix.
            Assert.DoesNotMatch(new Regex("MII[A-Za-z0-9_\\-]{20,}"), text);

            // Header values: whatever follows an Authorization / X-Auth-Token / X-Subject-Token header name is masked.
            foreach (Match m in Regex.Matches(text, "(?i)(authorization|x-auth-token|x-subject-token|x-security-token)\"?\\s*[:=]\\s*\"?([^;\\s\"]*)"))
            {
                var value = m.Groups[2].Value;
                Assert.True(value.Length == 0 || value == "***" || value.StartsWith("***", StringComparison.Ordinal), "header value shown: " + m.Value);
            }
        }
    }
}
