namespace AdIntel.Web.Domain;

/// <summary>One sync of one connection: what kind, how far it got (the live progress Settings → Integrations polls), how it ended.</summary>
public sealed class SyncRun : IStoreOwned
{
    public long Id { get; set; }
    public long StoreId { get; set; }
    public long ConnectionId { get; set; }
    public required string Provider { get; set; }
    /// <summary>backfill, incremental or restatement (Meta's last 28 days again).</summary>
    public required string Kind { get; set; }
    /// <summary>running, succeeded, failed, cancelled or interrupted (see <see cref="SyncRunStatuses"/>).</summary>
    public string Status { get; set; } = SyncRunStatuses.Running;
    /// <summary>What it is doing now, in words ("Downloading orders (bulk)", "Insights 2026-10-01…").</summary>
    public string Phase { get; set; } = "";
    public long Processed { get; set; }
    /// <summary>Expected total when known (progress bar); null when unknown.</summary>
    public long? Total { get; set; }
    public DateTime StartedAtUtc { get; set; }
    public DateTime? FinishedAtUtc { get; set; }
    public string? Error { get; set; }
}

public static class SyncRunStatuses
{
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
    /// <summary>Cut off by a stop of the app (crash, kill, restart); marked so at the next start.</summary>
    public const string Interrupted = "interrupted";
}
