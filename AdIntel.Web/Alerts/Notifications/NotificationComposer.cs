using System.Globalization;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Options;
using AdIntel.Web.Infrastructure.Tenancy;
using AdIntel.Web.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Alerts.Notifications;

/// <summary>
/// Writes the messages from what is stored: an alert's title, message and figures with a link to it, the digest's list
/// of the day's alerts, or a test. Links use Auth:PublicUrl (none without it: a job has no request to take a host from).
/// </summary>
public sealed class NotificationComposer(AdIntelDbContext db, StoreContext store, StoreClock clock, TimeProvider time, IOptions<AuthOptions> auth)
{
    /// <summary>The alerts screen with every status shown, scrolled to the alert (its element id is <c>alert-{id}</c>).</summary>
    public const string AlertPath = "/alerts?status=all#alert-";
    private const int DigestLines = 20;

    public async Task<NotificationMessage?> ForAlertAsync(long alertId, CancellationToken cancellationToken)
    {
        var alert = await db.Alerts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == alertId, cancellationToken);
        if (alert is null)
        {
            return null;
        }
        var currency = (await clock.GetCalendarAsync(cancellationToken)).Currency;
        var evidence = AlertWriter.ReadEvidence(alert);
        var fields = evidence.Figures.Select(f => new NotificationField(f.Label, Format(f, currency))).ToList();
        if (evidence.WindowStart is { } from && evidence.WindowEnd is { } to)
        {
            fields.Add(new NotificationField("Window", from == to ? Day(from) : $"{Day(from)} – {Day(to)}"));
        }
        var title = alert.EntityName is null ? alert.Title : $"{alert.Title} ({alert.EntityName})";
        return new NotificationMessage(title, alert.Message, alert.Severity, fields, Link(AlertPath + alert.Id.ToString(CultureInfo.InvariantCulture)),
            new DateTimeOffset(alert.LastSeenAtUtc, TimeSpan.Zero), await FooterAsync(alert.Source, cancellationToken));
    }

    /// <summary>The alerts raised from <paramref name="fromUtc"/> to <paramref name="toUtc"/>, most severe first.</summary>
    public async Task<NotificationMessage> ForDigestAsync(DateTime fromUtc, DateTime toUtc, CancellationToken cancellationToken)
    {
        var alerts = await db.Alerts.AsNoTracking().Where(a => a.CreatedAtUtc >= fromUtc && a.CreatedAtUtc < toUtc)
            .Select(a => new { a.Severity, a.Title, a.Status, a.CreatedAtUtc }).ToListAsync(cancellationToken);
        var ordered = alerts.OrderByDescending(a => AlertSeverities.Rank(a.Severity)).ThenByDescending(a => a.CreatedAtUtc).ToList();
        var lines = ordered.Take(DigestLines).Select(a => $"• {NotificationMessage.SeverityLabel(a.Severity)}: {a.Title}" + (AlertStatuses.IsActive(a.Status) ? "" : $" ({a.Status})"));
        var body = ordered.Count == 0
            ? "No alerts were raised in the last 24 hours."
            : string.Join('\n', lines) + (ordered.Count > DigestLines ? $"\n…and {ordered.Count - DigestLines} more." : "");
        var fields = AlertSeverities.All.Reverse().Select(s => (Severity: s, Count: alerts.Count(a => a.Severity == s)))
            .Where(c => c.Count > 0).Select(c => new NotificationField(NotificationMessage.SeverityLabel(c.Severity), c.Count.ToString(CultureInfo.InvariantCulture))).ToList();
        var title = ordered.Count == 1 ? "Daily digest: 1 alert in the last 24 hours" : $"Daily digest: {ordered.Count} alerts in the last 24 hours";
        return new NotificationMessage(title, body, null, fields, Link("/alerts"), new DateTimeOffset(toUtc, TimeSpan.Zero), await FooterAsync(null, cancellationToken));
    }

    public async Task<NotificationMessage> ForTestAsync(NotificationChannel channel, CancellationToken cancellationToken) =>
        new("Test message from AdIntel",
            $"This {NotificationChannelKinds.Label(channel.Kind)} channel receives the store's alerts of {channel.MinimumSeverity} severity and above.",
            null, [], Link("/settings/notifications"), time.GetUtcNow(), await FooterAsync(null, cancellationToken));

    private async Task<string> FooterAsync(string? source, CancellationToken cancellationToken)
    {
        var storeId = store.RequiredStoreId;
        var name = await db.Stores.AsNoTracking().Where(s => s.Id == storeId).Select(s => s.Name).SingleAsync(cancellationToken);
        return source is null ? $"AdIntel · {name}" : $"AdIntel · {name} · source: {source}";
    }

    private string? Link(string path) => string.IsNullOrWhiteSpace(auth.Value.PublicUrl) ? null : auth.Value.PublicUrl.TrimEnd('/') + path;

    private static string Day(DateOnly day) => day.ToString("MMM d, yyyy", CultureInfo.InvariantCulture);

    /// <summary>A figure as the alerts screen reads: money in the store currency, percentages, ratios, counts, days.</summary>
    public static string Format(AlertFigure figure, string currency) => figure.Unit switch
    {
        "money" => figure.Value.ToString("N2", CultureInfo.InvariantCulture) + " " + currency,
        "percent" => figure.Value.ToString("0.#", CultureInfo.InvariantCulture) + " %",
        "ratio" => figure.Value.ToString("0.00", CultureInfo.InvariantCulture),
        "days" => figure.Value.ToString("0.#", CultureInfo.InvariantCulture) + " days",
        _ => figure.Value.ToString("#,0.##", CultureInfo.InvariantCulture),
    };
}
