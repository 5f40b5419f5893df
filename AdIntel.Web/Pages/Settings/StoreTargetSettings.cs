using AdIntel.Web.Brain.Recommendations;
using AdIntel.Web.Infrastructure.Audit;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Metrics;

namespace AdIntel.Web.Pages.Settings;

/// <summary>Reads and saves the current store's targets (Settings → Targets and <c>/api/settings/targets</c>), audited.</summary>
public sealed class StoreTargetSettings(AdIntelDbContext db, IAuditLog audit, TimeProvider time, RecommendationSchedules recommendations)
{
    public async Task<StoreTargets> GetAsync(CancellationToken cancellationToken) =>
        StoreTargets.From(await db.GetOrCreateStoreSettingsAsync(time, cancellationToken));

    /// <summary>Saves the targets (and recomputes the recommendations, which use them); returns the problems instead when a value is out of range.</summary>
    public async Task<IReadOnlyDictionary<string, string>> SaveAsync(StoreTargets targets, CancellationToken cancellationToken)
    {
        var problems = targets.Problems();
        if (problems.Count > 0)
        {
            return problems;
        }
        var settings = await db.GetOrCreateStoreSettingsAsync(time, cancellationToken);
        var before = StoreTargets.From(settings);
        if (before == targets)
        {
            return problems;
        }
        targets.ApplyTo(settings);
        settings.UpdatedAtUtc = time.GetUtcNow().UtcDateTime;
        audit.Record(new AuditChange("settings.targets_updated", "settings", null, $"Changed targets: {targets.DescribeChanges(before)}.", before, targets));
        await db.SaveChangesAsync(cancellationToken);
        recommendations.RecomputeSoon(db.StoreContext.RequiredStoreId);
        return problems;
    }
}
