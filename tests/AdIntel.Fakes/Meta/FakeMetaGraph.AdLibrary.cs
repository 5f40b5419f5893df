using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AdIntel.Fakes.Meta;

/// <summary>
/// <c>GET /ads_archive</c>: <c>ad_reached_countries</c> (required; ISO codes or ALL), <c>search_terms</c> (every word
/// in the ad's text, case-insensitive) or <c>search_page_ids</c> (one required, at most 10), <c>ad_active_status</c>,
/// <c>ad_delivery_date_min/_max</c>, <c>fields</c>, cursor paging; Meta's errors: 100 for a bad parameter, 1 for a page
/// too large, 10/2332002 without identity confirmation, 613 when throttled.
/// </summary>
public static partial class FakeMetaGraph
{
    private static IResult AdLibrary(HttpContext context, string version, FakeMetaState state, TimeProvider time, string token, Func<string, string?> param)
    {
        state.AdLibraryCalls.Add(context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString()));
        if (state.ThrottleNextAdLibraryCalls > 0)
        {
            state.ThrottleNextAdLibraryCalls--;
            WriteUsage(context, 100, 0);
            return Error(400, 613, 1996, "(#613) Calls to this api have exceeded the rate limit.", transient: true);
        }
        if (state.AdLibraryAccessDenied)
        {
            return Error(400, 10, 2332002, "Application does not have permission for this action", transient: false,
                userTitle: "Authorization and login needed", userMessage: "To access the API, you'll need to confirm your identity and location at facebook.com/ID.");
        }
        if (!TryList(param("ad_reached_countries"), out var countries) || countries.Count == 0)
        {
            return Error(400, 100, null, "(#100) The parameter ad_reached_countries is required", transient: false);
        }
        for (var i = 0; i < countries.Count; i++)
        {
            if (countries[i] != "ALL" && !IsCountry(countries[i]))
            {
                return Error(400, 100, null, $"(#100) Param ad_reached_countries[{i}] must be one of {{ALL, AD, AE, AF, …}}", transient: false);
            }
        }
        var terms = param("search_terms");
        List<string> pageIds = [];
        if (param("search_page_ids") is { } pages && (!TryList(pages, out pageIds) || pageIds.Count > 10))
        {
            return Error(400, 100, null, "(#100) search_page_ids must be an array of at most 10 Page IDs", transient: false);
        }
        if (string.IsNullOrWhiteSpace(terms) && pageIds.Count == 0)
        {
            return Error(400, 100, null, "(#100) Either search_terms or search_page_ids must be provided", transient: false);
        }
        var status = param("ad_active_status") ?? "ACTIVE";
        if (status is not ("ACTIVE" or "INACTIVE" or "ALL"))
        {
            return Error(400, 100, null, "(#100) Param ad_active_status must be one of {ACTIVE, ALL, INACTIVE}", transient: false);
        }
        if (int.TryParse(param("limit"), NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit > 500)
        {
            return Error(500, 1, null, "Please reduce the amount of data you're asking for, then retry your request", transient: false);
        }
        DateOnly? min = DateOnly.TryParseExact(param("ad_delivery_date_min"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from) ? from : null;
        DateOnly? max = DateOnly.TryParseExact(param("ad_delivery_date_max"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var to) ? to : null;
        var words = (terms ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var fields = (param("fields") ?? "id").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
        var rows = state.ArchivedAds
            .Where(a => countries.Contains("ALL") || a.Countries.Intersect(countries).Any())
            .Where(a => pageIds.Count == 0 || pageIds.Contains(a.PageId))
            .Where(a => words.All(w => a.Bodies.Concat(a.LinkTitles).Any(t => t.Contains(w, StringComparison.OrdinalIgnoreCase))))
            .Where(a => status == "ALL" || (status == "ACTIVE") == (a.DeliveryStop is null))
            .Where(a => (min is null || (a.DeliveryStop ?? DateOnly.MaxValue) >= min) && (max is null || a.DeliveryStart <= max))
            .OrderByDescending(a => a.DeliveryStart).ThenBy(a => a.Id, StringComparer.Ordinal)
            .Select(a => ArchivedAdJson(a, fields, token))
            .ToList();
        return Page(context, version, rows);
    }

    private static JsonObject ArchivedAdJson(FakeArchivedAd ad, HashSet<string> fields, string token)
    {
        var all = new JsonObject
        {
            ["id"] = ad.Id,
            ["page_id"] = ad.PageId,
            ["page_name"] = ad.PageName,
            ["ad_creation_time"] = Day(ad.DeliveryStart.AddDays(-1)),
            ["ad_delivery_start_time"] = Day(ad.DeliveryStart),
            ["ad_creative_bodies"] = new JsonArray([.. ad.Bodies.Select(b => JsonValue.Create(b))]),
            ["ad_creative_link_titles"] = new JsonArray([.. ad.LinkTitles.Select(t => JsonValue.Create(t))]),
            ["ad_snapshot_url"] = $"https://www.facebook.com/ads/archive/render_ad/?id={ad.Id}&access_token={token}",
            ["publisher_platforms"] = new JsonArray([.. ad.Platforms.Select(p => JsonValue.Create(p))]),
            ["languages"] = new JsonArray([.. ad.Languages.Select(l => JsonValue.Create(l))]),
        };
        if (ad.DeliveryStop is { } stop)
        {
            all["ad_delivery_stop_time"] = Day(stop);
        }
        var row = new JsonObject();
        foreach (var (name, value) in all)
        {
            if (fields.Contains(name))
            {
                row[name] = value?.DeepClone();
            }
        }
        return row;

        static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    /// <summary>Meta takes arrays as JSON (<c>["DE","FR"]</c>) or comma-separated.</summary>
    private static bool TryList(string? value, out List<string> items)
    {
        items = [];
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }
        if (value.TrimStart().StartsWith('['))
        {
            try
            {
                items = JsonSerializer.Deserialize<List<string>>(value) ?? [];
                return true;
            }
            catch (JsonException)
            {
                return false;
            }
        }
        items = [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        return true;
    }

    private static bool IsCountry(string code)
    {
        if (code.Length != 2 || !code.All(char.IsAsciiLetterUpper))
        {
            return false;
        }
        try
        {
            return new RegionInfo(code).TwoLetterISORegionName == code;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
