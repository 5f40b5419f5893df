namespace AdIntel.Web.Domain;

/// <summary>
/// A competitor the store watches in Meta's Ad Library: what to search (keywords or Facebook Page ids), where the ads
/// were delivered (ISO country codes, or ALL) and which ads (running only, or all). Its ads are read once a day by the
/// competitor-ads sync into <see cref="CompetitorAd"/>.
/// </summary>
public sealed class Competitor : IStoreOwned
{
    public long Id { get; set; }
    public long StoreId { get; set; }
    public required string Name { get; set; }
    /// <summary>Keywords matched on the ads' text (Meta's <c>search_terms</c>); each searched on its own.</summary>
    public List<string> SearchTerms { get; set; } = [];
    /// <summary>Facebook Page ids whose ads are listed (Meta's <c>search_page_ids</c>).</summary>
    public List<string> PageIds { get; set; } = [];
    /// <summary>Upper-case ISO 3166-1 alpha-2 codes, or the single value ALL (Meta's <c>ad_reached_countries</c>).</summary>
    public List<string> Countries { get; set; } = [];
    /// <summary>Meta's <c>ad_active_status</c>: <see cref="CompetitorAdStatuses"/>.</summary>
    public string AdStatus { get; set; } = CompetitorAdStatuses.Active;
    public DateTime CreatedAtUtc { get; set; }
    /// <summary>When its ads were last read completely; null until the first sync. Due again a day later.</summary>
    public DateTime? LastSyncedAtUtc { get; set; }
    /// <summary>Why Meta refused its search at the last attempt (e.g. a country it does not know); null after a success.</summary>
    public string? LastSyncError { get; set; }
}

/// <summary>Which of a competitor's ads are read: running ones, stopped ones, or both.</summary>
public static class CompetitorAdStatuses
{
    public const string Active = "ACTIVE";
    public const string Inactive = "INACTIVE";
    public const string All = "ALL";

    public static readonly IReadOnlyList<string> Values = [Active, Inactive, All];
}

/// <summary>One ad of a watched competitor as Meta's Ad Library shows it (an ArchivedAd), by its Library id.</summary>
public sealed class CompetitorAd : IStoreOwned
{
    public long Id { get; set; }
    public long StoreId { get; set; }
    public long CompetitorId { get; set; }
    /// <summary>The Ad Library id.</summary>
    public required string ArchiveId { get; set; }
    public string? PageId { get; set; }
    public string? PageName { get; set; }
    /// <summary>The primary texts, one per version or card.</summary>
    public List<string> Bodies { get; set; } = [];
    public List<string> LinkTitles { get; set; } = [];
    /// <summary>The Ad Library's rendering of the ad, without the access token Meta puts in it.</summary>
    public string? SnapshotUrl { get; set; }
    public DateOnly? DeliveryStart { get; set; }
    /// <summary>Null while the ad runs.</summary>
    public DateOnly? DeliveryStop { get; set; }
    /// <summary>Lower-case, as Meta lists them: facebook, instagram, messenger, audience_network, …</summary>
    public List<string> Platforms { get; set; } = [];
    /// <summary>ISO 639-1 codes.</summary>
    public List<string> Languages { get; set; } = [];
    public DateTime FirstSeenAtUtc { get; set; }
    public DateTime LastSeenAtUtc { get; set; }
}
