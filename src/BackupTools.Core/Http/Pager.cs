using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using BackupTools.Errors;
using Newtonsoft.Json.Linq;

namespace BackupTools.Http
{
    /// <summary>
    /// The bounds of a list that follows the service's word from page to page. A real list ends long
    /// before any of them; a service (or something pretending to be one) that never stops paging is
    /// stopped here with the EndlessPaging error instead of requesting forever.
    /// </summary>
    public sealed class PagingLimits
    {
        public static PagingLimits Default => new PagingLimits();

        /// <summary>Pages of one list (10,000: a million items at 100 a page).</summary>
        public int MaxPages { get; set; } = 10000;

        /// <summary>Items of one list (200,000: far beyond any instance's backups, and a bounded memory for the ids seen).</summary>
        public int MaxItems { get; set; } = 200000;

        /// <summary>Time for one whole list (15 minutes), retries included.</summary>
        public TimeSpan MaxDuration { get; set; } = TimeSpan.FromMinutes(15);
    }

    /// <summary>
    /// The one paging loop of both clouds: by page token (Google) and by offset (Huawei). Every page is
    /// checked (the items field must be a list of objects, the token text), and the loop ends with the
    /// EndlessPaging error when the service repeats a page token, serves no new item at a new offset,
    /// or goes past <see cref="PagingLimits"/>. Items reach the caller as their page arrives.
    /// </summary>
    public static class Pager
    {
        /// <summary>Pages by <c>pageToken</c> / <c>nextPageToken</c> until the token is empty.</summary>
        /// <param name="what">The list, as messages name it ("backups of projects/p/instances/i").</param>
        /// <param name="pageRequest">Builds the request for a page token (null for the first page).</param>
        /// <param name="onItem">Called for each item; a wrong shape it throws (<see cref="AnswerShapeException"/>) becomes InvalidAnswer.</param>
        public static async Task ByTokenAsync(
            ServiceHttpClient http,
            string what,
            Func<string?, ServiceRequest> pageRequest,
            string itemsField,
            Action<JObject> onItem,
            CancellationToken cancellationToken,
            PagingLimits? limits = null)
        {
            var bounds = new Bounds(http, what, limits ?? http.PagingLimits);
            var tokens = new HashSet<string>(StringComparer.Ordinal);
            string? token = null;
            while (true)
            {
                var request = pageRequest(token);
                bounds.BeforePage(request.Resource);
                var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                var (next, repeated) = response.Read("a page of " + itemsField, page =>
                {
                    var nextToken = AnswerFields.Text(page, "nextPageToken");
                    if (!string.IsNullOrEmpty(nextToken) && tokens.Contains(nextToken!))
                    {
                        // A page that points back to a token already followed repeats what was given: not handed on.
                        return (nextToken, true);
                    }

                    bounds.BeforeItems(response, CountOf(page, itemsField));
                    Deliver(page, itemsField, onItem);
                    return (nextToken, false);
                });

                if (repeated)
                {
                    throw bounds.Endless(response, "it gave the page token '" + ServerText.Clean(next, 60) + "' again, after page " + (bounds.Pages + 1).ToString(CultureInfo.InvariantCulture) + ": following it would repeat pages forever");
                }

                bounds.AfterPage(response, CountOf(response.Json, itemsField));
                if (string.IsNullOrEmpty(next))
                {
                    return;
                }

                tokens.Add(next!);
                token = next;
            }
        }

        /// <summary>
        /// Pages by <c>offset</c> / <c>limit</c>: ends on an empty or short page, or when the offset
        /// reaches the total the service reports. A full page with no item not seen before means the
        /// service ignores the offset.
        /// </summary>
        /// <param name="idOf">The identity of an item (to notice repeated pages).</param>
        public static async Task ByOffsetAsync(
            ServiceHttpClient http,
            string what,
            Func<int, ServiceRequest> pageRequest,
            string itemsField,
            int pageSize,
            Func<JObject, string?> idOf,
            Action<JObject> onItem,
            CancellationToken cancellationToken,
            PagingLimits? limits = null)
        {
            var bounds = new Bounds(http, what, limits ?? http.PagingLimits);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var offset = 0;
            while (true)
            {
                var request = pageRequest(offset);
                bounds.BeforePage(request.Resource);
                var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                var (count, fresh, total) = response.Read("a page of " + itemsField, page =>
                {
                    var items = AnswerFields.Objects(page, itemsField) ?? Array.Empty<JObject>();
                    var isNew = 0;
                    foreach (var item in items)
                    {
                        var id = idOf(item);
                        if (id == null || seen.Add(id))
                        {
                            isNew++;
                        }
                    }

                    if (items.Length > 0 && isNew == 0)
                    {
                        // Checked before anything is handed on: a repeated page is not delivered twice.
                        return (items.Length, 0, (long?)null);
                    }

                    bounds.BeforeItems(response, items.Length);
                    foreach (var item in items)
                    {
                        onItem(item);
                    }

                    var totalToken = page["total_count"];
                    var totalCount = totalToken == null || totalToken.Type == JTokenType.Null ? (long?)null
                        : AnswerFields.Long(totalToken) ?? throw new AnswerShapeException("its 'total_count' is not a number");
                    return (items.Length, isNew, totalCount);
                });

                if (count > 0 && fresh == 0)
                {
                    throw bounds.Endless(response, string.Format(CultureInfo.InvariantCulture, "the page at offset {0} holds only items it had already given: it ignores the offset", offset));
                }

                bounds.AfterPage(response, count);
                offset += count;
                if (count == 0 || (total.HasValue && offset >= total.Value) || (!total.HasValue && count < pageSize))
                {
                    return;
                }
            }
        }

        private static void Deliver(JObject page, string itemsField, Action<JObject> onItem)
        {
            foreach (var item in AnswerFields.Objects(page, itemsField) ?? Array.Empty<JObject>())
            {
                onItem(item);
            }
        }

        private static int CountOf(JObject page, string itemsField) => page[itemsField] is JArray a ? a.Count : 0;

        /// <summary>Counts pages, items and time of one list against its limits.</summary>
        private sealed class Bounds
        {
            private readonly ServiceHttpClient _http;
            private readonly string _what;
            private readonly PagingLimits _limits;
            private readonly Stopwatch _clock = Stopwatch.StartNew();
            private long _items;
            private ServiceResponse? _last;

            public Bounds(ServiceHttpClient http, string what, PagingLimits limits)
            {
                _http = http;
                _what = what;
                _limits = limits;
            }

            public int Pages { get; private set; }

            public void BeforePage(string? resource)
            {
                if (_last == null)
                {
                    return;
                }

                if (Pages >= _limits.MaxPages)
                {
                    throw Endless(_last, string.Format(CultureInfo.InvariantCulture, "it still had more after {0:N0} pages ({1:N0} items), more than any real list", Pages, _items));
                }

                if (_clock.Elapsed > _limits.MaxDuration)
                {
                    throw Endless(_last, string.Format(CultureInfo.InvariantCulture, "it still had more after {0:0} minutes ({1:N0} pages, {2:N0} items)", _clock.Elapsed.TotalMinutes, Pages, _items));
                }
            }

            /// <summary>Before a page's items are handed on: a page that would take the list past the item bound ends it (and is not handed on).</summary>
            public void BeforeItems(ServiceResponse response, int count)
            {
                if (_items + count > _limits.MaxItems)
                {
                    throw Endless(response, string.Format(CultureInfo.InvariantCulture, "page {0:N0} would take it past {1:N0} items, more than any real list holds", Pages + 1, _limits.MaxItems));
                }
            }

            public void AfterPage(ServiceResponse response, int count)
            {
                _last = response;
                Pages++;
                _items += count;
            }

            public ServiceException Endless(ServiceResponse response, string why)
            {
                _http.Trace.Verbose("Listing " + _what + " stopped: " + why + ".");
                return new ServiceException(
                    _http.Cloud,
                    ErrorKind.EndlessPaging,
                    "Listing " + _what + " was stopped because " + _http.Cloud + " would not stop paging: " + why + ". Nothing more was requested."
                        + (AnswerReader.RequestId(response.Headers) is string id ? " (request id " + id + ")" : string.Empty),
                    response.Status,
                    requestId: AnswerReader.RequestId(response.Headers),
                    resource: response.Request?.Resource);
            }
        }
    }
}
