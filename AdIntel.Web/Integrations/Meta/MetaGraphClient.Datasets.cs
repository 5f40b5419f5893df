using System.Globalization;
using System.Text.Json;
using AdIntel.Web.Domain;

namespace AdIntel.Web.Integrations.Meta;

/// <summary>A dataset (Meta pixel) of an ad account, as <c>/act_{id}/adspixels</c> lists it.</summary>
public sealed record MetaDataset(string Id, string Name, DateTimeOffset? LastFiredTime, bool IsUnavailable);

/// <summary>One UTC day of an event's counts by source: the browser pixel and the Conversions API (server).</summary>
public sealed record MetaEventSourceDay(DateOnly Date, long Browser, long Server);

/// <summary>
/// The Dataset Quality API's figures for web Purchase events: Event Match Quality (0–10, null when Meta does not score
/// it), the share of events carrying each customer-information key, the server events' coverage of the browser's, and
/// the share of browser and server events carrying an event_id (what lets Meta merge the two).
/// </summary>
public sealed record MetaDatasetQuality(decimal? MatchQuality, IReadOnlyDictionary<string, decimal> MatchKeyCoverage, decimal? EventCoveragePercent,
    decimal? BrowserEventIdPercent, decimal? ServerEventIdPercent);

/// <summary>What Meta answered a Conversions API request: events received and the trace id, or its error.</summary>
public sealed record MetaCapiAnswer(int? EventsReceived, IReadOnlyList<string> Messages, string? TraceId, MetaGraphError? Error)
{
    public bool Accepted => Error is null;
}

public sealed partial class MetaGraphClient
{
    public const string PurchaseEvent = TrackingEventNames.Purchase;

    /// <summary>The ad account's datasets (pixels).</summary>
    public async Task<IReadOnlyList<MetaDataset>> GetDatasetsAsync(string accessToken, string accountId, CancellationToken cancellationToken)
    {
        var rows = await GetAllAsync(accessToken, $"act_{accountId}/adspixels", new() { ["fields"] = "id,name,last_fired_time,is_unavailable" }, cancellationToken);
        return [.. rows.Select(r => new MetaDataset(Text(r, "id") ?? "", Text(r, "name") ?? "",
            DateTimeOffset.TryParseExact(Text(r, "last_fired_time"), "yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture, DateTimeStyles.None, out var fired) ? fired : null,
            r.TryGetProperty("is_unavailable", out var unavailable) && unavailable.ValueKind == JsonValueKind.True))];
    }

    /// <summary>
    /// An event's counts by source (<c>/{dataset_id}/stats?aggregation=event_source</c>) from <paramref name="since"/>
    /// through <paramref name="until"/> (UTC days), summed per UTC day.
    /// </summary>
    public async Task<IReadOnlyList<MetaEventSourceDay>> GetEventSourceStatsAsync(string accessToken, string datasetId, string eventName,
        DateOnly since, DateOnly until, CancellationToken cancellationToken)
    {
        static string Unix(DateOnly day) =>
            new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var rows = await GetAllAsync(accessToken, $"{datasetId}/stats", new()
        {
            ["aggregation"] = "event_source",
            ["event"] = eventName,
            ["start_time"] = Unix(since),
            ["end_time"] = Unix(until.AddDays(1)),
        }, cancellationToken);
        var days = new SortedDictionary<DateOnly, (long Browser, long Server)>();
        foreach (var bucket in rows)
        {
            if (!DateTimeOffset.TryParseExact(Text(bucket, "start_time"), "yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start)
                || !bucket.TryGetProperty("data", out var sources) || sources.ValueKind != JsonValueKind.Array)
            {
                continue;
            }
            var day = DateOnly.FromDateTime(start.UtcDateTime);
            var (browser, server) = days.GetValueOrDefault(day);
            foreach (var source in sources.EnumerateArray())
            {
                var count = source.TryGetProperty("count", out var c) && c.TryGetInt64(out var n) ? n : 0;
                switch (Text(source, "value"))
                {
                    case "BROWSER":
                        browser += count;
                        break;
                    case "SERVER":
                        server += count;
                        break;
                }
            }
            days[day] = (browser, server);
        }
        return [.. days.Select(d => new MetaEventSourceDay(d.Key, d.Value.Browser, d.Value.Server))];
    }

    /// <summary>The Dataset Quality API (a top-level node: <c>/dataset_quality?dataset_id=</c>) for web Purchase events; null when Meta has none.</summary>
    public async Task<MetaDatasetQuality?> GetDatasetQualityAsync(string accessToken, string datasetId, CancellationToken cancellationToken)
    {
        using var document = await SendAsync(accessToken, HttpMethod.Get, Url(accessToken, "dataset_quality", new()
        {
            ["dataset_id"] = datasetId,
            ["fields"] = "web{event_name,event_match_quality{composite_score,match_key_feedback{identifier,coverage{percentage}}},event_coverage{percentage,goal_percentage},dedupe_key_feedback}",
        }), null, cancellationToken);
        if (!document.RootElement.TryGetProperty("web", out var web) || web.ValueKind != JsonValueKind.Array)
        {
            return null;
        }
        var purchase = web.EnumerateArray().FirstOrDefault(e => Text(e, "event_name") == PurchaseEvent);
        if (purchase.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        decimal? score = null;
        var keys = new Dictionary<string, decimal>();
        if (purchase.TryGetProperty("event_match_quality", out var quality) && quality.ValueKind == JsonValueKind.Object)
        {
            score = quality.TryGetProperty("composite_score", out var composite) && composite.TryGetDecimal(out var s) ? s : null;
            if (quality.TryGetProperty("match_key_feedback", out var feedback) && feedback.ValueKind == JsonValueKind.Array)
            {
                foreach (var key in feedback.EnumerateArray())
                {
                    if (Text(key, "identifier") is { } identifier && Percentage(key, "coverage") is { } share)
                    {
                        keys[identifier] = share;
                    }
                }
            }
        }
        decimal? browserIds = null, serverIds = null;
        if (purchase.TryGetProperty("dedupe_key_feedback", out var dedupe) && dedupe.ValueKind == JsonValueKind.Array)
        {
            var eventId = dedupe.EnumerateArray().FirstOrDefault(d => Text(d, "dedupe_key") == "event_id");
            if (eventId.ValueKind == JsonValueKind.Object)
            {
                browserIds = Percentage(eventId, "browser_events_with_dedupe_key");
                serverIds = Percentage(eventId, "server_events_with_dedupe_key");
            }
        }
        return new MetaDatasetQuality(score, keys, Percentage(purchase, "event_coverage"), browserIds, serverIds);

        static decimal? Percentage(JsonElement parent, string name) =>
            parent.TryGetProperty(name, out var node) && node.ValueKind == JsonValueKind.Object && node.TryGetProperty("percentage", out var p) && p.TryGetDecimal(out var v) ? v : null;
    }

    /// <summary>
    /// Sends Conversions API events (<c>POST /{dataset_id}/events</c>, <paramref name="eventsJson"/> the <c>data</c> array)
    /// and returns what Meta answered, its refusal included; throttling and transient failures are retried (the events'
    /// event_id lets Meta merge a resend).
    /// </summary>
    public async Task<MetaCapiAnswer> SendEventsAsync(string accessToken, string datasetId, string eventsJson, string? testEventCode, CancellationToken cancellationToken)
    {
        var form = new Dictionary<string, string> { ["data"] = eventsJson };
        if (!string.IsNullOrEmpty(testEventCode))
        {
            form["test_event_code"] = testEventCode;
        }
        try
        {
            using var document = await SendAsync(accessToken, HttpMethod.Post, Url(accessToken, $"{datasetId}/events", []), form, cancellationToken);
            var root = document.RootElement;
            var messages = root.TryGetProperty("messages", out var m) && m.ValueKind == JsonValueKind.Array
                ? m.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString()! : x.GetRawText()).ToList()
                : [];
            return new MetaCapiAnswer(root.TryGetProperty("events_received", out var received) && received.TryGetInt32(out var count) ? count : null,
                messages, Text(root, "fbtrace_id"), null);
        }
        catch (MetaApiException ex) when (ex.Error.Kind is MetaErrorKind.Permanent or MetaErrorKind.Permission)
        {
            return new MetaCapiAnswer(null, [], ex.Error.TraceId, ex.Error);
        }
    }
}
