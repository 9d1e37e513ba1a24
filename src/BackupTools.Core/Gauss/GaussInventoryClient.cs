using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using BackupTools.Errors;
using BackupTools.Http;
using Newtonsoft.Json.Linq;

namespace BackupTools.Gauss
{
    /// <summary>What exists in a GaussDB project: its instances, read one or all (paged, bounded), for fleet-wide commands.</summary>
    public sealed class GaussInventoryClient
    {
        /// <summary>The service's largest page of instances.</summary>
        private const int PageSize = 100;

        /// <summary>A bound on paging: 1,000 pages of 100 is far beyond any real project; a server that keeps answering full pages is not followed forever.</summary>
        private const int MaxPages = 1000;

        private readonly GaussClient _gauss;

        public GaussInventoryClient(GaussClient gauss)
        {
            _gauss = gauss;
        }

        public async Task<IReadOnlyList<GaussInstance>> ListInstancesAsync(CancellationToken cancellationToken)
        {
            var project = await _gauss.GetProjectIdAsync(cancellationToken).ConfigureAwait(false);
            var result = new List<GaussInstance>();
            for (var page = 0; page < MaxPages; page++)
            {
                var request = new ServiceRequest(HttpMethod.Get, "v3/" + Uri.EscapeDataString(project) + "/instances")
                    .WithQuery("offset", (page * PageSize).ToString(CultureInfo.InvariantCulture))
                    .WithQuery("limit", PageSize.ToString(CultureInfo.InvariantCulture))
                    .WithResource(project);
                var answer = Json.ParseObject((await _gauss.Http.SendAsync(request, cancellationToken).ConfigureAwait(false)).Body);
                var items = (answer["instances"] as JArray)?.OfType<JObject>().ToList() ?? new List<JObject>();
                result.AddRange(items.Select(i => Checked(GaussInstance.FromJson(i, project), project)));
                var total = (int?)answer["total_count"];
                if (items.Count == 0 || (total.HasValue && result.Count >= total.Value) || (!total.HasValue && items.Count < PageSize))
                {
                    return result;
                }
            }

            throw new BackupToolsException(ErrorIds.IncompleteAnswer, ErrorKind.Internal, "The instance list of project " + project + " did not end after " + MaxPages + " pages.", project);
        }

        private static GaussInstance Checked(GaussInstance instance, string resource)
        {
            if (instance.Id.Length == 0)
            {
                throw new BackupToolsException(ErrorIds.IncompleteAnswer, ErrorKind.Internal, "The service described an instance of " + resource + " without its id.", resource);
            }

            return instance;
        }
    }
}
