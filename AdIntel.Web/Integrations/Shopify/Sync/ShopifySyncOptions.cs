namespace AdIntel.Web.Integrations.Shopify.Sync;

/// <summary>How the Shopify sync paces itself (configuration section <c>Shopify:Sync</c>). The defaults suit the real Shopify.</summary>
public sealed class ShopifySyncOptions
{
    public const string SectionName = "Shopify:Sync";

    /// <summary>One attempt of one Admin API call may take this long before it counts as failed and is retried.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts per call for transient failures (5xx, 429, timeouts, malformed answers); throttling waits do not count.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>First back-off after a transient failure; doubles per attempt, up to <see cref="MaxBackOff"/>.</summary>
    public TimeSpan FirstBackOff { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxBackOff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a running bulk operation is polled.</summary>
    public TimeSpan BulkPollInterval { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>A bulk operation still running after this long is given up (the next sync starts or adopts another).</summary>
    public TimeSpan BulkTimeout { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Orders written per transaction (with the checkpoint and the progress shown in Settings).</summary>
    public int BatchSize { get; set; } = 2500;

    /// <summary>An incremental sync with more changed orders than this reads them with a bulk operation instead of pages.</summary>
    public int IncrementalBulkThreshold { get; set; } = 2000;

    /// <summary>Incremental syncs read again from this long before the high-water mark (clock skew, same-second updates).</summary>
    public TimeSpan Overlap { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>An access token expiring within this window is refreshed before use.</summary>
    public TimeSpan RefreshAhead { get; set; } = TimeSpan.FromMinutes(5);
}
