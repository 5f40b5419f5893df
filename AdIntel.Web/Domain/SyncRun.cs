namespace AdIntel.Web.Domain;

/// <summary>One sync of one connection: what kind, how far it got (the live progress Settings → Integrations polls), how it ended.</summary>
public sealed class SyncRun : IRecordedRun
{
    public long Id { get; set; }
    public long StoreId { get; set; }
    public long ConnectionId { get; set; }
    /// <summary>Which sync ran: its <c>IIntegrationSync.Name</c> (shopify, meta, …). At most one runs per connection and sync.</summary>
    public required string Sync { get; set; }
    /// <summary>backfill or incremental.</summary>
    public required string Kind { get; set; }
    /// <summary>See <see cref="RunStatuses"/>.</summary>
    public string Status { get; set; } = RunStatuses.Running;
    /// <summary>What it is doing now, in words ("Downloading orders (bulk)", "Insights 2026-10-01…").</summary>
    public string Phase { get; set; } = "";
    public long Processed { get; set; }
    /// <summary>Expected total when known (progress bar); null when unknown.</summary>
    public long? Total { get; set; }
    public DateTime StartedAtUtc { get; set; }
    public DateTime HeartbeatAtUtc { get; set; }
    public DateTime? FinishedAtUtc { get; set; }
    public string? Error { get; set; }
}
