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
/// start of a run and updated as the run executes actions, so decisions within one run see each other.
/// </summary>
public sealed class RailLedger(DateTime dayStartUtc, IEnumerable<LedgerEntry> executed)
{
    private readonly List<LedgerEntry> _entries = [.. executed.OrderBy(e => e.AtUtc)];

    public DateTime DayStartUtc { get; } = dayStartUtc;

    /// <summary>Automatic platform changes in the current run (see <see cref="BeginRun"/>).</summary>
    public int AutomaticThisRun { get; private set; }

    /// <summary>Automatic platform changes since the start of the store's day.</summary>
    public int AutomaticToday => _entries.Count(e => e.Automatic && ChangesPlatform(e.Type) && e.AtUtc >= DayStartUtc);

    public void BeginRun() => AutomaticThisRun = 0;

    public void Record(LedgerEntry entry)
    {
        _entries.Add(entry);
        if (entry.Automatic && ChangesPlatform(entry.Type))
        {
            AutomaticThisRun++;
        }
    }

    /// <summary>The entity's budget before its first budget change today; null when it has not changed today.</summary>
    public decimal? DayBaselineBudget(RuleScope scope, long entityId) =>
        _entries.FirstOrDefault(e => e.Scope == scope && e.EntityId == entityId && e.AtUtc >= DayStartUtc && e.BudgetBefore is not null
            && new RuleActionSpec { Type = e.Type }.ChangesBudget)?.BudgetBefore;

    public DateTime? LastPlatformChange(RuleScope scope, long entityId) =>
        _entries.LastOrDefault(e => e.Scope == scope && e.EntityId == entityId && ChangesPlatform(e.Type))?.AtUtc;

    public DateTime? LastInformational(long? ruleId, RuleScope scope, long entityId, string type) =>
        _entries.LastOrDefault(e => e.Scope == scope && e.EntityId == entityId && e.RuleId == ruleId && e.Type == type)?.AtUtc;

    public IReadOnlyList<LedgerEntry> Entries => _entries;

    private static bool ChangesPlatform(string type) => new RuleActionSpec { Type = type }.ChangesPlatform;
}
