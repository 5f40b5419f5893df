using System.Text.RegularExpressions;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Alerts.Notifications;

/// <summary>
/// Slack and Discord webhook addresses: checked against the providers' own addresses before anything is stored (so a
/// saved "webhook" cannot make the app post to any server), encrypted at rest, and shown only as a hint.
/// </summary>
public sealed partial class WebhookAddresses(IOptions<NotificationsOptions> options, IDataProtectionProvider protection)
{
    private readonly IDataProtector _protector = protection.CreateProtector("AdIntel.Notifications.Webhooks.v1");

    /// <summary>The problem with <paramref name="url"/> for a channel of <paramref name="kind"/>, or null when it is a webhook address of that provider.</summary>
    public string? Problem(string kind, string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return "Paste the webhook address.";
        }
        url = url.Trim();
        if (url.Length > 500 || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || !string.IsNullOrEmpty(uri.Query) && kind == NotificationChannelKinds.Slack)
        {
            return "That is not a webhook address.";
        }
        var o = options.Value;
        if (kind == NotificationChannelKinds.Slack)
        {
            return StartsWith(url, o.SlackWebhookBaseUrl) is { } rest && SlackPath().IsMatch(rest)
                ? null
                : $"A Slack incoming webhook address looks like {o.SlackWebhookBaseUrl}T…/B…/… (Slack: Apps → Incoming WebHooks → Add to Slack).";
        }
        return o.DiscordWebhookBaseUrls.Select(b => StartsWith(url, b)).FirstOrDefault(r => r is not null) is { } path && DiscordPath().IsMatch(path.Split('?')[0])
            ? null
            : $"A Discord webhook address looks like {o.DiscordWebhookBaseUrls[0]}123…/… (channel settings → Integrations → Webhooks → Copy Webhook URL).";
    }

    public string Protect(string url) => _protector.Protect(url.Trim());

    /// <summary>The address, or null when it cannot be decrypted any more (connect the channel again).</summary>
    public string? Unprotect(string? encrypted) => _protector.UnprotectOrNull(encrypted);

    /// <summary>The host and the last four characters: enough to recognise a webhook, useless to post to it.</summary>
    public static string Hint(string url)
    {
        var uri = new Uri(url.Trim());
        var path = uri.AbsolutePath.TrimEnd('/');
        return $"{uri.Host}/…{path[Math.Max(0, path.Length - 4)..]}";
    }

    private static string? StartsWith(string url, string baseUrl) =>
        url.StartsWith(baseUrl, StringComparison.OrdinalIgnoreCase) ? url[baseUrl.Length..] : null;

    [GeneratedRegex(@"^T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]+$")]
    private static partial Regex SlackPath();

    [GeneratedRegex(@"^[0-9]{5,25}/[A-Za-z0-9_\-]{10,100}$")]
    private static partial Regex DiscordPath();
}
