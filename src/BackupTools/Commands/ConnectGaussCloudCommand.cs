using System.Management.Automation;
using BackupTools.Auth.Huawei;
using BackupTools.Gauss;
using BackupTools.Infrastructure;

namespace BackupTools.Commands
{
    /// <summary>
    /// Sets this session's GaussDB defaults (cloud, region, project id, endpoint, credential), used by
    /// the other Gauss cmdlets when they are not given their own. With -Credential it asks IAM for a
    /// token at once (proving the password) and keeps it for later calls.
    /// </summary>
    [Cmdlet(VerbsCommunications.Connect, "GaussCloud")]
    [OutputType(typeof(GaussConnection))]
    public sealed class ConnectGaussCloudCommand : GaussCmdlet
    {
        protected override void ProcessRecord()
        {
            GaussSession session;
            GaussClient client;
            try
            {
                client = BuildClient(out session);
            }
            catch (BackupTools.Errors.BackupToolsException ex)
            {
                ThrowTerminatingError(ErrorRecords.From(ex, ex.Resource));
                return;
            }

            var connection = new GaussConnection
            {
                CloudKind = session.Cloud,
                Region = session.Region,
                Endpoint = session.Endpoint ?? string.Empty,
                CredentialSource = session.Authenticator?.Source ?? string.Empty,
            };

            RunWork(null, async ct =>
            {
                // For IAM this fetches the token now, so a wrong password fails here rather than later.
                connection.ProjectId = await client.GetProjectIdAsync(ct).ConfigureAwait(false);
                if (session.Authenticator is IamTokenProvider provider)
                {
                    await provider.GetProjectIdAsync(ct).ConfigureAwait(false);
                }
            });

            if (string.IsNullOrEmpty(connection.ProjectId))
            {
                return;
            }

            session.ProjectId = connection.ProjectId;
            SetSession(session);
            WriteObject(connection);
        }
    }
}
