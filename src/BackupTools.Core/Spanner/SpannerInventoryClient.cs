using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using BackupTools.Errors;

namespace BackupTools.Spanner
{
    /// <summary>What exists in a Spanner project: its instances and their databases (all pages), for fleet-wide commands.</summary>
    public sealed class SpannerInventoryClient
    {
        /// <summary>Items asked for per page: few round trips for large fleets.</summary>
        public const int PageSize = 1000;

        private readonly SpannerClient _spanner;

        public SpannerInventoryClient(SpannerClient spanner)
        {
            _spanner = spanner;
        }

        /// <summary>The ids of the project's instances (projects/{p}/instances).</summary>
        public async Task<IReadOnlyList<string>> ListInstanceIdsAsync(string project, CancellationToken cancellationToken)
        {
            var collection = "projects/" + SpannerRules.ProjectId.Require(project) + "/instances";
            var ids = new List<string>();
            await _spanner.ListAsync(collection, null, PageSize, "instances", json => ids.Add(SpannerRules.LastSegment(Named(json, collection))), cancellationToken).ConfigureAwait(false);
            return ids;
        }

        /// <summary>An instance's databases, handed to <paramref name="onItem"/> page by page.</summary>
        public Task ListDatabasesAsync(string project, string instance, Action<SpannerDatabase> onItem, CancellationToken cancellationToken)
        {
            var collection = SpannerRules.InstanceName(project, instance) + "/databases";
            return _spanner.ListAsync(collection, null, PageSize, "databases", json =>
            {
                Named(json, collection);
                onItem(SpannerDatabase.FromJson(json));
            }, cancellationToken);
        }

        /// <summary>An item listed without its name cannot be rated or acted on: that answer is an error, never a nameless object.</summary>
        internal static string Named(Newtonsoft.Json.Linq.JObject json, string collection)
        {
            var name = (string?)json["name"];
            if (string.IsNullOrEmpty(name))
            {
                throw new BackupToolsException(ErrorIds.IncompleteAnswer, ErrorKind.Internal, "The service listed an item of " + collection + " without its name.", collection);
            }

            return name!;
        }
    }
}
