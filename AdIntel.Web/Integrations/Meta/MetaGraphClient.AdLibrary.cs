using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace AdIntel.Web.Integrations.Meta;

/// <summary>
/// One Ad Library search: <paramref name="SearchTerms"/> (matched on the ads' text) or <paramref name="PageIds"/>
/// (at most 10), the countries the ads reached (ISO codes or ALL), <c>ACTIVE</c>/<c>INACTIVE</c>/<c>ALL</c>, and
/// optionally the first delivery day to include.
/// </summary>
public sealed record MetaAdLibrarySearch(string? SearchTerms, IReadOnlyList<string> PageIds, IReadOnlyList<string> Countries, string ActiveStatus,
    DateOnly? DeliveredSince);

/// <summary>An ad as Meta's Ad Library lists it (an ArchivedAd); the snapshot URL without its access token.</summary>
public sealed record MetaArchivedAd(string Id, string? PageId, string? PageName, IReadOnlyList<string> Bodies, IReadOnlyList<string> LinkTitles,
    string? SnapshotUrl, DateOnly? DeliveryStart, DateOnly? DeliveryStop, IReadOnlyList<string> Platforms, IReadOnlyList<string> Languages);

public sealed partial class MetaGraphClient
{
    /// <summary>The most ads one search reads: Meta fails deep paging, and a competitor's recent ads are what matter.</summary>
    public const int MaxArchivedAdsPerSearch = 2000;

    private const string ArchivedAdFields =
        "id,page_id,page_name,ad_creative_bodies,ad_creative_link_titles,ad_snapshot_url,ad_delivery_start_time,ad_delivery_stop_time,publisher_platforms,languages";

    /// <summary>
    /// Searches Meta's Ad Library (<c>GET /ads_archive</c>, every ad type), following its pages like every list, with
    /// the same retries of throttled and transient answers.
    /// </summary>
    public async Task<IReadOnlyList<MetaArchivedAd>> SearchAdLibraryAsync(string accessToken, MetaAdLibrarySearch search, CancellationToken cancellationToken)
    {
        var query = new Dictionary<string, string?>
        {
            ["ad_reached_countries"] = JsonSerializer.Serialize(search.Countries),
            ["ad_active_status"] = search.ActiveStatus,
            ["ad_type"] = "ALL",
            ["fields"] = ArchivedAdFields,
        };
        if (!string.IsNullOrWhiteSpace(search.SearchTerms))
        {
            query["search_terms"] = search.SearchTerms;
        }
        if (search.PageIds.Count > 0)
        {
            query["search_page_ids"] = JsonSerializer.Serialize(search.PageIds);
        }
        if (search.DeliveredSince is { } since)
        {
            query["ad_delivery_date_min"] = since.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }
        var rows = await GetAllAsync(accessToken, "ads_archive", query, cancellationToken, MaxArchivedAdsPerSearch);
        return [.. rows.Select(ParseArchivedAd)];
    }

    private static MetaArchivedAd ParseArchivedAd(JsonElement row) => new(
        Text(row, "id") ?? "", Text(row, "page_id"), Text(row, "page_name"), Texts(row, "ad_creative_bodies"), Texts(row, "ad_creative_link_titles"),
        WithoutAccessToken(Text(row, "ad_snapshot_url")), Day(row, "ad_delivery_start_time"), Day(row, "ad_delivery_stop_time"),
        Texts(row, "publisher_platforms"), Texts(row, "languages"));

    /// <summary>Meta embeds the caller's token in the snapshot URL: a secret, so it is dropped before anything keeps or shows the URL.</summary>
    private static string? WithoutAccessToken(string? url)
    {
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return null;
        }
        var kept = QueryHelpers.ParseQuery(uri.Query).Where(q => q.Key != "access_token").ToDictionary(q => q.Key, q => (string?)q.Value.ToString());
        return QueryHelpers.AddQueryString(uri.GetLeftPart(UriPartial.Path), kept);
    }

    private static DateOnly? Day(JsonElement element, string name) =>
        Text(element, name) is { Length: >= 10 } text && DateOnly.TryParseExact(text[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day : null;

    private static List<string> Texts(JsonElement element, string name) =>
        element.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array
            ? [.. list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)]
            : [];
}
