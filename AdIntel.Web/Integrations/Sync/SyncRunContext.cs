using System.Diagnostics;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;

namespace AdIntel.Web.Integrations.Sync;

/// <summary>
/// What a running <see cref="IIntegrationSync"/> is given: its connection and its run, both tracked by the scope's
/// context, so progress set on <see cref="Run"/> (<see cref="SyncRun.Processed"/>, <see cref="SyncRun.Total"/>) is saved
/// with the sync's next write, in the same transaction as its checkpoint.
/// </summary>
public sealed class SyncRunContext(AdIntelDbContext db, IntegrationConnection connection, SyncRun run, ILogger logger)
{
    private readonly Stopwatch _phaseWatch = Stopwatch.StartNew();

    public IntegrationConnection Connection => connection;

    public SyncRun Run => run;

    public bool IsBackfill => run.Kind == SyncKinds.Backfill;

    /// <summary>Whether the store's data changed, so its daily facts must be rebuilt at the end.</summary>
    public bool DataChanged { get; private set; }

    public void MarkDataChanged() => DataChanged = true;

    /// <summary>Shows what the sync does now (Settings → Integrations polls it) and logs how long the last phase took.</summary>
    public async Task SetPhaseAsync(string phase, CancellationToken cancellationToken)
    {
        logger.LogInformation("{Sync} sync {RunId}: {Phase} done in {ElapsedMs} ms; now {Next}", run.Sync, run.Id, run.Phase, _phaseWatch.ElapsedMilliseconds, phase);
        _phaseWatch.Restart();
        run.Phase = phase.Length <= 200 ? phase : phase[..200];
        await db.SaveChangesAsync(cancellationToken);
    }
}
