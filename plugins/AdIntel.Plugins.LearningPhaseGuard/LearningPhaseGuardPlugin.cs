using System.Globalization;
using AdIntel.Plugins.Abstractions;

namespace AdIntel.Plugins.LearningPhaseGuard;

/// <summary>
/// Learning-phase guard: Meta re-enters the learning phase after a significant edit and leaves it after about 50
/// optimisation events within 7 days. A budget edit in that time restarts learning and usually raises costs, so this
/// plugin vetoes budget actions (<see cref="RuleOutcome.BlockedActionTypes"/>) on ad sets (and CBO campaigns) that
/// have too few purchases in the last days or were edited recently. It proposes nothing itself.
/// </summary>
public sealed class LearningPhaseGuardPlugin : IRulePlugin
{
    private static readonly string[] BudgetActions = [ActionTypes.ScaleBudget, ActionTypes.SetBudget];

    public string Id => "adintel.learning-phase-guard";

    public IReadOnlyList<PluginParameter> Parameters { get; } =
    [
        new("min_purchases", "Purchases needed in the window to count as out of learning.", 50, 0, 10_000),
        new("window_days", "Complete days before today in which the purchases are counted.", 7, 1, 30),
        new("hours_after_edit", "Hours after a significant edit (budget, bid, targeting) during which budget changes stay blocked.", 72, 0, 720),
    ];

    public RuleOutcome Evaluate(PluginEvaluationContext context)
    {
        var entity = context.Entity;
        if (entity.Scope is not ("ad_set" or "campaign"))
        {
            return RuleOutcome.NoMatch($"The learning-phase guard judges ad sets and campaigns, where budgets are; {entity.Name} is an {entity.Scope.Replace('_', ' ')}.");
        }

        var minPurchases = context.Parameter("min_purchases", 50);
        var windowDays = (int)context.Parameter("window_days", 7);
        var hoursAfterEdit = context.Parameter("hours_after_edit", 72);
        var first = context.Today.AddDays(-windowDays);
        var last = context.Today.AddDays(-1);
        var purchases = entity.History.Where(d => d.Date >= first && d.Date <= last).Sum(d => d.Purchases);

        var reasons = new List<string>();
        if (purchases < minPurchases)
        {
            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"{purchases:0} purchases in the last {windowDays} days (under {minPurchases:0})"));
        }
        if (entity.LastSignificantEditAt is { } edited && edited <= context.AsOf && (context.AsOf - edited).TotalHours < hoursAfterEdit)
        {
            reasons.Add(string.Create(CultureInfo.InvariantCulture, $"a significant edit {(context.AsOf - edited).TotalHours:0} hours ago (within {hoursAfterEdit:0})"));
        }

        if (reasons.Count == 0)
        {
            return RuleOutcome.NoMatch(string.Create(CultureInfo.InvariantCulture,
                $"{entity.Name} is out of the learning phase ({purchases:0} purchases in the last {windowDays} days, no edit in the last {hoursAfterEdit:0} hours): budget changes are allowed."));
        }
        return new RuleOutcome
        {
            Matched = true,
            Reason = $"{entity.Name} is in the learning phase: {string.Join(" and ", reasons)}. Budget changes now would restart learning, so they are blocked.",
            BlockedActionTypes = BudgetActions,
        };
    }
}
