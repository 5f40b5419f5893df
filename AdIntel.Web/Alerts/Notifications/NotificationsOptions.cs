using System.ComponentModel.DataAnnotations;

namespace AdIntel.Web.Alerts.Notifications;

/// <summary>
/// Where webhook addresses may point and how deliveries are retried. Pointing at fakes is only a change of the base
/// addresses (tests use <c>http://127.0.0.1:…</c>).
/// </summary>
public sealed class NotificationsOptions : IValidatableObject
{
    public const string SectionName = "Notifications";

    /// <summary>A Slack webhook address must start with this (Slack's incoming webhooks).</summary>
    [Required]
    public string SlackWebhookBaseUrl { get; set; } = "https://hooks.slack.com/services/";

    /// <summary>A Discord webhook address must start with one of these (Discord answers under both hosts).</summary>
    [Required, MinLength(1)]
    public string[] DiscordWebhookBaseUrls { get; set; } = ["https://discord.com/api/webhooks/", "https://discordapp.com/api/webhooks/"];

    /// <summary>Attempts per message before it is marked failed.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 6;

    /// <summary>The wait after the first failure without a Retry-After; doubles on each retry up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Every address a webhook may start with.</summary>
    public IEnumerable<string> AllBaseUrls => DiscordWebhookBaseUrls.Prepend(SlackWebhookBaseUrl);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var value in AllBaseUrls)
        {
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || !value.EndsWith('/'))
            {
                yield return new ValidationResult($"Notifications:SlackWebhookBaseUrl and Notifications:DiscordWebhookBaseUrls must be absolute http(s) addresses ending in '/' ('{value}' is not).");
            }
        }
        if (RetryBaseDelay <= TimeSpan.Zero || MaxRetryDelay < RetryBaseDelay)
        {
            yield return new ValidationResult("Notifications:RetryBaseDelay must be positive and at most Notifications:MaxRetryDelay.");
        }
    }
}
