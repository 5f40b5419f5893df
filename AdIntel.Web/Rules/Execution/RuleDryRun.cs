using System.Text.Json.Serialization;
using AdIntel.Web.Domain;
using AdIntel.Web.Rules.Definitions;
using AdIntel.Web.Rules.Snapshots;

namespace AdIntel.Web.Rules.Execution;

/// <summary>
/// An entity a rule matches now, with the values its expression read (<c>POST /api/rules/{id}/test</c>); for
/// plugin and script rules also why (a plugin's reason) and what the plugin proposes.
/// </summary>
public sealed record DryRunMatch(long EntityId, string ExternalId, string Name, string Status, IReadOnlyDictionary<string, object?> Values,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<RuleActionSpec>? ProposedActions = null);

/// <param name="Evaluated">Entities of the rule's scope judged (the API's <c>evaluated</c>).</param>
/// <param name="InFilter">Of those, the ones the filter kept.</param>
public sealed record DryRunResult(int Evaluated, int InFilter, IReadOnlyList<DryRunMatch> Matches, DateTimeOffset AsOf);

/// <summary>What a rule (saved or not) matches right now; changes nothing.</summary>
public sealed class RuleDryRun(RuleSnapshotBuilder snapshots)
{
    public async Task<DryRunResult> RunAsync(PreparedRule rule, CancellationToken cancellationToken)
    {
        var snapshot = await snapshots.BuildAsync(null, cancellationToken);
        var evaluations = rule.Evaluate(snapshot);
        var matches = evaluations.Where(e => e.Matched)
            .Select(e => rule.Kind == RuleKinds.Expression
                ? new DryRunMatch(e.Entity.Id, e.Entity.ExternalId, e.Entity.Name, e.Entity.Status, e.Values)
                : new DryRunMatch(e.Entity.Id, e.Entity.ExternalId, e.Entity.Name, e.Entity.Status, e.Values, e.Reason, e.ProposedActions)).ToList();
        return new DryRunResult(evaluations.Count, evaluations.Count(e => e.InFilter), matches, snapshot.AsOf);
    }
}
