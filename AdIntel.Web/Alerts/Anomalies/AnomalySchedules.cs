using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Jobs;
using AdIntel.Web.Metrics;
using Hangfire;

namespace AdIntel.Web.Alerts.Anomalies;

/// <summary>Detects one store's anomalies and keeps its anomaly alerts in step (see <see cref="AnomalySchedules"/>).</summary>
public sealed class DetectAnomaliesJob(IServiceScopeFactory scopes, ILogger<DetectAnomaliesJob> logger)
{
    [AutomaticRetry(Attempts = 2)]
    public async Task RunAsync(long storeId, CancellationToken cancellationToken)
    {
        var findings = await HourlyStoreJob.RunAsync(scopes, storeId, LockKind.StoreAnomalies,
            (services, ct) => services.GetRequiredService<AnomalyScan>().RunAsync(ct), cancellationToken);
        if (findings is not null)
        {
            logger.LogInformation("Anomalies of store {StoreId} detected: {Count}", storeId, findings.Count);
        }
    }
}

/// <summary>
/// When anomalies are detected: every hour per store (<see cref="AnomalyDispatcher"/>), and soon after each import, sync
/// or webhook batch that changed a store's data (the daily facts rebuild tells it).
/// </summary>
public sealed class AnomalySchedules(IBackgroundJobClient jobs) : IFactsRebuiltObserver
{
    public void FactsRebuilt(long storeId) => jobs.Enqueue<DetectAnomaliesJob>(j => j.RunAsync(storeId, CancellationToken.None));
}

/// <summary>Enqueues every store's hourly anomaly check, store <c>id</c> at minute <c>id mod 60</c> of each hour (<c>anomalies:dispatch</c>).</summary>
public sealed class AnomalyDispatcher(IServiceScopeFactory scopes, IBackgroundJobClient jobs, TimeProvider time, ILogger<AnomalyDispatcher> logger)
    : StoreJobDispatcher(scopes, jobs, time, logger)
{
    public override string JobId => "anomalies:dispatch";

    public override int PeriodMinutes => 60;

    protected override string PerStoreJobPrefix => "anomalies:store-";

    protected override IQueryable<long> Stores(AdIntelDbContext db) => db.Stores.Select(s => s.Id);

    protected override void Enqueue(IBackgroundJobClient client, long storeId) =>
        client.Enqueue<DetectAnomaliesJob>(j => j.RunAsync(storeId, CancellationToken.None));
}
