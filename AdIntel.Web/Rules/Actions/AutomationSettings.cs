using AdIntel.Web.Infrastructure.Audit;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Rules.Definitions;

namespace AdIntel.Web.Rules.Actions;

/// <summary>
/// Reads and saves the store's automation mode, kill switch and safety rails (<see cref="RailSettings"/>), for the
/// settings screen and the API alike; every change is audited.
/// </summary>
public sealed class AutomationSettings(AdIntelDbContext db, IAuditLog audit, TimeProvider time)
{
    public async Task<RailSettings> GetAsync(CancellationToken cancellationToken) =>
        RailSettings.From(await db.GetOrCreateStoreSettingsAsync(time, cancellationToken));

    /// <summary>Saves the automation settings; returns the problems instead when a value is out of range.</summary>
    public async Task<IReadOnlyDictionary<string, string>> SaveAsync(RailSettings rails, CancellationToken cancellationToken)
    {
        var problems = rails.Problems();
        if (problems.Count > 0)
        {
            return problems;
        }
        var settings = await db.GetOrCreateStoreSettingsAsync(time, cancellationToken);
        var before = RailSettings.From(settings);
        if (before == rails)
        {
            return problems;
        }
        rails.ApplyTo(settings);
        settings.UpdatedAtUtc = time.GetUtcNow().UtcDateTime;
        var summary = before.KillSwitch != rails.KillSwitch
            ? rails.KillSwitch ? "Automation paused (kill switch on)." : "Automation resumed (kill switch off)."
            : $"Automation settings changed (mode: {AutomationModes.Label(rails.StoreMode).ToLowerInvariant()}).";
        audit.Record(new AuditChange("settings.automation_updated", "settings", null, summary, before, rails));
        await db.SaveChangesAsync(cancellationToken);
        return problems;
    }
}

/// <summary>The store's automation settings (mode, kill switch, safety rails) as the API reads and writes them.</summary>
public sealed record AutomationSettingsDto(string AutomationMode, bool KillSwitch, decimal MaxBudgetChangePercentPerDay, int CooldownHours,
    int MaxActionsPerRun, int MaxActionsPerDay, decimal MinSpend, int MinImpressions, int MinPurchasesForScaleUp, bool TrackingBreakerEnabled,
    decimal TrackingDropPercent)
{
    public static AutomationSettingsDto From(RailSettings s) => new(s.StoreMode, s.KillSwitch, s.MaxBudgetChangePercentPerDay, s.CooldownHours,
        s.MaxActionsPerRun, s.MaxActionsPerDay, s.MinSpend, s.MinImpressions, s.MinPurchasesForScaleUp, s.TrackingBreakerEnabled, s.TrackingDropPercent);

    public RailSettings ToRails() => new()
    {
        StoreMode = AutomationMode,
        KillSwitch = KillSwitch,
        MaxBudgetChangePercentPerDay = MaxBudgetChangePercentPerDay,
        CooldownHours = CooldownHours,
        MaxActionsPerRun = MaxActionsPerRun,
        MaxActionsPerDay = MaxActionsPerDay,
        MinSpend = MinSpend,
        MinImpressions = MinImpressions,
        MinPurchasesForScaleUp = MinPurchasesForScaleUp,
        TrackingBreakerEnabled = TrackingBreakerEnabled,
        TrackingDropPercent = TrackingDropPercent,
    };
}
