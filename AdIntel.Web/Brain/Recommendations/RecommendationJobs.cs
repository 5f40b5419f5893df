using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Jobs;
using AdIntel.Web.Metrics;
using Hangfire;

namespace AdIntel.Web.Brain.Recommendations;

/// <summary>Computes one store's recommendations and stores them as its current set (see <see cref="RecommendationSchedules"/>).</summary>
public sealed class RecomputeRecommendationsJob(IServiceScopeFactory scopes, ILogger<RecomputeRecommendationsJob> logger)
{
    [AutomaticRetry(Attempts = 2)]
    public async Task RunAsync(long storeId, CancellationToken cancellationToken)
    {
        var recommendations = await HourlyStoreJob.RunAsync(scopes, storeId, LockKind.StoreRecommendations,
            (services, ct) => services.GetRequiredService<RecommendationService>().ComputeAsync(ct), cancellationToken);
        if (recommendations is not null)
        {
            logger.LogInformation("Recommendations of store {StoreId} computed: {Count} ({Types})", storeId, recommendations.Count,
                string.Join(", ", recommendations.GroupBy(r => r.Type).Select(g => $"{g.Count()} {g.Key}")));
        }
    }
}

/// <summary>
/// When recommendations are computed: every hour per store (<see cref="RecommendationDispatcher"/>), and soon after each
/// import, sync or webhook batch that changed a store's data (the daily facts rebuild tells it) or a change of its targets.
/// </summary>
public sealed class RecommendationSchedules(IBackgroundJobClient jobs) : IFactsRebuiltObserver
{
    /// <summary>Queues a computation of the store's recommendations now.</summary>
    public void RecomputeSoon(long storeId) => jobs.Enqueue<RecomputeRecommendationsJob>(j => j.RunAsync(storeId, CancellationToken.None));

    public void FactsRebuilt(long storeId) => RecomputeSoon(storeId);
}

/// <summary>
/// Enqueues every store's hourly recomputation, store <c>id</c> at minute <c>(id + 30) mod 60</c> of each hour
/// (<c>recommendations:dispatch</c>): half an hour away from the same store's anomaly check.
/// </summary>
public sealed class RecommendationDispatcher(IServiceScopeFactory scopes, IBackgroundJobClient jobs, TimeProvider time, ILogger<RecommendationDispatcher> logger)
    : StoreJobDispatcher(scopes, jobs, time, logger)
{
    public override string JobId => "recommendations:dispatch";

    public override int PeriodMinutes => 60;

    protected override int TurnShift => 30;

    protected override string PerStoreJobPrefix => "recommendations:store-";

    protected override IQueryable<long> Stores(AdIntelDbContext db) => db.Stores.Select(s => s.Id);

    protected override void Enqueue(IBackgroundJobClient client, long storeId) =>
        client.Enqueue<RecomputeRecommendationsJob>(j => j.RunAsync(storeId, CancellationToken.None));
}
