using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Tenancy;
using AdIntel.Web.Metrics;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Tracking;

/// <summary>Evaluates one store's tracking health (alerts raised and resolved) in a scope acting for it.</summary>
public sealed class EvaluateTrackingJob(IServiceScopeFactory scopes)
{
    [AutomaticRetry(Attempts = 2)]
    public async Task RunAsync(long storeId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateStoreScope(storeId);
        var services = scope.ServiceProvider;
        if (!await services.GetRequiredService<AdIntelDbContext>().Stores.AnyAsync(s => s.Id == storeId, cancellationToken))
        {
            return;
        }
        await services.GetRequiredService<TrackingMonitor>().EvaluateAsync(cancellationToken);
    }
}

/// <summary>After each facts rebuild (import, sync, webhook batch) the store's tracking health is evaluated again, in a job.</summary>
public sealed class TrackingAfterFactsRebuild(IBackgroundJobClient jobs) : IFactsRebuiltObserver
{
    public void FactsRebuilt(long storeId) => jobs.Enqueue<EvaluateTrackingJob>(j => j.RunAsync(storeId, CancellationToken.None));
}
