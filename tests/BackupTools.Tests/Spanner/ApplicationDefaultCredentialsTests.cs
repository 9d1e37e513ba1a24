using System;
using System.IO;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using BackupTools.Auth;
using BackupTools.Emulator;
using BackupTools.Errors;
using BackupTools.Http;
using BackupTools.Spanner;
using Newtonsoft.Json.Linq;
using Xunit;

namespace BackupTools.Tests.Spanner
{
    /// <summary>
    /// The real ADC path of Google.Apis.Auth: a service-account key file named by
    /// GOOGLE_APPLICATION_CREDENTIALS whose token_uri is the emulator's fake OAuth endpoint, and a
    /// Spanner API that requires the token it issued.
    /// </summary>
    [Collection(EnvironmentCollection.Name)]
    public sealed class ApplicationDefaultCredentialsTests
    {
        [Fact]
        public async Task ServiceAccountKeyFile_TokenExchange_ThenAuthenticatedCalls()
        {
            await using var emulator = await BackupEmulator.StartAsync(new EmulatorOptions { RequireAuth = true });
            var keyFile = Path.Combine(Path.GetTempPath(), "bt-sa-" + Guid.NewGuid().ToString("N") + ".json");
            using var rsa = RSA.Create(2048);
            File.WriteAllText(keyFile, new JObject
            {
                ["type"] = "service_account",
                ["project_id"] = "demo-project",
                ["private_key_id"] = "k1",
                ["private_key"] = rsa.ExportPkcs8PrivateKeyPem(),
                ["client_email"] = "backup-runner@demo-project.iam.gserviceaccount.com",
                ["client_id"] = "1234567890",
                ["token_uri"] = emulator.BaseAddress.AbsoluteUri + "oauth2/token",
            }.ToString());

            var previous = Environment.GetEnvironmentVariable("GOOGLE_APPLICATION_CREDENTIALS");
            Environment.SetEnvironmentVariable("GOOGLE_APPLICATION_CREDENTIALS", keyFile);
            try
            {
                var endpoint = ServiceEndpoint.Parse(emulator.BaseAddress.AbsoluteUri);
                var authenticator = GoogleCredentials.Resolve(null, endpoint, useAdcForEmulator: true);
                Assert.Contains("GOOGLE_APPLICATION_CREDENTIALS", authenticator.Source);
                Assert.Contains(keyFile, authenticator.Source);

                var client = new SpannerClient(new ServiceHttpClient("Spanner", endpoint, authenticator));
                var op = await client.CreateBackupAsync(
                    new SpannerCreateBackupRequest { Project = "demo-project", Instance = "demo-instance", Database = "orders", BackupId = "adc-backup", ExpireTime = DateTimeOffset.UtcNow.AddDays(1) },
                    CancellationToken.None);
                Assert.Equal("adc-backup", op.BackupId);
                Assert.True(emulator.State.CountRequests("POST", "/oauth2/token") + emulator.State.CountRequests("POST", "/token") >= 1);

                // Without credentials the same emulator refuses: the token above is what got us in.
                var anonymous = new SpannerClient(new ServiceHttpClient("Spanner", endpoint, new AnonymousAuthenticator("none")));
                var denied = await Assert.ThrowsAsync<ServiceException>(() => anonymous.GetBackupAsync("demo-project", "demo-instance", "adc-backup", CancellationToken.None));
                Assert.Equal(ErrorKind.Unauthenticated, denied.Kind);
            }
            finally
            {
                Environment.SetEnvironmentVariable("GOOGLE_APPLICATION_CREDENTIALS", previous);
                File.Delete(keyFile);
            }
        }

        [Fact]
        public async Task MissingKeyFile_IsNoCredentials_NamingTheSource()
        {
            var missing = Path.Combine(Path.GetTempPath(), "bt-missing-" + Guid.NewGuid().ToString("N") + ".json");
            var previous = Environment.GetEnvironmentVariable("GOOGLE_APPLICATION_CREDENTIALS");
            Environment.SetEnvironmentVariable("GOOGLE_APPLICATION_CREDENTIALS", missing);
            try
            {
                var authenticator = GoogleCredentials.Resolve(null, ServiceEndpoint.Parse("https://spanner.googleapis.com/"));
                var request = new OutgoingRequest(System.Net.Http.HttpMethod.Get, new Uri("https://spanner.googleapis.com/v1/x"), Array.Empty<byte>(), new System.Collections.Generic.Dictionary<string, string>());
                var ex = await Assert.ThrowsAsync<BackupToolsException>(() => authenticator.AuthenticateAsync(request, CancellationToken.None));
                Assert.Equal(ErrorIds.NoCredentials, ex.ErrorId);
                Assert.Contains(missing, ex.Message);
                Assert.False(request.Headers.ContainsKey("Authorization"));
            }
            finally
            {
                Environment.SetEnvironmentVariable("GOOGLE_APPLICATION_CREDENTIALS", previous);
            }
        }

        [Fact]
        public void ExplicitToken_WinsOverEverything_AndEmulatorNeedsNone()
        {
            var emulator = ServiceEndpoint.Parse("http://127.0.0.1:9020/");
            Assert.Equal("the -AccessToken parameter", GoogleCredentials.Resolve(SecretText.Protect("t"), emulator).Source);
            Assert.StartsWith("none:", GoogleCredentials.Resolve(null, emulator).Source);
        }
    }

    /// <summary>Tests that change process-wide environment variables run one at a time.</summary>
    [CollectionDefinition(Name, DisableParallelization = true)]
    public sealed class EnvironmentCollection
    {
        public const string Name = "Process environment";
    }
}
