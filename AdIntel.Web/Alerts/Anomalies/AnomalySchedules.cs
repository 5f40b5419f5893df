using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Jobs;
using AdIntel.Web.Metrics;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Alerts.Anomalies;

/// <summary>Detects one store's anomalies and keeps its anomaly alerts in step (see <see cref="AnomalySchedules"/>).</summary>
public sealed class DetectAnomaliesJob(IServiceScopeFactory scopes, ILogger<DetectAnomaliesJob> logger)
{
    [AutomaticRetry(Attempts = 2)]
    public async Task RunAsync(long storeId, CancellationToken cancellationToken)
    {
        var findings = await HourlyStoreJob.RunAsync(scopes, storeId, LockKind.StoreAnomalies,
            (services, ct) => services.GetRequiredService<AnomalyScan>().RunAsync(ct),
            (services, id) => services.GetRequiredService<AnomalySchedules>().Ensure(id),
            (services, id) => services.GetRequiredService<AnomalySchedules>().Remove(id), cancellationToken);
        if (findings is not null)
        {
            logger.LogInformation("Anomalies of store {StoreId} detected: {Count}", storeId, findings.Count);
        }
    }
}

/// <summary>
/// When anomalies are detected: every hour per store (<c>anomalies:store-{id}</c>, registered for every store at start),
/// and soon after each import, sync or webhook batch that changed a store's data (the daily facts rebuild tells it).
/// </summary>
public sealed class AnomalySchedules(IRecurringJobManager recurring, IBackgroundJobClient jobs) : IFactsRebuiltObserver
{
    public static readonly string Cron = Hangfire.Cron.Hourly();

    public static string JobId(long storeId) => $"anomalies:store-{storeId}";

    public void Ensure(long storeId) =>
        recurring.AddOrUpdate<DetectAnomaliesJob>(JobId(storeId), j => j.RunAsync(storeId, CancellationToken.None), Cron);

    public void Remove(long storeId) => recurring.RemoveIfExists(JobId(storeId));

    public void FactsRebuilt(long storeId) => jobs.Enqueue<DetectAnomaliesJob>(j => j.RunAsync(storeId, CancellationToken.None));

    /// <summary>Registers every store's hourly job once the app has started.</summary>
    internal sealed class Startup(IServiceScopeFactory scopes, ILogger<AnomalySchedules> logger) : StoreJobsStartup(scopes, logger)
    {
        protected override string Jobs => "anomaly jobs";

        protected override Task<List<long>> StoresAsync(AdIntelDbContext db, CancellationToken cancellationToken) =>
            db.Stores.Select(s => s.Id).ToListAsync(cancellationToken);

        protected override void Ensure(IServiceProvider services, long storeId) => services.GetRequiredService<AnomalySchedules>().Ensure(storeId);
    }
}
