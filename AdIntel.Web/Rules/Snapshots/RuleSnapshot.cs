namespace AdIntel.Web.Rules.Snapshots;

/// <summary>Every entity of a store at one instant, by scope: what a rule run (or one day of a backtest) evaluates.</summary>
public sealed class RuleSnapshot
{
    private readonly IReadOnlyDictionary<RuleScope, IReadOnlyList<EntitySnapshot>> _entities;

    internal RuleSnapshot(DateTimeOffset asOf, DateOnly today, IReadOnlyDictionary<RuleScope, IReadOnlyList<EntitySnapshot>> entities)
    {
        AsOf = asOf;
        Today = today;
        _entities = entities;
        _byId = entities.ToDictionary(p => p.Key, p => (IReadOnlyDictionary<long, EntitySnapshot>)p.Value.ToDictionary(e => e.Id));
    }

    private readonly IReadOnlyDictionary<RuleScope, IReadOnlyDictionary<long, EntitySnapshot>> _byId;

    public DateTimeOffset AsOf { get; }

    /// <summary>The store-local day of <see cref="AsOf"/>: the <c>_today</c> window.</summary>
    public DateOnly Today { get; }

    /// <summary>The entities of a scope, in id order (paused and archived ones included: filter on <c>status</c>).</summary>
    public IReadOnlyList<EntitySnapshot> Entities(RuleScope scope) => _entities[scope];

    public EntitySnapshot? Find(RuleScope scope, long id) => _byId[scope].GetValueOrDefault(id);
}
