namespace AdIntel.Web.Domain;

/// <summary>
/// The store's Meta dataset (pixel) as the last dataset-quality sync read it: its status, Event Match Quality and
/// deduplication figures for web Purchase events. One per store; none until a sync found a dataset.
/// </summary>
public sealed class TrackingDataset : IStoreOwned
{
    public long Id { get; set; }
    public long StoreId { get; set; }
    /// <summary>Meta's dataset (pixel) id.</summary>
    public required string DatasetId { get; set; }
    public required string Name { get; set; }
    /// <summary>When Meta last received any event for it.</summary>
    public DateTime? LastFiredAtUtc { get; set; }
    /// <summary>Meta reports the dataset unavailable (deleted or disabled).</summary>
    public bool IsUnavailable { get; set; }
    /// <summary>Purchase's composite Event Match Quality, 0–10; null when Meta does not score it.</summary>
    public decimal? MatchQuality { get; set; }
    /// <summary>Share (percent) of Purchase events carrying each customer-information key, as JSON {"email": 92.1, …}.</summary>
    public string MatchKeysJson { get; set; } = "{}";
    /// <summary>Server (Conversions API) Purchase events as a share of the browser's, percent.</summary>
    public decimal? EventCoveragePercent { get; set; }
    /// <summary>Share (percent) of browser and of server Purchase events carrying an event_id.</summary>
    public decimal? BrowserEventIdPercent { get; set; }
    public decimal? ServerEventIdPercent { get; set; }
    public DateTime SyncedAtUtc { get; set; }
    /// <summary>The code from Events Manager → Test events that test events are sent with; kept when the merchant gives one.</summary>
    public string? TestEventCode { get; set; }
}

/// <summary>The events tracking health reads, by Meta's standard event names.</summary>
public static class TrackingEventNames
{
    public const string Purchase = "Purchase";
}

/// <summary>One UTC day of one event's counts at Meta by source: the browser pixel and the Conversions API (server).</summary>
public sealed class TrackingEventDay : IStoreOwned
{
    public long Id { get; set; }
    public long StoreId { get; set; }
    public DateOnly Date { get; set; }
    public required string EventName { get; set; }
    public long BrowserCount { get; set; }
    public long ServerCount { get; set; }
}
