using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Security;
using System.Threading;
using BackupTools.Auth;
using BackupTools.Gauss;
using BackupTools.Http;
using BackupTools.Spanner;

namespace BackupTools.Infrastructure
{
    /// <summary>Shared pieces of the argument completers: matching, and a short deadline for calls.</summary>
    internal static class Completion
    {
        /// <summary>Completion must stay interactive: a lookup that takes longer offers nothing.</summary>
        public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(2);

        public static IEnumerable<CompletionResult> Matching(IEnumerable<(string Value, string Tooltip)> candidates, string wordToComplete)
        {
            var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
            return candidates
                .Where(c => c.Value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .OrderBy(c => c.Value, StringComparer.OrdinalIgnoreCase)
                .Select(c => new CompletionResult(c.Value, c.Value, CompletionResultType.ParameterValue, string.IsNullOrEmpty(c.Tooltip) ? c.Value : c.Tooltip));
        }

        public static string? Bound(IDictionary fakeBoundParameters, string name) =>
            fakeBoundParameters != null && fakeBoundParameters.Contains(name) ? (fakeBoundParameters[name] is PSObject p ? p.BaseObject : fakeBoundParameters[name])?.ToString() : null;

        /// <summary>Runs a lookup with the deadline; any failure (no credentials, no network) offers nothing.</summary>
        public static IReadOnlyList<T> Lookup<T>(Func<CancellationToken, System.Threading.Tasks.Task<IReadOnlyList<T>>> lookup)
        {
            try
            {
                using var deadline = new CancellationTokenSource(Deadline);
                var task = lookup(deadline.Token);
                return task.Wait(Deadline) ? task.Result : Array.Empty<T>();
            }
            catch (Exception ex) when (!(ex is OutOfMemoryException))
            {
                return Array.Empty<T>();
            }
        }
    }

    /// <summary>GaussDB regions of the cloud given with -Cloud (both clouds' when none is).</summary>
    public sealed class GaussRegionCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var cloud = Completion.Bound(fakeBoundParameters, "Cloud");
            var clouds = Enum.TryParse<GaussCloud>(cloud, true, out var one) ? new[] { one } : new[] { GaussCloud.HuaweiCloud, GaussCloud.OpenTelekomCloud };
            var regions = clouds.SelectMany(c => GaussEndpoints.Regions(c).Select(r => (r, c + ": " + GaussEndpoints.Service(c, r))));
            return Completion.Matching(regions, wordToComplete);
        }
    }

    /// <summary>
    /// Database ids of the instance named by -Project and -Instance, asked of the service with the
    /// credential the command would use (-AccessToken, the emulator's none, or ADC), within 2 seconds.
    /// </summary>
    public sealed class SpannerDatabaseCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var project = Completion.Bound(fakeBoundParameters, "Project");
            var instance = Completion.Bound(fakeBoundParameters, "Instance");
            if (!SpannerRules.ProjectId.IsValid(project) || !SpannerRules.InstanceId.IsValid(instance))
            {
                return Array.Empty<CompletionResult>();
            }

            var ids = Completion.Lookup(ct =>
            {
                var endpoint = ServiceEndpoint.Parse(SpannerCmdlet.EndpointText(Completion.Bound(fakeBoundParameters, "Endpoint")));
                var token = fakeBoundParameters.Contains("AccessToken") ? (fakeBoundParameters["AccessToken"] is PSObject p ? p.BaseObject : fakeBoundParameters["AccessToken"]) as SecureString : null;
                var client = new SpannerClient(new ServiceHttpClient("Spanner", endpoint, GoogleCredentials.Resolve(token, endpoint), retryPolicy: new RetryPolicy { MaxAttempts = 1, AttemptTimeout = Completion.Deadline }));
                return client.ListDatabaseIdsAsync(project!, instance!, ct);
            });
            return Completion.Matching(ids.Select(id => (id, project + "/" + instance + "/" + id)), wordToComplete);
        }
    }

    /// <summary>GaussDB instance ids of the Connect-GaussCloud session's project (credentials at hand), with their names.</summary>
    public sealed class GaussInstanceCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var client = GaussCmdlet.CurrentSession?.CreateClient(retryPolicy: new RetryPolicy { MaxAttempts = 1, AttemptTimeout = Completion.Deadline });
            if (client == null)
            {
                return Array.Empty<CompletionResult>();
            }

            var instances = Completion.Lookup(client.ListInstancesAsync);
            return Completion.Matching(instances.Select(i => (i.Id, i.Name + " (" + i.Status + ")")), wordToComplete);
        }
    }
}
