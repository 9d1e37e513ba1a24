using System;
using System.IO;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using BackupTools.Errors;
using BackupTools.Http;
using Google.Apis.Auth.OAuth2;

namespace BackupTools.Auth
{
    /// <summary>
    /// Chooses the Google credential for a call, in the documented order:
    /// 1. an explicit access token (-AccessToken);
    /// 2. none, when the endpoint is a plain-http loopback emulator (as Google's own client libraries
    ///    do when they detect an emulator);
    /// 3. Application Default Credentials: the key file named by GOOGLE_APPLICATION_CREDENTIALS,
    ///    gcloud's application_default_credentials.json, then the metadata server.
    /// </summary>
    public static class GoogleCredentials
    {
        public const string SpannerAdminScope = "https://www.googleapis.com/auth/spanner.admin";

        /// <param name="proxy">The command's proxy choice (-Proxy), or null for the environment's; ADC token requests follow it too.</param>
        public static IRequestAuthenticator Resolve(SecureString? accessToken, ServiceEndpoint endpoint, bool useAdcForEmulator = false, ProxySettings? proxy = null)
        {
            if (accessToken != null && accessToken.Length > 0)
            {
                return StaticTokenAuthenticator.Bearer(accessToken, "the -AccessToken parameter");
            }

            if (endpoint.IsLocalEmulator && !useAdcForEmulator)
            {
                return new AnonymousAuthenticator("none: " + endpoint + " is a plain-http loopback emulator");
            }

            return new AdcAuthenticator(DescribeAdcSource(), proxy ?? ProxySettings.FromEnvironment);
        }

        /// <summary>Where ADC will look first, named for -Debug (a path, never a secret).</summary>
        public static string DescribeAdcSource()
        {
            var file = Environment.GetEnvironmentVariable("GOOGLE_APPLICATION_CREDENTIALS");
            if (!string.IsNullOrEmpty(file))
            {
                return "Application Default Credentials: the key file named by GOOGLE_APPLICATION_CREDENTIALS (" + file + ")";
            }

            var gcloud = GcloudAdcPath();
            if (gcloud != null && File.Exists(gcloud))
            {
                return "Application Default Credentials: gcloud's file (" + gcloud + ")";
            }

            return "Application Default Credentials: the metadata server";
        }

        private static string? GcloudAdcPath()
        {
            var appData = Environment.GetEnvironmentVariable("APPDATA");
            if (Environment.OSVersion.Platform == PlatformID.Win32NT && !string.IsNullOrEmpty(appData))
            {
                return Path.Combine(appData, "gcloud", "application_default_credentials.json");
            }

            var home = Environment.GetEnvironmentVariable("HOME");
            return string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".config", "gcloud", "application_default_credentials.json");
        }

        /// <summary>ADC through Google.Apis.Auth, loaded on first use and then cached (it refreshes its own tokens).</summary>
        private sealed class AdcAuthenticator : IRequestAuthenticator
        {
            private readonly SemaphoreSlim _gate = new SemaphoreSlim(1, 1);
            private readonly ProxySettings _proxy;
            private ITokenAccess? _credential;

            public AdcAuthenticator(string source, ProxySettings proxy)
            {
                Source = source;
                _proxy = proxy;
            }

            public string Source { get; }

            public async Task AuthenticateAsync(OutgoingRequest request, CancellationToken cancellationToken)
            {
                var credential = await CredentialAsync(cancellationToken).ConfigureAwait(false);
                string token;
                try
                {
                    token = await credential.GetAccessTokenForRequestAsync(null, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!(ex is OperationCanceledException))
                {
                    throw new BackupToolsException(ErrorIds.NoCredentials, ErrorKind.NoCredentials, "Could not get an access token from " + Source + ": " + ex.GetType().Name + ". Check the credential, or pass -AccessToken.", null, Sanitized(ex));
                }

                request.Headers["Authorization"] = "Bearer " + token;
            }

            private async Task<ITokenAccess> CredentialAsync(CancellationToken cancellationToken)
            {
                if (_credential != null)
                {
                    return _credential;
                }

                await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    if (_credential == null)
                    {
                        GoogleCredential adc;
                        try
                        {
                            adc = await GoogleCredential.GetApplicationDefaultAsync(cancellationToken).ConfigureAwait(false);
                        }
                        catch (Exception ex) when (!(ex is OperationCanceledException))
                        {
                            throw new BackupToolsException(
                                ErrorIds.NoCredentials,
                                ErrorKind.NoCredentials,
                                "No Google credentials found. Pass -AccessToken, set GOOGLE_APPLICATION_CREDENTIALS to a service-account key file, run 'gcloud auth application-default login', or run on Google Cloud with a service account. Tried: " + Source + ".",
                                null,
                                Sanitized(ex));
                        }

                        // Token requests take the module's proxy decision, not .NET's process-wide default (read once, proxying loopback).
                        adc = adc.CreateWithHttpClientFactory(Google.Apis.Http.HttpClientFactory.ForProxy(new ModuleWebProxy(_proxy)));
                        _credential = adc.IsCreateScopedRequired ? adc.CreateScoped(SpannerAdminScope) : adc;
                    }

                    return _credential;
                }
                finally
                {
                    _gate.Release();
                }
            }

            /// <summary>Google.Apis.Auth messages can quote token endpoint answers; keep only the type and a redacted message.</summary>
            private static Exception Sanitized(Exception ex) => new InvalidOperationException(ex.GetType().Name + ": " + ServerText.Clean(Redaction.UserInfo(Redaction.Body(ex.Message))));
        }
    }
}
