using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using BackupTools.Http;
using Newtonsoft.Json.Linq;

namespace BackupTools.Gauss
{
    /// <summary>What exists in a GaussDB project: its instances, all pages, for fleet-wide commands and tab completion.</summary>
    public sealed class GaussInventoryClient
    {
        /// <summary>The service's largest page of instances.</summary>
        private const int PageSize = 100;

        private readonly GaussClient _gauss;

        public GaussInventoryClient(GaussClient gauss)
        {
            _gauss = gauss;
        }

        /// <summary>
        /// The project's instances, through the one paging loop (<see cref="Pager.ByOffsetAsync"/>), so its bounds
        /// hold (EndlessPaging); an instance listed without its id is an InvalidAnswer, never a nameless object.
        /// </summary>
        public Task<IReadOnlyList<GaussInstance>> ListInstancesAsync(CancellationToken cancellationToken) => ListInstancesAsync(null, cancellationToken);

        /// <param name="name">The service's name filter (it may match loosely: callers that need one name compare it themselves), or null for all.</param>
        public async Task<IReadOnlyList<GaussInstance>> ListInstancesAsync(string? name, CancellationToken cancellationToken)
        {
            var project = await _gauss.GetProjectIdAsync(cancellationToken).ConfigureAwait(false);
            var result = new List<GaussInstance>();
            await Pager.ByOffsetAsync(
                _gauss.Http,
                name == null ? "instances of project " + project : "instances named " + name,
                offset => new ServiceRequest(HttpMethod.Get, "v3/" + Uri.EscapeDataString(project) + "/instances")
                    .WithQuery("name", name)
                    .WithQuery("offset", offset.ToString(CultureInfo.InvariantCulture))
                    .WithQuery("limit", PageSize.ToString(CultureInfo.InvariantCulture))
                    .WithResource(project),
                "instances",
                PageSize,
                item => item["id"]?.Type == JTokenType.String ? (string?)item["id"] : null,
                item =>
                {
                    var instance = GaussInstance.FromJson(item, project);
                    instance.Client = _gauss;
                    result.Add(instance);
                },
                cancellationToken).ConfigureAwait(false);
            return result;
        }
    }
}
