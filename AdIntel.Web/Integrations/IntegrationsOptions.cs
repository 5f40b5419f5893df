using System.ComponentModel.DataAnnotations;

namespace AdIntel.Web.Integrations;

/// <summary><c>Integrations</c>: how often connected stores sync.</summary>
public sealed class IntegrationsOptions
{
    public const string SectionName = "Integrations";

    /// <summary>Minutes between a store's syncs of Shopify and Meta: a divisor of 60 (5, 10, 15, 20, 30), or whole hours up to a day.</summary>
    [Range(5, 1440)]
    public int SyncIntervalMinutes { get; set; } = 60;

    /// <summary>
    /// The Hangfire cron of one store's sync every <see cref="SyncIntervalMinutes"/>, or null when it cannot be one. Each
    /// store syncs <c>id mod interval</c> minutes (at most 59) into its interval, so the stores' syncs are spread over the
    /// interval instead of all falling due at the same minute.
    /// </summary>
    public string? Cron(long storeId)
    {
        var minute = storeId % Math.Min(SyncIntervalMinutes, 60);
        return SyncIntervalMinutes switch
        {
            < 60 when 60 % SyncIntervalMinutes == 0 => $"{minute}-59/{SyncIntervalMinutes} * * * *",
            60 => $"{minute} * * * *",
            1440 => $"{minute} 3 * * *",
            > 60 and < 1440 when SyncIntervalMinutes % 60 == 0 && 24 % (SyncIntervalMinutes / 60) == 0 => $"{minute} */{SyncIntervalMinutes / 60} * * *",
            _ => null,
        };
    }
}
