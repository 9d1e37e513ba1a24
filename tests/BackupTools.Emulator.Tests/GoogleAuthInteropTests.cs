using System;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Google.Apis.Auth.OAuth2;
using Xunit;
using static BackupTools.Emulator.Tests.TestHelpers;

namespace BackupTools.Emulator.Tests;

public class GoogleAuthInteropTests
{
    [Fact]
    public async Task Service_account_key_with_token_uri_here_gets_a_token_the_api_accepts()
    {
        var (emu, http) = await StartAsync(o => o.RequireAuth = true);
        await using var _ = emu;
        using var rsa = RSA.Create(2048);
        var key = new JsonObject
        {
            ["type"] = "service_account",
            ["project_id"] = "demo-project",
            ["private_key_id"] = "k1",
            ["private_key"] = rsa.ExportPkcs8PrivateKeyPem(),
            ["client_email"] = "backup@demo-project.iam.gserviceaccount.com",
            ["client_id"] = "1",
            ["token_uri"] = new Uri(emu.BaseAddress, "oauth2/token").ToString(),
        };
        var credential = CredentialFactory.FromJson<ServiceAccountCredential>(key.ToJsonString())
            .ToGoogleCredential().CreateScoped("https://www.googleapis.com/auth/spanner.admin");
        var token = await ((ITokenAccess)credential).GetAccessTokenForRequestAsync();
        Assert.StartsWith("ya29.", token);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"v1/{Instance}/backups");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(request)).StatusCode);
        Assert.Equal(1, emu.State.CountRequests("POST", "/oauth2/token"));
    }
}
