using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Jobs;
using AdIntel.Web.Metrics;
using Hangfire;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Alerts.Notifications;

/// <summary>
/// Records what must be sent (the delivery log's rows) and hands each row to a Hangfire job: an alert to every enabled
/// channel whose minimum severity it reaches, the daily digest when its hour has come. During quiet hours the rows wait
/// (deferred) until the hours end. Works in the current store scope.
/// </summary>
public sealed class NotificationQueue(AdIntelDbContext db, StoreClock clock, TimeProvider time, IBackgroundJobClient jobs)
{
    public async Task QueueAlertAsync(AlertRaised raised, CancellationToken cancellationToken)
    {
        var rank = AlertSeverities.Rank(raised.Severity);
        var channels = (await db.NotificationChannels.AsNoTracking().Where(c => c.Enabled).ToListAsync(cancellationToken))
            .Where(c => rank >= AlertSeverities.Rank(c.MinimumSeverity)).ToList();
        if (channels.Count == 0)
        {
            return;
        }
        // An escalation is news (sent again); hearing of the same opening twice is not.
        var already = await db.NotificationDeliveries.AsNoTracking()
            .Where(d => d.AlertId == raised.AlertId && d.Kind == NotificationDeliveryKinds.Alert && !raised.Escalated)
            .Select(d => d.ChannelId).ToListAsync(cancellationToken);
        await AddAsync(channels.Where(c => !already.Contains(c.Id)), NotificationDeliveryKinds.Alert, raised.AlertId, null, cancellationToken);
    }

    /// <summary>Queues the day's digest when it is enabled, its local hour has come and today's was not sent yet; true when it did.</summary>
    public async Task<bool> QueueDigestIfDueAsync(CancellationToken cancellationToken)
    {
        var preferences = await db.NotificationPreferences.AsNoTracking().FirstOrDefaultAsync(cancellationToken);
        if (preferences is not { DigestEnabled: true })
        {
            return false;
        }
        var calendar = await clock.GetCalendarAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var local = TimeZoneInfo.ConvertTimeFromUtc(now, calendar.TimeZone);
        var today = DateOnly.FromDateTime(local);
        if (local.Hour < preferences.DigestHour || preferences.LastDigestDate == today)
        {
            return false;
        }
        // Claimed by moving the date: of several sweeps (instances) that see the digest due, one queues it.
        var claimed = await db.NotificationPreferences
            .Where(p => p.Id == preferences.Id && (p.LastDigestDate == null || p.LastDigestDate != today))
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.LastDigestDate, today), cancellationToken);
        if (claimed == 0)
        {
            return false;
        }
        var channels = await db.NotificationChannels.AsNoTracking().Where(c => c.Enabled).ToListAsync(cancellationToken);
        await AddAsync(channels, NotificationDeliveryKinds.Digest, null, (now.AddDays(-1), now), cancellationToken);
        return true;
    }

    private async Task AddAsync(IEnumerable<NotificationChannel> channels, string kind, long? alertId, (DateTime From, DateTime To)? period,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var quietUntil = await QuietUntilAsync(now, cancellationToken);
        var deliveries = channels.Select(channel => new NotificationDelivery
        {
            ChannelId = channel.Id,
            ChannelKind = channel.Kind,
            Kind = kind,
            AlertId = alertId,
            PeriodStartUtc = period?.From,
            PeriodEndUtc = period?.To,
            Status = quietUntil is null ? NotificationDeliveryStatuses.Queued : NotificationDeliveryStatuses.Deferred,
            NextAttemptAtUtc = quietUntil ?? now,
            CreatedAtUtc = now,
        }).ToList();
        if (deliveries.Count == 0)
        {
            return;
        }
        db.NotificationDeliveries.AddRange(deliveries);
        await db.SaveChangesAsync(cancellationToken);
        foreach (var delivery in deliveries)
        {
            var (storeId, id) = (delivery.StoreId, delivery.Id);
            // Deferred rows are picked up by the sweep once quiet hours end (it reads the store's clock, Hangfire's schedule does not).
            if (quietUntil is null)
            {
                jobs.Create<NotificationJobs>(job => job.SendAsync(storeId, id, CancellationToken.None), new EnqueuedState(JobQueues.Critical));
            }
        }
    }

    /// <summary>When the store's quiet hours end, if <paramref name="nowUtc"/> falls within them.</summary>
    private async Task<DateTime?> QuietUntilAsync(DateTime nowUtc, CancellationToken cancellationToken)
    {
        var preferences = await db.NotificationPreferences.AsNoTracking().FirstOrDefaultAsync(cancellationToken);
        if (preferences is not { QuietHoursEnabled: true })
        {
            return null;
        }
        var calendar = await clock.GetCalendarAsync(cancellationToken);
        return QuietHours.EndsAtUtc(nowUtc, calendar.TimeZone, preferences.QuietHoursStart, preferences.QuietHoursEnd);
    }
}

/// <summary>Queues notifications for every alert that opens or escalates.</summary>
public sealed class NotificationAlertListener(NotificationQueue queue) : IAlertListener
{
    public Task OnRaisedAsync(AlertRaised raised, CancellationToken cancellationToken) => queue.QueueAlertAsync(raised, cancellationToken);
}
