namespace AdIntel.Web.Domain;

/// <summary>
/// A report e-mailed as an attachment every week (Mondays, covering the previous Monday–Sunday) or every month (the
/// 1st, covering the previous calendar month), in the store's time zone. A Hangfire recurring job per row sends it.
/// </summary>
public sealed class ScheduledReport : IStoreOwned
{
    public long Id { get; set; }
    public long StoreId { get; set; }
    /// <summary>summary, creative, benchmarks or cohorts.</summary>
    public required string Report { get; set; }
    /// <summary>csv, xlsx or pdf.</summary>
    public required string Format { get; set; }
    /// <summary>weekly or monthly.</summary>
    public required string Frequency { get; set; }
    public required string Recipient { get; set; }
    /// <summary>Who set it up (the actor's display name at the time).</summary>
    public required string CreatedBy { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime? LastSentAtUtc { get; set; }
    /// <summary>Why the last attempt failed (SMTP refused, no SMTP configured…); null after a successful send.</summary>
    public string? LastError { get; set; }
}
