using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Tenancy;
using AdIntel.Web.Metrics;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Integrations.Sync;

/// <summary>
/// Runs one <see cref="IIntegrationSync"/> for one store, the same way for every sync: in a scope acting for the store,
/// only while its connection is connected (or in error, to retry), one at a time per connection and sync (a live run
/// already doing it wins; a stale one is marked interrupted first), recorded from start to end by
/// <see cref="SyncRunRecorder"/>, the daily facts rebuilt when data changed, and the connection's last success or error
/// kept for Settings → Integrations, and the connection's alerts raised or resolved (<see cref="ConnectionAlerts"/>). The entry point for the Hangfire jobs (<see cref="IntegrationSyncJob"/>).
/// </summary>
public sealed class IntegrationSyncRunner(IServiceScopeFactory scopes, ILogger<IntegrationSyncRunner> logger)
{
    public const string CancelledMessage = "Stopped before it finished; the next sync resumes where this one left off.";

    /// <summary>The registered syncs' names, in registration order; of one provider's connection when <paramref name="provider"/> is given.</summary>
    public IReadOnlyList<string> Names(string? provider = null)
    {
        using var scope = scopes.CreateScope();
        return scope.ServiceProvider.GetServices<IIntegrationSync>().Where(s => provider is null || s.Provider == provider).Select(s => s.Name).ToList();
    }

    /// <summary>
    /// Runs the sync named <paramref name="name"/> for <paramref name="storeId"/>; returns the run that did (or is doing)
    /// the work, or null when the store has no usable connection for it. A failed or cancelled run throws after it is recorded.
    /// </summary>
    public async Task<long?> RunAsync(long storeId, string name, SyncMode mode, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateStoreScope(storeId);
        var services = scope.ServiceProvider;
        var sync = services.GetServices<IIntegrationSync>().SingleOrDefault(s => s.Name == name)
            ?? throw new ArgumentOutOfRangeException(nameof(name), name, "No sync of that name is registered.");
        var db = services.GetRequiredService<AdIntelDbContext>();
        var connection = await db.IntegrationConnections.AsTracking().SingleOrDefaultAsync(c => c.Provider == sync.Provider, cancellationToken);
        if (connection is not { Status: IntegrationStatuses.Connected or IntegrationStatuses.Error })
        {
            return null;
        }
        var recorder = services.GetRequiredService<SyncRunRecorder>();
        var (run, started) = await recorder.StartAsync(
            new SyncRun { ConnectionId = connection.Id, Sync = sync.Name, Kind = sync.ChooseKind(connection, mode), Phase = "Starting" },
            r => r.ConnectionId == connection.Id && r.Sync == sync.Name, cancellationToken);
        if (!started)
        {
            logger.LogInformation("{Sync} sync of store {StoreId} is already running (run {RunId}); not started again", sync.Name, storeId, run.Id);
            return run.Id;
        }
        logger.LogInformation("{Sync} {Kind} sync {RunId} of store {StoreId} started", sync.Name, run.Kind, run.Id, storeId);

        await using var heartbeat = recorder.KeepAlive(run.Id);
        try
        {
            connection.LastSyncStartedAtUtc = run.StartedAtUtc;
            await db.SaveChangesAsync(cancellationToken);
            var context = new SyncRunContext(db, connection, run, logger);
            await sync.RunAsync(context, cancellationToken);
            if (context.DataChanged)
            {
                await context.SetPhaseAsync("Updating the store's daily figures", cancellationToken);
                await services.GetRequiredService<DailyFactsBuilder>().RebuildAsync(cancellationToken);
            }
            // What the sync left unsaved (its last counts), then the ending, written on its own like a failure's.
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
            var finished = await recorder.FinishAsync(run.Id, RunStatuses.Succeeded, set => set.SetProperty(r => r.Phase, "Done").SetProperty(r => r.Error, (string?)null));
            await db.IntegrationConnections.Where(c => c.Id == connection.Id).ExecuteUpdateAsync(set => set
                .SetProperty(c => c.Status, IntegrationStatuses.Connected)
                .SetProperty(c => c.LastSyncSucceededAtUtc, finished)
                .SetProperty(c => c.LastError, (string?)null)
                .SetProperty(c => c.UpdatedAtUtc, finished), CancellationToken.None);
            await services.GetRequiredService<ConnectionAlerts>().SyncSucceededAsync(connection.Id, sync.Name, CancellationToken.None);
            logger.LogInformation("{Sync} {Kind} sync {RunId} of store {StoreId} succeeded: {Processed} processed", sync.Name, run.Kind, run.Id, storeId, run.Processed);
            return run.Id;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            db.ChangeTracker.Clear();
            await recorder.FinishAsync(run.Id, RunStatuses.Cancelled, set => set.SetProperty(r => r.Phase, "Stopped").SetProperty(r => r.Error, CancelledMessage));
            throw;
        }
        catch (Exception e)
        {
            logger.LogError(e, "{Sync} {Kind} sync {RunId} of store {StoreId} failed", sync.Name, run.Kind, run.Id, storeId);
            // Whatever state the context was left in (a failed batch is rolled back): the ending is written on its own.
            db.ChangeTracker.Clear();
            var failure = sync.DescribeFailure(e);
            var error = failure.Message.Length <= 1900 ? failure.Message : failure.Message[..1900] + "…";
            var failed = await recorder.FinishAsync(run.Id, RunStatuses.Failed, set => set.SetProperty(r => r.Phase, "Failed").SetProperty(r => r.Error, error));
            await db.IntegrationConnections.Where(c => c.Id == connection.Id).ExecuteUpdateAsync(set =>
            {
                set.SetProperty(c => c.LastError, error).SetProperty(c => c.LastErrorAtUtc, failed);
                if (failure.NeedsReconnect)
                {
                    set.SetProperty(c => c.Status, IntegrationStatuses.Error);
                }
            }, CancellationToken.None);
            await services.GetRequiredService<ConnectionAlerts>().SyncFailedAsync(connection.Id, sync.Name, error, CancellationToken.None);
            throw;
        }
    }
}
