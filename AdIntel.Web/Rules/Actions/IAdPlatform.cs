using AdIntel.Web.Rules.Snapshots;

namespace AdIntel.Web.Rules.Actions;

/// <summary>An ad entity's live state on its platform: what actions change and undo restores.</summary>
/// <param name="DailyBudget">The entity's own daily budget; null when it has none (an ad, or an ad set under a campaign budget).</param>
public sealed record AdEntityState(RuleScope Scope, long Id, string ExternalId, string Name, string Status, decimal? DailyBudget);

/// <summary>
/// The port every action goes through to reach an ad platform. The demo store and CSV-imported stores use
/// <see cref="SimulatedAdPlatform"/> (changes the local rows); the Meta Marketing API client implements the same port.
/// Implementations apply exactly the change asked for and return the state after it; they never decide anything
/// (that is <see cref="SafetyRails"/>' job).
/// </summary>
public interface IAdPlatform
{
    /// <summary>The entity's current state; null when it does not exist (or belongs to another store).</summary>
    Task<AdEntityState?> GetAsync(RuleScope scope, long entityId, CancellationToken cancellationToken);

    /// <summary>Sets ACTIVE or PAUSED.</summary>
    Task<AdEntityState> SetStatusAsync(RuleScope scope, long entityId, string status, CancellationToken cancellationToken);

    /// <summary>Sets the entity's own daily budget (campaigns and ad sets).</summary>
    Task<AdEntityState> SetDailyBudgetAsync(RuleScope scope, long entityId, decimal dailyBudget, CancellationToken cancellationToken);
}
