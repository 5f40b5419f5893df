using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Tenancy;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Alerts.Notifications;

/// <summary>
/// The Hangfire jobs of notifications: one delivery (queued when an alert is raised, scheduled again for a retry), and
/// the sweep every minute, which sends what is due and was not sent by its own job (quiet hours that ended, a job lost
/// with its process, a delivery whose sender died) and queues each store's daily digest when its hour comes.
/// </summary>
public sealed class NotificationJobs(IServiceScopeFactory scopes, TimeProvider time, ILogger<NotificationJobs> logger)
{
    public const string SweepJobId = "notifications:sweep";

    /// <summary>Failures are the delivery's to retry (recorded on its row), not Hangfire's.</summary>
    [AutomaticRetry(Attempts = 0)]
    public async Task SendAsync(long storeId, long deliveryId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateStoreScope(storeId);
        await scope.ServiceProvider.GetRequiredService<NotificationSender>().SendAsync(deliveryId, cancellationToken);
    }

    [AutomaticRetry(Attempts = 0), DisableConcurrentExecution(timeoutInSeconds: 60)]
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        List<(long StoreId, long Id)> due;
        List<long> digestStores;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AdIntelDbContext>();
            due = (await db.NotificationDeliveries.IgnoreQueryFilters().AsNoTracking()
                .Where(d => (d.Status == NotificationDeliveryStatuses.Queued || d.Status == NotificationDeliveryStatuses.Deferred || d.Status == NotificationDeliveryStatuses.Retrying)
                        && d.NextAttemptAtUtc <= now
                    || d.Status == NotificationDeliveryStatuses.Sending && d.ClaimedUntilUtc < now)
                .OrderBy(d => d.Id).Select(d => new { d.StoreId, d.Id }).Take(500).ToListAsync(cancellationToken))
                .Select(d => (d.StoreId, d.Id)).ToList();
            digestStores = await db.NotificationPreferences.IgnoreQueryFilters().AsNoTracking().Where(p => p.DigestEnabled)
                .Select(p => p.StoreId).ToListAsync(cancellationToken);
        }
        foreach (var storeId in digestStores)
        {
            await ForStoreAsync(storeId, services => services.GetRequiredService<NotificationQueue>().QueueDigestIfDueAsync(cancellationToken));
        }
        foreach (var (storeId, id) in due)
        {
            await ForStoreAsync(storeId, services => services.GetRequiredService<NotificationSender>().SendAsync(id, cancellationToken));
        }

        async Task ForStoreAsync(long storeId, Func<IServiceProvider, Task> work)
        {
            try
            {
                await using var scope = scopes.CreateStoreScope(storeId);
                await work(scope.ServiceProvider);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One store's failure must not hold up the others' notifications.
                logger.LogError(ex, "Notification sweep failed for store {StoreId}", storeId);
            }
        }
    }

    /// <summary>Registers the sweep at start (in-memory job storage starts empty).</summary>
    internal sealed class Startup(IRecurringJobManager recurring) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            recurring.AddOrUpdate<NotificationJobs>(SweepJobId, job => job.SweepAsync(CancellationToken.None), Cron.Minutely());
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
