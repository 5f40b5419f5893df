using System.Globalization;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Audit;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Metrics;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Alerts.Notifications;

/// <summary>A channel as the API and the page show it: never the webhook address, only its hint.</summary>
public sealed record NotificationChannelView(string Kind, bool Connected, bool Enabled, string MinimumSeverity, string? WebhookHint,
    IReadOnlyList<string> Recipients, string? DisabledReason, DateTime? ConnectedAt);

public sealed record QuietHoursView(bool Enabled, string Start, string End, string TimeZone);

public sealed record DigestView(bool Enabled, int Hour);

public sealed record NotificationSettingsView(IReadOnlyList<NotificationChannelView> Channels, QuietHoursView QuietHours, DigestView Digest);

/// <summary>A change of one channel; a missing field keeps its value. E-mail is "connected" by giving it recipients.</summary>
public sealed record NotificationChannelUpdate(string? Kind, bool? Enabled, string? MinimumSeverity, IReadOnlyList<string>? Recipients);

public sealed record QuietHoursUpdate(bool? Enabled, string? Start, string? End);

public sealed record DigestUpdate(bool? Enabled, int? Hour);

/// <summary>What a PUT changes; a missing section keeps its values.</summary>
public sealed record NotificationSettingsUpdate(IReadOnlyList<NotificationChannelUpdate>? Channels, QuietHoursUpdate? QuietHours, DigestUpdate? Digest);

/// <summary>One delivery as the log shows it.</summary>
public sealed record NotificationDeliveryView(long Id, string Channel, string Kind, long? AlertId, string? AlertTitle, string Status, int Attempts,
    string? LastError, DateTime CreatedAt, DateTime? NextAttemptAt, DateTime? SentAt);

/// <summary>
/// The one writer of a store's notification channels, quiet hours and digest, for the API and the settings page alike:
/// validates a change as a whole (nothing is saved when any part is wrong), records it in the audit log, and encrypts
/// webhook addresses. Works in the current store scope.
/// </summary>
public sealed class NotificationSettings(AdIntelDbContext db, WebhookAddresses addresses, AlertWriter alerts, StoreClock clock, IAuditLog audit, TimeProvider time)
{
    public const int MaxRecipients = 10;

    /// <summary>The condition of the alert raised when the channel's webhook is revoked.</summary>
    public static string RevokedConditionKey(string kind) => $"notification:channel_revoked:{kind}";

    public async Task<NotificationSettingsView> GetAsync(CancellationToken cancellationToken)
    {
        var channels = await db.NotificationChannels.AsNoTracking().ToListAsync(cancellationToken);
        var preferences = await db.NotificationPreferences.AsNoTracking().FirstOrDefaultAsync(cancellationToken) ?? new NotificationPreferences();
        var timeZone = (await clock.GetCalendarAsync(cancellationToken)).TimeZone.Id;
        return new NotificationSettingsView(
            NotificationChannelKinds.All.Select(kind => View(kind, channels.FirstOrDefault(c => c.Kind == kind))).ToList(),
            new QuietHoursView(preferences.QuietHoursEnabled, Clock(preferences.QuietHoursStart), Clock(preferences.QuietHoursEnd), timeZone),
            new DigestView(preferences.DigestEnabled, preferences.DigestHour));
    }

    public Task<NotificationChannel?> FindChannelAsync(string kind, CancellationToken cancellationToken) =>
        db.NotificationChannels.FirstOrDefaultAsync(c => c.Kind == kind, cancellationToken);

    /// <summary>Applies the change, or returns the problems by field (then nothing is saved).</summary>
    public async Task<Dictionary<string, string>> UpdateAsync(NotificationSettingsUpdate update, CancellationToken cancellationToken)
    {
        var problems = new Dictionary<string, string>();
        var now = time.GetUtcNow().UtcDateTime;
        var channels = await db.NotificationChannels.ToListAsync(cancellationToken);
        var changes = new List<string>();
        foreach (var (change, index) in (update.Channels ?? []).Select((c, i) => (c, i)))
        {
            var field = $"channels[{index}]";
            if (change.Kind is null || !NotificationChannelKinds.All.Contains(change.Kind))
            {
                problems[field + ".kind"] = "must be email, slack or discord";
                continue;
            }
            if (change.MinimumSeverity is not null && AlertSeverities.Rank(change.MinimumSeverity) < 0)
            {
                problems[field + ".minimumSeverity"] = "must be low, medium, high or critical";
            }
            var channel = channels.FirstOrDefault(c => c.Kind == change.Kind);
            if (change.Kind == NotificationChannelKinds.Email)
            {
                if (change.Recipients is { } list)
                {
                    if (RecipientsProblem(list) is { } problem)
                    {
                        problems[field + ".recipients"] = problem;
                        continue;
                    }
                    if (list.Count == 0)
                    {
                        // No recipients: the e-mail channel is removed.
                        if (channel is not null)
                        {
                            db.NotificationChannels.Remove(channel);
                            changes.Add("e-mail channel removed");
                        }
                        continue;
                    }
                    if (channel is null)
                    {
                        channel = new NotificationChannel { Kind = NotificationChannelKinds.Email, ConnectedAtUtc = now };
                        db.NotificationChannels.Add(channel);
                        channels.Add(channel);
                    }
                    channel.Recipients = string.Join(", ", list.Select(r => r.Trim()));
                }
            }
            if (channel is null)
            {
                problems[field] = change.Kind == NotificationChannelKinds.Email
                    ? "give the e-mail channel its recipients first"
                    : $"connect {NotificationChannelKinds.Label(change.Kind)} first (POST /api/settings/integrations/{change.Kind}/connect)";
                continue;
            }
            if (change.Enabled is { } enabled)
            {
                if (enabled && channel.DisabledReason is not null)
                {
                    problems[field + ".enabled"] = "the webhook was revoked; connect the channel again with a new webhook";
                    continue;
                }
                channel.Enabled = enabled;
            }
            if (change.MinimumSeverity is not null && AlertSeverities.Rank(change.MinimumSeverity) >= 0)
            {
                channel.MinimumSeverity = change.MinimumSeverity;
            }
            channel.UpdatedAtUtc = now;
            changes.Add($"{NotificationChannelKinds.Label(channel.Kind)}: {(channel.Enabled ? "on" : "off")}, {channel.MinimumSeverity} and above");
        }

        var preferences = await db.NotificationPreferences.FirstOrDefaultAsync(cancellationToken);
        if (update.QuietHours is not null || update.Digest is not null)
        {
            if (preferences is null)
            {
                preferences = new NotificationPreferences();
                db.NotificationPreferences.Add(preferences);
            }
            if (update.QuietHours is { } quiet)
            {
                var start = quiet.Start is null ? preferences.QuietHoursStart : ParseClock(quiet.Start);
                var end = quiet.End is null ? preferences.QuietHoursEnd : ParseClock(quiet.End);
                if (start is null) problems["quietHours.start"] = "must be a time like 22:00";
                if (end is null) problems["quietHours.end"] = "must be a time like 07:00";
                if (start is { } s && end is { } e)
                {
                    if (s == e && (quiet.Enabled ?? preferences.QuietHoursEnabled))
                    {
                        problems["quietHours.end"] = "must differ from the start";
                    }
                    preferences.QuietHoursStart = s;
                    preferences.QuietHoursEnd = e;
                }
                preferences.QuietHoursEnabled = quiet.Enabled ?? preferences.QuietHoursEnabled;
                changes.Add(preferences.QuietHoursEnabled ? $"quiet hours {Clock(preferences.QuietHoursStart)}–{Clock(preferences.QuietHoursEnd)}" : "quiet hours off");
            }
            if (update.Digest is { } digest)
            {
                if (digest.Hour is < 0 or > 23)
                {
                    problems["digest.hour"] = "must be an hour from 0 to 23";
                }
                else
                {
                    preferences.DigestHour = digest.Hour ?? preferences.DigestHour;
                }
                preferences.DigestEnabled = digest.Enabled ?? preferences.DigestEnabled;
                changes.Add(preferences.DigestEnabled ? $"daily digest at {preferences.DigestHour}:00" : "daily digest off");
            }
            preferences.UpdatedAtUtc = now;
        }
        if (problems.Count > 0)
        {
            db.ChangeTracker.Clear();
            return problems;
        }
        if (changes.Count > 0)
        {
            audit.Record(new AuditChange("notifications.updated", nameof(NotificationPreferences), null, "Notifications: " + string.Join("; ", changes)));
        }
        await db.SaveChangesAsync(cancellationToken);
        return problems;
    }

    /// <summary>Connects (or reconnects) a Slack or Discord webhook; returns the channel, or the problem with the address.</summary>
    public async Task<(NotificationChannelView? Channel, string? Problem)> ConnectWebhookAsync(string kind, string? webhookUrl,
        CancellationToken cancellationToken)
    {
        if (addresses.Problem(kind, webhookUrl) is { } problem)
        {
            return (null, problem);
        }
        var now = time.GetUtcNow().UtcDateTime;
        var channel = await FindChannelAsync(kind, cancellationToken);
        if (channel is null)
        {
            channel = new NotificationChannel { Kind = kind };
            db.NotificationChannels.Add(channel);
        }
        channel.EncryptedWebhookUrl = addresses.Protect(webhookUrl!);
        channel.WebhookHint = WebhookAddresses.Hint(webhookUrl!);
        channel.Enabled = true;
        channel.DisabledReason = null;
        channel.ConnectedAtUtc = now;
        channel.UpdatedAtUtc = now;
        audit.Record(new AuditChange("notifications.connected", nameof(NotificationChannel), kind,
            $"{NotificationChannelKinds.Label(kind)} webhook connected ({channel.WebhookHint})"));
        await db.SaveChangesAsync(cancellationToken);
        // A new webhook ends the "notifications stopped" alert of the revoked one.
        await alerts.ResolveAsync(RevokedConditionKey(kind), cancellationToken);
        return (View(kind, channel), null);
    }

    /// <summary>Removes the channel and its webhook; false when there was none.</summary>
    public async Task<bool> DisconnectAsync(string kind, CancellationToken cancellationToken)
    {
        var channel = await FindChannelAsync(kind, cancellationToken);
        if (channel is null)
        {
            return false;
        }
        db.NotificationChannels.Remove(channel);
        audit.Record(new AuditChange("notifications.disconnected", nameof(NotificationChannel), kind, $"{NotificationChannelKinds.Label(kind)} channel disconnected"));
        await db.SaveChangesAsync(cancellationToken);
        await alerts.ResolveAsync(RevokedConditionKey(kind), cancellationToken);
        return true;
    }

    /// <summary>The latest deliveries first.</summary>
    public async Task<IReadOnlyList<NotificationDeliveryView>> ListDeliveriesAsync(int limit, CancellationToken cancellationToken)
    {
        var rows = await db.NotificationDeliveries.AsNoTracking().OrderByDescending(d => d.Id).Take(limit)
            .GroupJoin(db.Alerts.AsNoTracking(), d => d.AlertId, a => a.Id, (d, a) => new { d, a })
            .SelectMany(x => x.a.DefaultIfEmpty(), (x, a) => new { x.d, Title = a == null ? null : a.Title })
            .ToListAsync(cancellationToken);
        return rows.OrderByDescending(r => r.d.Id).Select(r => new NotificationDeliveryView(r.d.Id, r.d.ChannelKind, r.d.Kind, r.d.AlertId, r.Title, r.d.Status,
            r.d.Attempts, r.d.LastError, r.d.CreatedAtUtc,
            r.d.Status is NotificationDeliveryStatuses.Retrying or NotificationDeliveryStatuses.Deferred ? r.d.NextAttemptAtUtc : null, r.d.SentAtUtc)).ToList();
    }

    public static IReadOnlyList<string> SplitRecipients(string? recipients) =>
        (recipients ?? "").Split([',', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string? RecipientsProblem(IReadOnlyList<string> recipients)
    {
        if (recipients.Count > MaxRecipients)
        {
            return $"at most {MaxRecipients} addresses";
        }
        var bad = recipients.FirstOrDefault(r => !System.Net.Mail.MailAddress.TryCreate(r.Trim(), out var address) || address.Address != r.Trim() || r.Length > 200);
        return bad is null ? null : $"'{bad}' is not an e-mail address";
    }

    private static NotificationChannelView View(string kind, NotificationChannel? channel) => channel is null
        ? new NotificationChannelView(kind, false, false, AlertSeverities.High, null, [], null, null)
        : new NotificationChannelView(kind, true, channel.Enabled, channel.MinimumSeverity, channel.WebhookHint, SplitRecipients(channel.Recipients),
            channel.DisabledReason, channel.ConnectedAtUtc);

    private static string Clock(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);

    private static TimeOnly? ParseClock(string value) =>
        TimeOnly.TryParseExact(value.Trim(), ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) ? parsed : null;
}
