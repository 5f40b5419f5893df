using System.ComponentModel.DataAnnotations;

namespace AdIntel.Web.Integrations;

/// <summary><c>Integrations</c>: how often connected stores sync.</summary>
public sealed class IntegrationsOptions
{
    public const string SectionName = "Integrations";

    /// <summary>Minutes between a store's syncs of Shopify and Meta: a divisor of 60 (5, 10, 15, 20, 30), or whole hours up to a day.</summary>
    [Range(5, 1440)]
    public int SyncIntervalMinutes { get; set; } = 60;

    /// <summary>The Hangfire cron for <see cref="SyncIntervalMinutes"/>, or null when it cannot be one.</summary>
    public string? Cron() => SyncIntervalMinutes switch
    {
        < 60 when 60 % SyncIntervalMinutes == 0 => $"*/{SyncIntervalMinutes} * * * *",
        60 => "0 * * * *",
        1440 => "0 3 * * *",
        > 60 and < 1440 when SyncIntervalMinutes % 60 == 0 && 24 % (SyncIntervalMinutes / 60) == 0 => $"0 */{SyncIntervalMinutes / 60} * * *",
        _ => null,
    };
}
