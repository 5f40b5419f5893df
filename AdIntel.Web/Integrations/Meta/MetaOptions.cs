using System.ComponentModel.DataAnnotations;

namespace AdIntel.Web.Integrations.Meta;

/// <summary>The Meta app and the Graph API it talks to. Pointing at a fake is only a change of <see cref="GraphBaseUrl"/>.</summary>
public sealed class MetaOptions
{
    public const string SectionName = "Meta";

    [Required, Url]
    public string GraphBaseUrl { get; set; } = "https://graph.facebook.com";

    /// <summary>Where Facebook Login's consent dialog lives.</summary>
    [Required, Url]
    public string DialogBaseUrl { get; set; } = "https://www.facebook.com";

    /// <summary>Marketing API versions expire sooner than Graph versions; keep this current.</summary>
    [Required, RegularExpression(@"^v\d{2}\.0$", ErrorMessage = "Meta:ApiVersion must look like v25.0.")]
    public string ApiVersion { get; set; } = "v25.0";

    public string? AppId { get; set; }

    /// <summary>Signs every call (appsecret_proof). From user secrets or the environment, never from appsettings.json.</summary>
    public string? AppSecret { get; set; }

    /// <summary>
    /// The one action type purchases are counted from; Meta reports the same purchase under several
    /// (omni_purchase, purchase, offsite_conversion.fb_pixel_purchase), so summing them would double count.
    /// </summary>
    [Required]
    public string PurchaseActionType { get; set; } = "omni_purchase";

    [Range(0, 20)]
    public int MaxRetries { get; set; } = 6;

    /// <summary>First back-off after a throttled or transient answer; doubles on each retry (capped at 15 minutes).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(60);

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

    [Range(1, 500)]
    public int PageSize { get; set; } = 100;

    /// <summary>Usage (the highest share in Meta's usage headers) from which the client pauses between calls.</summary>
    [Range(50, 100)]
    public int SlowDownAtUsagePercent { get; set; } = 90;

    /// <summary>How often a running async report is polled.</summary>
    public TimeSpan ReportPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long an async report may run before the sync gives up (and retries on its next run).</summary>
    public TimeSpan ReportRunTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Days of insights fetched when an ad account is first connected (async report runs, 30 days each).</summary>
    [Range(1, 1100)]
    public int BackfillDays { get; set; } = 400;

    /// <summary>Days synced again on every incremental sync, because Meta restates recent conversions (up to 28 days).</summary>
    [Range(1, 90)]
    public int RestatementDays { get; set; } = 28;
}
