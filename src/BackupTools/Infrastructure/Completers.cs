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

        /// <summary>
        /// A parameter's value as the command would get it: typed on the command line, else from
        /// $PSDefaultParameterValues (the pattern about_BackupTools recommends for -Project/-Instance).
        /// </summary>
        public static string? Bound(IDictionary fakeBoundParameters, string name, string? commandName = null)
        {
            if (fakeBoundParameters != null && fakeBoundParameters.Contains(name))
            {
                return (fakeBoundParameters[name] is PSObject p ? p.BaseObject : fakeBoundParameters[name])?.ToString();
            }

            return commandName == null ? null : DefaultParameterValue(commandName, name);
        }

        /// <summary>The value $PSDefaultParameterValues gives a command's parameter ('Cmdlet:Parameter' keys, wildcards allowed; script block values are not run).</summary>
        private static string? DefaultParameterValue(string commandName, string parameterName)
        {
            IDictionary? defaults;
            try
            {
                // Completers run on the pipeline thread of the session asking, so a script block sees its variables.
                defaults = ScriptBlock.Create("$PSDefaultParameterValues").Invoke().FirstOrDefault()?.BaseObject as IDictionary;
            }
            catch (Exception ex) when (!(ex is OutOfMemoryException))
            {
                return null;
            }

            if (defaults == null)
            {
                return null;
            }

            foreach (DictionaryEntry entry in defaults)
            {
                var key = entry.Key?.ToString() ?? string.Empty;
                var colon = key.IndexOf(':');
                if (colon <= 0 || entry.Value is ScriptBlock)
                {
                    continue;
                }

                var command = new WildcardPattern(key.Substring(0, colon).Trim(), WildcardOptions.IgnoreCase);
                var parameter = new WildcardPattern(key.Substring(colon + 1).Trim(), WildcardOptions.IgnoreCase);
                if (command.IsMatch(commandName) && parameter.IsMatch(parameterName))
                {
                    return (entry.Value is PSObject p ? p.BaseObject : entry.Value)?.ToString();
                }
            }

            return null;
        }

        /// <summary>
        /// A Spanner client for a completer: the command's endpoint (-Endpoint, or -SpannerEndpoint on the fleet
        /// commands, typed or from $PSDefaultParameterValues) and token (or ADC), one quick attempt.
        /// </summary>
        public static SpannerClient SpannerClient(string commandName, IDictionary fakeBoundParameters)
        {
            var endpointParameter = typeof(FleetCmdlet).IsAssignableFrom(CommandType(commandName)) ? "SpannerEndpoint" : "Endpoint";
            var endpoint = ServiceEndpoint.Parse(SpannerCmdlet.EndpointText(Bound(fakeBoundParameters, endpointParameter, commandName)));
            var token = fakeBoundParameters.Contains("AccessToken") ? (fakeBoundParameters["AccessToken"] is PSObject p ? p.BaseObject : fakeBoundParameters["AccessToken"]) as SecureString : null;
            return new SpannerClient(new ServiceHttpClient("Spanner", endpoint, GoogleCredentials.Resolve(token, endpoint), retryPolicy: new RetryPolicy { MaxAttempts = 1, AttemptTimeout = Deadline }));
        }

        /// <summary>The module's cmdlet class of that name, or null.</summary>
        private static Type? CommandType(string commandName) =>
            typeof(Completion).Assembly.GetTypes().FirstOrDefault(t => t.GetCustomAttributes(typeof(CmdletAttribute), false).OfType<CmdletAttribute>().Any(a => string.Equals(a.VerbName + "-" + a.NounName, commandName, StringComparison.OrdinalIgnoreCase)));

        /// <summary>-Project and -Instance as the command would get them, when both are valid.</summary>
        public static (string Project, string Instance)? SpannerInstance(string commandName, IDictionary fakeBoundParameters)
        {
            var project = Bound(fakeBoundParameters, "Project", commandName);
            var instance = Bound(fakeBoundParameters, "Instance", commandName);
            return SpannerRules.ProjectId.IsValid(project) && SpannerRules.InstanceId.IsValid(instance) ? (project!, instance!) : ((string, string)?)null;
        }

        /// <summary>
        /// Results for a parameter whose values are never file names: when there is nothing to offer,
        /// one result that keeps the word as typed, so PowerShell does not fall back to completing paths.
        /// </summary>
        public static IEnumerable<CompletionResult> NeverPaths(IEnumerable<CompletionResult> results, string wordToComplete)
        {
            var list = results.ToList();
            if (list.Count == 0)
            {
                var word = wordToComplete ?? string.Empty;
                list.Add(new CompletionResult(word.Length == 0 ? "''" : word, word.Length == 0 ? "(none found)" : word, CompletionResultType.ParameterValue, "Nothing to offer: check -Project/-Instance, the endpoint or the credential."));
            }

            return list;
        }

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
            if (!(Completion.SpannerInstance(commandName, fakeBoundParameters) is (string project, string instance)))
            {
                return Array.Empty<CompletionResult>();
            }

            var ids = Completion.Lookup(ct => Completion.SpannerClient(commandName, fakeBoundParameters).ListDatabaseIdsAsync(project, instance, ct));
            return Completion.Matching(ids.Select(id => (id, project + "/" + instance + "/" + id)), wordToComplete);
        }
    }

    /// <summary>
    /// -ScheduleId of Get-, Set- and Remove-SpannerBackupSchedule: the database's backup schedules, asked of the service
    /// with the credential the command would use, within 2 seconds. Never file names.
    /// </summary>
    public sealed class SpannerScheduleIdCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var database = Completion.Bound(fakeBoundParameters, "Database", commandName);
            if (!(Completion.SpannerInstance(commandName, fakeBoundParameters) is (string project, string instance)) || !SpannerRules.DatabaseId.IsValid(database))
            {
                return Array.Empty<CompletionResult>();
            }

            var ids = Completion.Lookup(async ct =>
            {
                var found = new List<string>();
                await new SpannerScheduleClient(Completion.SpannerClient(commandName, fakeBoundParameters)).ListAsync(project, instance, database!, s => found.Add(s.ScheduleId), ct).ConfigureAwait(false);
                return (IReadOnlyList<string>)found;
            });
            return Completion.Matching(ids.Select(id => (id, database + "/" + id)), wordToComplete);
        }
    }

    /// <summary>
    /// Spanner instance ids of -Project (typed or from $PSDefaultParameterValues), asked of the service with the
    /// credential the command would use, within 2 seconds: the fleet commands' -Instance, the drill's -ScratchInstance.
    /// </summary>
    public sealed class SpannerInstanceCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var project = Completion.Bound(fakeBoundParameters, "Project", commandName);
            if (!SpannerRules.ProjectId.IsValid(project))
            {
                return Array.Empty<CompletionResult>();
            }

            var ids = Completion.Lookup(ct => new SpannerInventoryClient(Completion.SpannerClient(commandName, fakeBoundParameters)).ListInstanceIdsAsync(project!, ct));
            return Completion.Matching(ids.Select(id => (id, project + "/" + id)), wordToComplete);
        }
    }

    /// <summary>
    /// -BackupId: for New-SpannerBackup the id it would generate for -Database; for the others the
    /// instance's backups (asked of the service, within 2 seconds). Never file names.
    /// </summary>
    public sealed class SpannerBackupIdCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            if (string.Equals(commandName, "New-SpannerBackup", StringComparison.OrdinalIgnoreCase))
            {
                var database = Completion.Bound(fakeBoundParameters, "Database", commandName);
                var generated = SpannerRules.DatabaseId.IsValid(database) ? new[] { (SpannerRules.GenerateBackupId(database!, DateTimeOffset.UtcNow), "the id generated when -BackupId is omitted") } : Array.Empty<(string, string)>();
                return Completion.NeverPaths(Completion.Matching(generated, wordToComplete), wordToComplete);
            }

            var backups = Completion.SpannerInstance(commandName, fakeBoundParameters) is (string project, string instance)
                ? Completion.Lookup(async ct =>
                {
                    var found = new List<(string, string)>();
                    await Completion.SpannerClient(commandName, fakeBoundParameters).ListBackupsAsync(project, instance, null, null, b => found.Add((b.BackupId, b.Database + ", " + b.State + ", created " + b.CreateTime?.ToString("u", System.Globalization.CultureInfo.InvariantCulture))), ct).ConfigureAwait(false);
                    return (IReadOnlyList<(string, string)>)found;
                })
                : Array.Empty<(string, string)>();
            return Completion.NeverPaths(Completion.Matching(backups, wordToComplete), wordToComplete);
        }
    }

    /// <summary>Stop-SpannerBackupOperation -Name: the pending operations of -Project/-Instance from $PSDefaultParameterValues. Never file names.</summary>
    public sealed class SpannerOperationNameCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var operations = Completion.SpannerInstance(commandName, fakeBoundParameters) is (string project, string instance)
                ? Completion.Lookup(async ct =>
                {
                    var found = new List<(string, string)>();
                    var filter = "(metadata.@type:" + BackupTools.Spanner.SpannerClient.CreateBackupMetadataType + ") AND (done:false)";
                    await Completion.SpannerClient(commandName, fakeBoundParameters).ListBackupOperationsAsync(project, instance, filter, null, o => found.Add((o.Name, o.BackupId + " of " + o.Database + ", " + o.ProgressPercent + "%")), ct).ConfigureAwait(false);
                    return (IReadOnlyList<(string, string)>)found;
                })
                : Array.Empty<(string, string)>();
            return Completion.NeverPaths(Completion.Matching(operations, wordToComplete), wordToComplete);
        }
    }

    /// <summary>GaussDB backup ids of the Connect-GaussCloud session's project (of -InstanceId when given), with names and status. Never file names.</summary>
    public sealed class GaussBackupIdCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var client = GaussCmdlet.CurrentSession?.CreateClient(retryPolicy: new RetryPolicy { MaxAttempts = 1, AttemptTimeout = Completion.Deadline });
            var instance = Completion.Bound(fakeBoundParameters, "InstanceId", commandName);
            var backups = client == null
                ? Array.Empty<(string, string)>()
                : Completion.Lookup(async ct =>
                {
                    var found = new List<(string, string)>();
                    await client.ListBackupsAsync(new GaussBackupQuery { InstanceId = GaussRules.InstanceId.IsValid(instance) ? instance : null }, b => found.Add((b.Id, b.Name + " (" + b.Status + ", " + b.InstanceId + ")")), ct).ConfigureAwait(false);
                    return (IReadOnlyList<(string, string)>)found;
                });
            return Completion.NeverPaths(Completion.Matching(backups, wordToComplete), wordToComplete);
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

            var instances = Completion.Lookup(new GaussInventoryClient(client).ListInstancesAsync);
            return Completion.Matching(instances.Select(i => (i.Id, i.Name + " (" + i.Status + ")")), wordToComplete);
        }
    }
}
