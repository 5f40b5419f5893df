using AdIntel.Web.Infrastructure.Data;

namespace AdIntel.Web.Infrastructure.Jobs;

/// <summary>
/// Registers one kind of recurring job for every store that needs it once the app has started (the database is migrated
/// by then). A failure is logged, not thrown: the app must start regardless, and a store without its job gets it again
/// the next time it is changed (a saved rule, a connection).
/// </summary>
public abstract class StoreJobsStartup(IServiceScopeFactory scopes, ILogger logger) : IHostedService
{
    /// <summary>What the jobs are, for the log ("rule jobs").</summary>
    protected abstract string Jobs { get; }

    /// <summary>The stores that need the job.</summary>
    protected abstract Task<List<long>> StoresAsync(AdIntelDbContext db, CancellationToken cancellationToken);

    /// <summary>Registers (or updates) one store's job.</summary>
    protected abstract void Ensure(IServiceProvider services, long storeId);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            foreach (var storeId in await StoresAsync(scope.ServiceProvider.GetRequiredService<AdIntelDbContext>(), cancellationToken))
            {
                Ensure(scope.ServiceProvider, storeId);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Could not register the stores' {Jobs}", Jobs);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
