using AdIntel.Web.Alerts;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Metrics;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Tracking;

/// <summary>
/// The current store's tracking health: reads the evidence (daily facts, the synced dataset), diagnoses it
/// (<see cref="TrackingDiagnosis"/>), gives the automation circuit breaker its one verdict, and keeps the tracking alerts
/// in step with the current problems (raised through <see cref="AlertWriter"/>, resolved when they clear).
/// </summary>
public sealed class TrackingMonitor(AdIntelDbContext db, StoreClock clock, AlertWriter alerts, TimeProvider time)
{
    /// <summary>How far back the page and <c>/api/tracking/diagnose</c> look by default.</summary>
    public const int DefaultDays = 60;

    public async Task<TrackingEvidence> LoadAsync(int days, decimal? dropPercent, CancellationToken cancellationToken)
    {
        var today = await clock.GetTodayAsync(cancellationToken);
        var from = today.AddDays(-days);
        var first = from.AddDays(-(TrackingHealth.BaselineDays + TrackingHealth.LookbackDays + 1));
        var facts = await db.DailyFacts.AsNoTracking().Where(f => f.Date >= first && f.Date < today).OrderBy(f => f.Date).ToListAsync(cancellationToken);
        var drop = dropPercent
            ?? await db.StoreSettings.AsNoTracking().Select(s => s.TrackingBreakerDropPercent).FirstOrDefaultAsync(cancellationToken)
            ?? TrackingHealth.DefaultDropPercent;
        // A usable Meta connection (Integrations/Meta/MetaConnections reads its token; the status is enough here).
        var connected = await db.IntegrationConnections.AnyAsync(c => c.Provider == IntegrationProviders.Meta
            && (c.Status == IntegrationStatuses.Connected || c.Status == IntegrationStatuses.Error), cancellationToken);
        var dataset = connected ? await db.TrackingDatasets.AsNoTracking().SingleOrDefaultAsync(cancellationToken) : null;
        var purchases = dataset is null ? [] : await db.TrackingEventDays.AsNoTracking()
            .Where(d => d.EventName == TrackingEventNames.Purchase && d.Date >= first).OrderBy(d => d.Date).ToListAsync(cancellationToken);
        return new TrackingEvidence
        {
            Today = today,
            NowUtc = time.GetUtcNow().UtcDateTime,
            From = from,
            Facts = facts,
            DropPercent = drop,
            MetaConnected = connected,
            Dataset = dataset,
            PurchaseDays = purchases,
        };
    }

    /// <summary>The verdict the rails read (Rules/Actions/ActionExecutor): broken by the facts' test or a current breaking diagnosis.</summary>
    public async Task<TrackingStatus> StatusAsync(decimal dropPercent, CancellationToken cancellationToken)
    {
        var evidence = await LoadAsync(TrackingHealth.LookbackDays, dropPercent, cancellationToken);
        return TrackingDiagnosis.Status(evidence, TrackingDiagnosis.Diagnose(evidence));
    }

    /// <summary>
    /// Diagnoses now and makes the store's tracking alerts match: each current problem raised (one alert per kind,
    /// updated while it holds), the others resolved. Runs after each dataset sync and facts rebuild.
    /// </summary>
    public async Task<IReadOnlyList<TrackingProblem>> EvaluateAsync(CancellationToken cancellationToken)
    {
        var evidence = await LoadAsync(TrackingHealth.LookbackDays, null, cancellationToken);
        var current = TrackingDiagnosis.Diagnose(evidence).Where(p => p.Current).ToList();
        foreach (var problem in current)
        {
            await alerts.RaiseAsync(new AlertSignal
            {
                Source = AlertSources.Tracking,
                Type = problem.Code,
                ConditionKey = problem.ConditionKey,
                Severity = problem.Severity,
                Title = problem.Title,
                Message = problem.Message,
                NextStep = problem.NextStep,
                EntityType = "tracking",
                EntityName = evidence.Dataset?.Name,
                Evidence = new AlertEvidence(problem.Figures, problem.Since, problem.Until),
            }, cancellationToken);
        }
        await alerts.ResolveClearedAsync(AlertSources.Tracking, [.. current.Select(p => p.ConditionKey)], cancellationToken);
        return current;
    }
}
