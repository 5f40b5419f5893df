using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AdIntel.Fakes.Meta;

/// <summary>
/// A Meta dataset (pixel) as the fake holds it: its fields, the events received per day from the browser pixel and the
/// Conversions API, its Event Match Quality, and every Conversions API request received. Tests set scenarios with the
/// methods below.
/// </summary>
public sealed class FakeDataset
{
    public required string Id { get; init; }
    public required string AccountId { get; init; }
    public required string Name { get; set; }
    public DateTimeOffset CreationTime { get; init; }
    public DateTimeOffset? LastFiredTime { get; set; }
    public bool IsUnavailable { get; set; }
    /// <summary>Events received per UTC day and event name: browser (pixel) and server (Conversions API) counts.</summary>
    public Dictionary<(DateOnly Date, string EventName), FakeEventCounts> Days { get; } = [];
    /// <summary>Purchase's composite Event Match Quality (0–10); null when Meta has too few events to score.</summary>
    public decimal? MatchQuality { get; set; } = 7.8m;
    /// <summary>Share of Purchase events carrying each customer-information key (Meta's identifiers: email, phone, external_id, …).</summary>
    public Dictionary<string, decimal> MatchKeyCoverage { get; } = new()
    {
        ["email"] = 94.0m, ["phone"] = 71.0m, ["external_id"] = 88.0m, ["client_ip_address"] = 99.0m, ["client_user_agent"] = 99.0m,
        ["fbp"] = 82.0m, ["fbc"] = 62.0m,
    };
    /// <summary>Share of browser and of server Purchase events that carry an event_id (what lets Meta merge the two).</summary>
    public decimal BrowserEventIdPercent { get; set; } = 97.0m;
    public decimal ServerEventIdPercent { get; set; } = 98.0m;
    /// <summary>Conversions API events received for real (counted in the stats).</summary>
    public List<JsonObject> ReceivedEvents { get; } = [];
    /// <summary>Conversions API events received with a test_event_code (Events Manager's Test events tab; not counted).</summary>
    public List<(string TestEventCode, JsonObject Event)> TestEvents { get; } = [];

    public FakeEventCounts On(DateOnly date, string eventName = "Purchase")
    {
        if (!Days.TryGetValue((date, eventName), out var counts))
        {
            Days[(date, eventName)] = counts = new FakeEventCounts();
        }
        return counts;
    }

    /// <summary>Scenario: the Conversions API stopped sending purchases from <paramref name="since"/> (the pixel goes on).</summary>
    public void ServerPurchasesMissingSince(DateOnly since)
    {
        foreach (var ((date, name), counts) in Days)
        {
            if (name == "Purchase" && date >= since)
            {
                counts.Server = 0;
            }
        }
    }

    /// <summary>Scenario: nothing arrives any more from <paramref name="since"/> (pixel removed from the theme, say).</summary>
    public void SilentSince(DateOnly since)
    {
        foreach (var ((date, _), counts) in Days)
        {
            if (date >= since)
            {
                counts.Browser = counts.Server = 0;
            }
        }
        LastFiredTime = new DateTimeOffset(since.AddDays(-1).ToDateTime(new TimeOnly(23, 0)), TimeSpan.Zero);
    }

    /// <summary>Scenario: poor customer information: a low score and the given keys rarely sent.</summary>
    public void LowMatchQuality(decimal score, params string[] rareKeys)
    {
        MatchQuality = score;
        foreach (var key in rareKeys)
        {
            MatchKeyCoverage[key] = 3.0m;
        }
    }

    /// <summary>Scenario: the server sends purchases without event_id, so browser and server purchases are counted twice.</summary>
    public void DuplicatesWithoutEventId()
    {
        ServerEventIdPercent = 0;
    }
}

public sealed class FakeEventCounts
{
    public long Browser { get; set; }
    public long Server { get; set; }
}

/// <summary>
/// The dataset endpoints of the fake Graph API: <c>GET /act_{id}/adspixels</c>, <c>GET /{dataset_id}</c>,
/// <c>GET /{dataset_id}/stats?aggregation=event_source&amp;event=…</c>, the top-level <c>GET /dataset_quality</c>, and the
/// Conversions API's <c>POST /{dataset_id}/events</c> with Meta's validation (whole batch refused for one event older
/// than 7 days, at most 1000 events, customer information hashed as 64 hex characters, website events with
/// user agent and source URL), <c>test_event_code</c>, and deduplication on event name + event_id within 48 hours.
/// </summary>
public static partial class FakeMetaDatasets
{
    private static readonly string[] HashedKeys = ["em", "ph", "fn", "ln", "ge", "db", "ct", "st", "zp", "country"];
    private static readonly string[] CustomerKeys = [.. HashedKeys, "external_id", "client_ip_address", "fbp", "fbc", "fb_login_id", "lead_id"];
    private static readonly string[] ActionSources = ["email", "website", "app", "phone_call", "chat", "physical_store", "system_generated", "business_messaging", "other"];

    public static FakeDataset? Find(FakeMetaState state, string id) => state.Datasets.FirstOrDefault(d => d.Id == id);

    public static JsonObject Fields(FakeDataset dataset, string? fields)
    {
        var all = new JsonObject
        {
            ["id"] = dataset.Id,
            ["name"] = dataset.Name,
            ["creation_time"] = Time(dataset.CreationTime),
            ["is_unavailable"] = dataset.IsUnavailable,
        };
        if (dataset.LastFiredTime is { } fired)
        {
            all["last_fired_time"] = Time(fired);
        }
        var wanted = fields?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet() ?? ["id", "name"];
        var result = new JsonObject();
        foreach (var (name, value) in all)
        {
            if (name == "id" || wanted.Contains(name))
            {
                result[name] = value?.DeepClone();
            }
        }
        return result;
    }

    /// <summary>
    /// Counts by source per day between <c>start_time</c> and <c>end_time</c> (unix seconds): one bucket per UTC day with
    /// BROWSER and SERVER counts, as Meta's <c>aggregation=event_source</c> (which answers hourly; the fake sums to days).
    /// </summary>
    public static List<JsonObject> Stats(FakeDataset dataset, Func<string, string?> param, out string? problem)
    {
        problem = null;
        if (param("aggregation") != "event_source")
        {
            problem = "(#100) The fake serves aggregation=event_source only.";
            return [];
        }
        var eventName = param("event") ?? "Purchase";
        if (!long.TryParse(param("start_time"), NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            || !long.TryParse(param("end_time"), NumberStyles.None, CultureInfo.InvariantCulture, out var end) || end <= start)
        {
            problem = "(#100) start_time and end_time must be unix times, start before end.";
            return [];
        }
        var from = DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeSeconds(start).UtcDateTime);
        var to = DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeSeconds(end - 1).UtcDateTime);
        return dataset.Days
            .Where(d => d.Key.EventName == eventName && d.Key.Date >= from && d.Key.Date <= to && (d.Value.Browser > 0 || d.Value.Server > 0))
            .OrderBy(d => d.Key.Date)
            .Select(d =>
            {
                var sources = new JsonArray();
                if (d.Value.Browser > 0)
                {
                    sources.Add(new JsonObject { ["value"] = "BROWSER", ["count"] = d.Value.Browser });
                }
                if (d.Value.Server > 0)
                {
                    sources.Add(new JsonObject { ["value"] = "SERVER", ["count"] = d.Value.Server });
                }
                return new JsonObject
                {
                    ["start_time"] = Time(new DateTimeOffset(d.Key.Date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)),
                    ["aggregation"] = "event_source",
                    ["data"] = sources,
                };
            })
            .ToList();
    }

    /// <summary>The Dataset Quality API's answer for the dataset's web Purchase events.</summary>
    public static JsonObject Quality(FakeDataset dataset)
    {
        var purchase = new JsonObject { ["event_name"] = "Purchase" };
        var quality = new JsonObject
        {
            ["match_key_feedback"] = new JsonArray([.. dataset.MatchKeyCoverage.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k =>
                (JsonNode)new JsonObject { ["identifier"] = k.Key, ["coverage"] = new JsonObject { ["percentage"] = k.Value } })]),
        };
        if (dataset.MatchQuality is { } score)
        {
            quality["composite_score"] = score;
        }
        purchase["event_match_quality"] = quality;
        var browser = dataset.Days.Where(d => d.Key.EventName == "Purchase").Sum(d => d.Value.Browser);
        var server = dataset.Days.Where(d => d.Key.EventName == "Purchase").Sum(d => d.Value.Server);
        purchase["event_coverage"] = new JsonObject
        {
            ["percentage"] = browser == 0 ? 0 : Math.Round(Math.Min(100m, 100m * server / browser), 1),
            ["goal_percentage"] = 75,
        };
        purchase["dedupe_key_feedback"] = new JsonArray(new JsonObject
        {
            ["dedupe_key"] = "event_id",
            ["browser_events_with_dedupe_key"] = new JsonObject { ["percentage"] = dataset.BrowserEventIdPercent },
            ["server_events_with_dedupe_key"] = new JsonObject { ["percentage"] = dataset.ServerEventIdPercent },
        });
        return new JsonObject { ["web"] = new JsonArray(purchase) };
    }

    /// <summary>Receives a Conversions API request; returns Meta's answer, or an error (code, subcode, title, message) for the whole batch.</summary>
    public static (JsonObject? Answer, FakeCapiError? Error) ReceiveEvents(FakeDataset dataset, string? dataJson, string? testEventCode, DateTimeOffset now)
    {
        JsonArray events;
        try
        {
            events = dataJson is null ? [] : JsonNode.Parse(dataJson) as JsonArray ?? [];
        }
        catch (JsonException)
        {
            return (null, new(100, null, "Invalid parameter", "(#100) param data must be an array."));
        }
        if (events.Count == 0)
        {
            return (null, new(100, null, "Invalid parameter", "(#100) The parameter data is required"));
        }
        if (events.Count > 1000)
        {
            return (null, new(100, 2804025, "Too many events", "(#100) A request may hold at most 1000 events."));
        }
        for (var i = 0; i < events.Count; i++)
        {
            if (Invalid(events[i] as JsonObject, now) is { } problem)
            {
                return (null, problem with { Message = $"(#100) Event {i}: {problem.Message}" });
            }
        }
        foreach (var item in events)
        {
            var e = (JsonObject)item!.DeepClone();
            if (testEventCode is not null)
            {
                dataset.TestEvents.Add((testEventCode, e));
                continue;
            }
            var name = e["event_name"]!.GetValue<string>();
            var time = DateTimeOffset.FromUnixTimeSeconds(e["event_time"]!.GetValue<long>());
            var eventId = e["event_id"]?.GetValue<string>();
            // Meta merges an event with one of the same name and event_id received within 48 hours.
            var duplicate = eventId is not null && dataset.ReceivedEvents.Any(r => r["event_name"]!.GetValue<string>() == name
                && r["event_id"]?.GetValue<string>() == eventId
                && Math.Abs(r["event_time"]!.GetValue<long>() - time.ToUnixTimeSeconds()) <= 48 * 3600);
            dataset.ReceivedEvents.Add(e);
            if (!duplicate)
            {
                dataset.On(DateOnly.FromDateTime(time.UtcDateTime), name).Server++;
            }
            dataset.LastFiredTime = now;
        }
        return (new JsonObject
        {
            ["events_received"] = events.Count,
            ["messages"] = new JsonArray(),
            ["fbtrace_id"] = "Afake" + Guid.NewGuid().ToString("N")[..12],
        }, null);
    }

    private static FakeCapiError? Invalid(JsonObject? e, DateTimeOffset now)
    {
        if (e is null)
        {
            return new(100, null, "Invalid parameter", "each event must be an object.");
        }
        if (e["event_name"] is not JsonValue name || !name.TryGetValue<string>(out var eventName) || eventName.Length == 0)
        {
            return new(100, null, "Missing event name", "event_name is required.");
        }
        if (e["event_time"] is not JsonValue t || !t.TryGetValue<long>(out var eventTime))
        {
            return new(100, null, "Missing event time", "event_time must be a unix time in seconds.");
        }
        if (eventTime < now.AddDays(-7).ToUnixTimeSeconds())
        {
            return new(100, 2804003, "Event Timestamp Too Old",
                "The timestamp for this event is older than 7 days. Please check whether the timestamp is sent in seconds and within 7 days.");
        }
        if (eventTime > now.AddMinutes(10).ToUnixTimeSeconds())
        {
            return new(100, 2804004, "Event Timestamp In The Future", "event_time is in the future.");
        }
        if (e["action_source"]?.GetValue<string>() is not { } source || !ActionSources.Contains(source))
        {
            return new(100, 2804050, "Invalid action_source", "action_source is required: email, website, app, phone_call, chat, physical_store, system_generated, business_messaging or other.");
        }
        if (e["user_data"] is not JsonObject user || !CustomerKeys.Any(user.ContainsKey))
        {
            return new(100, 2804019, "Missing customer information", "user_data must hold at least one customer information parameter.");
        }
        if (source == "website" && (user["client_user_agent"] is null || e["event_source_url"] is null))
        {
            return new(100, 2804049, "Missing website parameters", "website events need user_data.client_user_agent and event_source_url.");
        }
        foreach (var key in HashedKeys)
        {
            if (user[key] is not { } value)
            {
                continue;
            }
            var values = value is JsonArray array ? array.Select(v => v?.GetValue<string>()).ToList() : [value.GetValue<string>()];
            if (values.Any(v => v is null || !Sha256Hex().IsMatch(v)))
            {
                return new(100, 2804020, "Unhashed customer information", $"user_data.{key} must be SHA-256 hashed (64 lowercase hex characters).");
            }
        }
        if (e["custom_data"] is JsonObject custom && custom["value"] is { } v && v.GetValueKind() != JsonValueKind.Number)
        {
            return new(100, null, "Invalid value", "custom_data.value must be a number.");
        }
        return null;
    }

    private static string Time(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss+0000", CultureInfo.InvariantCulture);

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Hex();
}

public sealed record FakeCapiError(int Code, int? Subcode, string Title, string Message);
