namespace AdIntel.Web.Domain;

/// <summary>A CSV import: what was read, what changed, and the errors per line.</summary>
public sealed class ImportRun : IStoreOwned
{
    public long Id { get; set; }
    public long StoreId { get; set; }
    /// <summary>shopify-orders or meta-ads.</summary>
    public required string Kind { get; set; }
    public required string FileName { get; set; }
    public long FileBytes { get; set; }
    /// <summary>queued, running, succeeded, failed or interrupted (see <see cref="ImportRunStatuses"/>).</summary>
    public string Status { get; set; } = ImportRunStatuses.Queued;
    public int RowsRead { get; set; }
    /// <summary>0–100 while running.</summary>
    public int ProgressPercent { get; set; }
    /// <summary>The import response's data object as JSON.</summary>
    public string ResultJson { get; set; } = "{}";
    public DateTime StartedAtUtc { get; set; }
    public DateTime? FinishedAtUtc { get; set; }
}

/// <summary>The states of an <see cref="ImportRun"/>.</summary>
public static class ImportRunStatuses
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    /// <summary>Cut off by a stop of the app (crash, kill, restart); marked so at the next start.</summary>
    public const string Interrupted = "interrupted";

    public static bool IsFinished(string status) => status is Succeeded or Failed or Interrupted;
}
