using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Email;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Alerts.Notifications;

/// <summary>
/// Sends queued deliveries, each exactly once: a delivery is claimed (one conditional update) before anything is sent,
/// so two workers or the sweep and the job never both send it; a failure is retried with exponential back-off, or after
/// the provider's Retry-After, until <see cref="NotificationsOptions.MaxAttempts"/>; a revoked webhook turns its channel
/// off and raises an alert. Works in the current store scope.
/// </summary>
public sealed class NotificationSender(AdIntelDbContext db, NotificationComposer composer, ChatWebhookClient chat, IEmailSender email,
    WebhookAddresses addresses, AlertWriter alerts, TimeProvider time, IOptions<NotificationsOptions> options, IBackgroundJobClient jobs,
    ILogger<NotificationSender> logger)
{
    /// <summary>How long a claim lasts: longer than any send takes, after which a delivery whose sender died is taken again.</summary>
    public static readonly TimeSpan ClaimLease = TimeSpan.FromMinutes(5);

    public async Task SendAsync(long deliveryId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var claimed = await db.NotificationDeliveries
            .Where(d => d.Id == deliveryId
                && ((d.Status == NotificationDeliveryStatuses.Queued || d.Status == NotificationDeliveryStatuses.Deferred || d.Status == NotificationDeliveryStatuses.Retrying)
                        && d.NextAttemptAtUtc <= now
                    || d.Status == NotificationDeliveryStatuses.Sending && d.ClaimedUntilUtc < now))
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Status, NotificationDeliveryStatuses.Sending)
                .SetProperty(d => d.ClaimedUntilUtc, now + ClaimLease)
                .SetProperty(d => d.Attempts, d => d.Attempts + 1), cancellationToken);
        if (claimed == 0)
        {
            return;
        }
        var delivery = await db.NotificationDeliveries.SingleAsync(d => d.Id == deliveryId, cancellationToken);
        var channel = await db.NotificationChannels.FirstOrDefaultAsync(c => c.Id == delivery.ChannelId, cancellationToken);
        DeliveryOutcome outcome;
        if (channel is not { Enabled: true })
        {
            outcome = new DeliveryOutcome(DeliveryResult.Failed, "The channel was turned off or removed before the message was sent.");
        }
        else if (await ComposeAsync(delivery, channel, cancellationToken) is not { } message)
        {
            outcome = new DeliveryOutcome(DeliveryResult.Failed, "The alert no longer exists.");
        }
        else
        {
            outcome = await DeliverAsync(channel, message, cancellationToken);
        }
        await SettleAsync(delivery, channel, outcome, cancellationToken);
    }

    /// <summary>Sends a test message to the channel right away (no retries: the person is waiting) and logs it.</summary>
    public async Task<NotificationDelivery> SendTestAsync(NotificationChannel channel, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var delivery = new NotificationDelivery
        {
            ChannelId = channel.Id, ChannelKind = channel.Kind, Kind = NotificationDeliveryKinds.Test, Status = NotificationDeliveryStatuses.Sending,
            Attempts = 1, NextAttemptAtUtc = now, CreatedAtUtc = now,
        };
        db.NotificationDeliveries.Add(delivery);
        await db.SaveChangesAsync(cancellationToken);
        var outcome = await DeliverAsync(channel, await composer.ForTestAsync(channel, cancellationToken), cancellationToken);
        // A person is waiting for the answer: a rate limit is reported, not retried later.
        await SettleAsync(delivery, channel, outcome.Result == DeliveryResult.Retry ? outcome with { Result = DeliveryResult.Failed } : outcome, cancellationToken);
        return delivery;
    }

    private async Task<NotificationMessage?> ComposeAsync(NotificationDelivery delivery, NotificationChannel channel, CancellationToken cancellationToken) =>
        delivery.Kind switch
        {
            NotificationDeliveryKinds.Alert => delivery.AlertId is { } alertId ? await composer.ForAlertAsync(alertId, cancellationToken) : null,
            NotificationDeliveryKinds.Digest => await composer.ForDigestAsync(delivery.PeriodStartUtc ?? delivery.CreatedAtUtc.AddDays(-1),
                delivery.PeriodEndUtc ?? delivery.CreatedAtUtc, cancellationToken),
            _ => await composer.ForTestAsync(channel, cancellationToken),
        };

    private async Task<DeliveryOutcome> DeliverAsync(NotificationChannel channel, NotificationMessage message, CancellationToken cancellationToken)
    {
        if (channel.Kind == NotificationChannelKinds.Email)
        {
            return await EmailAsync(channel, message, cancellationToken);
        }
        if (addresses.Unprotect(channel.EncryptedWebhookUrl) is not { } url)
        {
            return new DeliveryOutcome(DeliveryResult.Failed, "The webhook address cannot be read any more; connect the channel again.");
        }
        return channel.Kind == NotificationChannelKinds.Slack
            ? await chat.PostSlackAsync(url, message.ToSlack(), cancellationToken)
            : await chat.PostDiscordAsync(url, message.ToDiscord(), cancellationToken);
    }

    private async Task<DeliveryOutcome> EmailAsync(NotificationChannel channel, NotificationMessage message, CancellationToken cancellationToken)
    {
        if (!email.IsConfigured)
        {
            return new DeliveryOutcome(DeliveryResult.Failed, "No SMTP server is configured (Smtp:Host), so e-mail cannot be sent.");
        }
        var recipients = NotificationSettings.SplitRecipients(channel.Recipients);
        if (recipients.Count == 0)
        {
            return new DeliveryOutcome(DeliveryResult.Failed, "The e-mail channel has no recipients.");
        }
        try
        {
            foreach (var recipient in recipients)
            {
                await email.SendAsync(new EmailMessage(recipient, message.EmailSubject, message.EmailText), cancellationToken);
            }
            return DeliveryOutcome.Sent;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new DeliveryOutcome(DeliveryResult.Retry, "Sending the e-mail failed: " + ex.Message);
        }
    }

    private async Task SettleAsync(NotificationDelivery delivery, NotificationChannel? channel, DeliveryOutcome outcome, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var o = options.Value;
        delivery.ClaimedUntilUtc = null;
        delivery.LastError = outcome.Error is { Length: > 1000 } tooLong ? tooLong[..1000] : outcome.Error;
        var retryAt = DateTime.MinValue;
        switch (outcome.Result)
        {
            case DeliveryResult.Sent:
                delivery.Status = NotificationDeliveryStatuses.Sent;
                delivery.SentAtUtc = now;
                break;
            case DeliveryResult.Retry when delivery.Attempts < o.MaxAttempts:
                // The provider's Retry-After when it gave one, else exponential back-off from the first delay.
                var backoff = TimeSpan.FromTicks(Math.Min(o.MaxRetryDelay.Ticks, o.RetryBaseDelay.Ticks * (1L << Math.Min(delivery.Attempts - 1, 20))));
                var wait = outcome.RetryAfter is { } after ? TimeSpan.FromTicks(Math.Min(after.Ticks, o.MaxRetryDelay.Ticks)) : backoff;
                retryAt = now + wait;
                delivery.Status = NotificationDeliveryStatuses.Retrying;
                delivery.NextAttemptAtUtc = retryAt;
                break;
            default:
                delivery.Status = NotificationDeliveryStatuses.Failed;
                break;
        }
        await db.SaveChangesAsync(CancellationToken.None);
        if (delivery.Status == NotificationDeliveryStatuses.Retrying)
        {
            var (storeId, id) = (delivery.StoreId, delivery.Id);
            jobs.Schedule<NotificationJobs>(job => job.SendAsync(storeId, id, CancellationToken.None), retryAt - now);
        }
        if (outcome.Result == DeliveryResult.Revoked && channel is not null)
        {
            await DisableRevokedAsync(channel, outcome.Error ?? "The webhook was revoked.", cancellationToken);
        }
        if (delivery.Status == NotificationDeliveryStatuses.Failed)
        {
            logger.LogWarning("Notification {DeliveryId} to {Channel} failed after {Attempts} attempts: {Error}", delivery.Id, delivery.ChannelKind, delivery.Attempts, delivery.LastError);
        }
    }

    /// <summary>
    /// Turns the channel off and raises an alert about it (its own condition per channel), which the channel does not get:
    /// it is off before the alert is raised.
    /// </summary>
    private async Task DisableRevokedAsync(NotificationChannel channel, string error, CancellationToken cancellationToken)
    {
        channel.Enabled = false;
        channel.DisabledReason = error;
        channel.UpdatedAtUtc = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(CancellationToken.None);
        var label = NotificationChannelKinds.Label(channel.Kind);
        await alerts.RaiseAsync(new AlertSignal
        {
            Source = AlertSources.Notification,
            Type = "channel_revoked",
            ConditionKey = NotificationSettings.RevokedConditionKey(channel.Kind),
            Severity = AlertSeverities.High,
            Title = $"{label} notifications stopped",
            Message = $"{label} refused AdIntel's message ({error}): the webhook was removed or no longer may post, so the channel was turned off.",
            NextStep = $"Create a new {label} webhook and connect it under Settings → Notifications.",
            EntityType = "integration",
            EntityName = label,
        }, cancellationToken);
    }
}
