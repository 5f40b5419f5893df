using System.Globalization;
using AdIntel.Plugins.Abstractions;
using AdIntel.Web.Rules.Actions;
using AdIntel.Web.Rules.Definitions;

namespace AdIntel.Web.Brain.Planner;

/// <summary>What became of one proposed budget in the approval queue.</summary>
public sealed record PlannerSubmission(PlannedBudget Budget, BudgetChange Change, ActionOutcome Outcome);

/// <summary>
/// Offers a plan's budget changes to the approval queue: each as a set_budget proposal from the "planner" source
/// through <see cref="ActionExecutor"/>, so the safety rails decide as for any rule, and with the planner's automation
/// mode (suggestions only) nothing runs until a person approves it on the approvals page.
/// </summary>
public sealed class PlannerApprovals(ActionExecutor executor)
{
    public const string Source = "planner";
    public const string Name = "Budget planner";

    public async Task<IReadOnlyList<PlannerSubmission>> SendAsync(BudgetPlan plan, CancellationToken cancellationToken)
    {
        var session = await executor.BeginAsync(cancellationToken);
        var submissions = new List<PlannerSubmission>();
        foreach (var change in plan.Allocation.Changes.Where(c => c.Amount != 0))
        {
            var budget = plan.Find(change.Key)!;
            var inv = CultureInfo.InvariantCulture;
            var proposal = new ActionProposal
            {
                Source = Source,
                Scope = budget.Scope,
                EntityId = budget.Id,
                Action = new RuleActionSpec { Type = ActionTypes.SetBudget, Amount = change.NewBudget },
                Evidence = new EntityEvidence((decimal)budget.Days.Where(d => d.Date >= plan.Today.AddDays(-BudgetPlanner.RecentDays)).Sum(d => d.Spend), 0, 0),
            };
            var origin = new ProposalOrigin(
                string.Create(inv, $"{Source}:{plan.Today:yyyy-MM-dd}:{budget.Key}:{change.NewBudget:0.00}"), null, Name, budget.ExternalId, budget.Name,
                new Dictionary<string, object?>
                {
                    ["today_spend"] = Math.Round(change.Spend, 2),
                    ["marginal_profit_per_dollar"] = Math.Round(change.MarginalProfit, 4),
                    ["expected_profit_change_per_day"] = Math.Round(change.ExpectedProfitChange, 2),
                    ["margin_per_sale"] = plan.MarginPerSale is { } margin ? Math.Round(margin, 4) : null,
                });
            submissions.Add(new PlannerSubmission(budget, change, await executor.ProposeAsync(session, proposal, origin, cancellationToken)));
        }
        return submissions;
    }
}
