using AdIntel.Web.Domain;
using AdIntel.Web.Rules.Definitions;
using AdIntel.Web.Rules.Snapshots;

namespace AdIntel.Web.Rules.Actions;

/// <summary>An executed action as the rails count it.</summary>
/// <param name="Automatic">True when automation ran it; false when a person approved it.</param>
public sealed record LedgerEntry(RuleScope Scope, long EntityId, long? RuleId, string Type, DateTime AtUtc, decimal? BudgetBefore, bool Automatic);

/// <summary>
/// The actions already executed that the rails must take into account: today's (store-local day) for the daily
/// budget limit and the daily count, and those within the cooldown. Built from <see cref="ActionRecord"/>s at the
/// start of a run and updated as the run executes actions, so decisions within one run see each other. Kept by
/// entity, so a run that notifies about thousands of entities asks in constant time per proposal.
/// </summary>
public sealed class RailLedger
{
    private readonly Dictionary<(RuleScope Scope, long EntityId), List<LedgerEntry>> _byEntity = [];

    public RailLedger(DateTime dayStartUtc, IEnumerable<LedgerEntry> executed)
    {
        DayStartUtc = dayStartUtc;
        foreach (var entry in executed.OrderBy(e => e.AtUtc))
        {
            Add(entry);
        }
    }

    public DateTime DayStartUtc { get; }

    /// <summary>Automatic platform changes in the current run (see <see cref="BeginRun"/>).</summary>
    public int AutomaticThisRun { get; private set; }

    /// <summary>Automatic platform changes since the start of the store's day.</summary>
    public int AutomaticToday { get; private set; }

    public void BeginRun() => AutomaticThisRun = 0;

    public void Record(LedgerEntry entry)
    {
        Add(entry);
        if (entry.Automatic && ChangesPlatform(entry.Type))
        {
            AutomaticThisRun++;
        }
    }

    /// <summary>The entity's budget before its first budget change today; null when it has not changed today.</summary>
    public decimal? DayBaselineBudget(RuleScope scope, long entityId) =>
        Of(scope, entityId).FirstOrDefault(e => e.AtUtc >= DayStartUtc && e.BudgetBefore is not null && ChangesBudget(e.Type))?.BudgetBefore;

    public DateTime? LastPlatformChange(RuleScope scope, long entityId) =>
        Of(scope, entityId).LastOrDefault(e => ChangesPlatform(e.Type))?.AtUtc;

    public DateTime? LastInformational(long? ruleId, RuleScope scope, long entityId, string type) =>
        Of(scope, entityId).LastOrDefault(e => e.RuleId == ruleId && e.Type == type)?.AtUtc;

    private void Add(LedgerEntry entry)
    {
        if (!_byEntity.TryGetValue((entry.Scope, entry.EntityId), out var entries))
        {
            entries = [];
            _byEntity[(entry.Scope, entry.EntityId)] = entries;
        }
        entries.Add(entry);
        if (entry.Automatic && ChangesPlatform(entry.Type) && entry.AtUtc >= DayStartUtc)
        {
            AutomaticToday++;
        }
    }

    private IReadOnlyList<LedgerEntry> Of(RuleScope scope, long entityId) =>
        _byEntity.TryGetValue((scope, entityId), out var entries) ? entries : [];

    private static bool ChangesPlatform(string type) => RuleActionSpec.TypeChangesPlatform(type);

    private static bool ChangesBudget(string type) => RuleActionSpec.TypeChangesBudget(type);
}
