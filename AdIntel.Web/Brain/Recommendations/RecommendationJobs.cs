using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Jobs;
using AdIntel.Web.Metrics;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Brain.Recommendations;

/// <summary>Computes one store's recommendations and stores them as its current set (see <see cref="RecommendationSchedules"/>).</summary>
public sealed class RecomputeRecommendationsJob(IServiceScopeFactory scopes, ILogger<RecomputeRecommendationsJob> logger)
{
    [AutomaticRetry(Attempts = 2)]
    public async Task RunAsync(long storeId, CancellationToken cancellationToken)
    {
        var recommendations = await HourlyStoreJob.RunAsync(scopes, storeId, LockKind.StoreRecommendations,
            (services, ct) => services.GetRequiredService<RecommendationService>().ComputeAsync(ct),
            (services, id) => services.GetRequiredService<RecommendationSchedules>().Ensure(id),
            (services, id) => services.GetRequiredService<RecommendationSchedules>().Remove(id), cancellationToken);
        if (recommendations is not null)
        {
            logger.LogInformation("Recommendations of store {StoreId} computed: {Count} ({Types})", storeId, recommendations.Count,
                string.Join(", ", recommendations.GroupBy(r => r.Type).Select(g => $"{g.Count()} {g.Key}")));
        }
    }
}

/// <summary>
/// When recommendations are computed: every hour per store (<c>recommendations:store-{id}</c>, registered for every
/// store at start), and soon after each import, sync or webhook batch that changed a store's data (the daily facts
/// rebuild tells it) or a change of its targets.
/// </summary>
public sealed class RecommendationSchedules(IRecurringJobManager recurring, IBackgroundJobClient jobs) : IFactsRebuiltObserver
{
    public static readonly string Cron = Hangfire.Cron.Hourly();

    public static string JobId(long storeId) => $"recommendations:store-{storeId}";

    public void Ensure(long storeId) =>
        recurring.AddOrUpdate<RecomputeRecommendationsJob>(JobId(storeId), j => j.RunAsync(storeId, CancellationToken.None), Cron);

    public void Remove(long storeId) => recurring.RemoveIfExists(JobId(storeId));

    /// <summary>Queues a computation of the store's recommendations now (the job makes sure the hourly one exists).</summary>
    public void RecomputeSoon(long storeId) => jobs.Enqueue<RecomputeRecommendationsJob>(j => j.RunAsync(storeId, CancellationToken.None));

    public void FactsRebuilt(long storeId) => RecomputeSoon(storeId);

    /// <summary>Registers every store's hourly job once the app has started.</summary>
    internal sealed class Startup(IServiceScopeFactory scopes, ILogger<RecommendationSchedules> logger) : StoreJobsStartup(scopes, logger)
    {
        protected override string Jobs => "recommendation jobs";

        protected override Task<List<long>> StoresAsync(AdIntelDbContext db, CancellationToken cancellationToken) =>
            db.Stores.Select(s => s.Id).ToListAsync(cancellationToken);

        protected override void Ensure(IServiceProvider services, long storeId) => services.GetRequiredService<RecommendationSchedules>().Ensure(storeId);
    }
}
