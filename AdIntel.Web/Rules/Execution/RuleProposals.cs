using AdIntel.Web.Domain;
using AdIntel.Web.Rules.Actions;
using AdIntel.Web.Rules.Definitions;
using AdIntel.Web.Rules.Plugins;
using AdIntel.Web.Rules.Snapshots;

namespace AdIntel.Web.Rules.Execution;

/// <summary>
/// What a rule proposes for one matched entity, as the rails judge it: the same for a real run (<see cref="RuleRunner"/>)
/// and a backtest (<see cref="RuleBacktester"/>), so a backtest holds back what a run would.
/// </summary>
public sealed class RuleProposals(PluginCatalog plugins, RulePluginRunner pluginRunner)
{
    public static ActionProposal For(Rule rule, EntitySnapshot entity, RuleActionSpec action, IReadOnlyDictionary<string, string> vetoes) => new()
    {
        Source = rule.Kind switch { RuleKinds.Plugin => "plugin", RuleKinds.Script => "script", _ => "rule" },
        RuleId = rule.Id,
        RuleRisk = rule.RiskLevel,
        RuleMode = rule.AutomationMode,
        Scope = entity.Scope,
        EntityId = entity.Id,
        Action = action,
        Evidence = EntityEvidence.From(entity),
        GuardVetoes = [.. vetoes.Where(v => v.Key == action.Type).Select(v => v.Value)],
    };

    /// <summary>Action type → the guards' reasons, from every loaded plugin that blocks something on this entity (none unless an action changes the platform).</summary>
    public IReadOnlyDictionary<string, string> GuardVetoes(EntitySnapshot entity, RuleSnapshot snapshot, IReadOnlyList<RuleActionSpec> actions)
    {
        var vetoes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!actions.Any(a => a.ChangesPlatform))
        {
            return vetoes;
        }
        foreach (var plugin in plugins.Plugins)
        {
            var result = pluginRunner.Evaluate(plugin.Id, entity, snapshot, null);
            foreach (var type in result.Outcome?.BlockedActionTypes ?? [])
            {
                vetoes[type] = vetoes.TryGetValue(type, out var existing) ? $"{existing} {plugin.Name}: {result.Outcome!.Reason}" : $"{plugin.Name}: {result.Outcome!.Reason}";
            }
        }
        return vetoes;
    }
}
