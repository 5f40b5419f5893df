namespace AdIntel.Web.Domain;

/// <summary>A CSV import: what was read, what changed, and the errors per line.</summary>
public sealed class ImportRun : IRecordedRun
{
    public long Id { get; set; }
    public long StoreId { get; set; }
    /// <summary>shopify-orders or meta-ads.</summary>
    public required string Kind { get; set; }
    public required string FileName { get; set; }
    public long FileBytes { get; set; }
    /// <summary>queued, running, succeeded, failed, cancelled or interrupted (see <see cref="RunStatuses"/>).</summary>
    public string Status { get; set; } = RunStatuses.Queued;
    public int RowsRead { get; set; }
    /// <summary>0–100 while running.</summary>
    public int ProgressPercent { get; set; }
    /// <summary>
    /// The import response's data object as JSON; for a file that was not imported, the API's error object and the
    /// HTTP status that goes with it (<c>{"error": {...}, "status": 422}</c>).
    /// </summary>
    public string ResultJson { get; set; } = "{}";
    /// <summary>
    /// The name of the stored upload (<see cref="ImportUploadChunk.UploadName"/>) while the run waits or runs; null once it is deleted.
    /// </summary>
    public string? UploadName { get; set; }
    public DateTime StartedAtUtc { get; set; }
    public DateTime HeartbeatAtUtc { get; set; }
    public DateTime? FinishedAtUtc { get; set; }
}
