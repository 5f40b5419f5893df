using AdIntel.Web.Brain.Planner;
using AdIntel.Web.Infrastructure.Api;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Metrics;
using AdIntel.Web.Rules.Snapshots;

namespace AdIntel.Web.Pages.Planner;

/// <summary>
/// <c>/api/planner</c>: the budget planner as JSON. <c>GET</c> answers every budget with its days, fitted curve,
/// marginal ROAS and marginal profit at today's spend (with their 5–95 % bands) and the proposed moves; <c>POST
/// /api/planner/approvals</c> offers the proposed budgets to the approval queue. Money in cents, ratios to 4 decimals,
/// null where a number does not exist (no curve, no margin).
/// </summary>
public static class PlannerEndpoints
{
    public static RouteGroupBuilder MapPlannerEndpoints(this RouteGroupBuilder api)
    {
        var planner = api.MapGroup("/planner");
        planner.MapGet("", GetAsync).RequireAuthorization(Policies.Viewer);
        planner.MapPost("/approvals", SendToApprovalsAsync).RequireAuthorization(Policies.Marketer);
        return api;
    }

    private static async Task<IResult> GetAsync(BudgetPlanner planner, CancellationToken cancellationToken) =>
        ApiResults.Ok(Plan(await planner.BuildAsync(cancellationToken)));

    private static async Task<IResult> SendToApprovalsAsync(BudgetPlanner planner, PlannerApprovals approvals, CancellationToken cancellationToken)
    {
        var plan = await planner.BuildAsync(cancellationToken);
        if (plan.Allocation.Moves.Count == 0)
        {
            return ApiResults.Error(StatusCodes.Status409Conflict, "nothing_to_propose",
                plan.Problem ?? "The planner proposes no budget change right now: no move is likely enough to gain.");
        }
        var submissions = await approvals.SendAsync(plan, cancellationToken);
        return ApiResults.Ok(new
        {
            submitted = submissions.Select(s => new
            {
                scope = s.Budget.Scope.ToApiName(),
                id = s.Budget.Id,
                name = s.Budget.Name,
                dailyBudget = Money(s.Change.Budget),
                newBudget = Money(s.Change.NewBudget),
                result = s.Outcome.Result,
                reason = s.Outcome.Reason,
                actionId = s.Outcome.ActionId,
            }).ToList(),
        });
    }

    private static object Plan(BudgetPlan plan) => new
    {
        today = plan.Today,
        window = new { from = plan.Window.From, to = plan.Window.To },
        marginPerSale = Ratio(plan.MarginPerSale),
        maxBudgetChangePercentPerDay = plan.MaxBudgetChangePercentPerDay,
        model = "purchaseValue = a × ln(1 + spend / b)",
        budgets = plan.Budgets.Select(b => Budget(plan, b)).ToList(),
        proposal = new
        {
            expectedProfitChange = Money(plan.Allocation.ExpectedProfitChange),
            expectedProfitChangeLow = plan.Allocation.Moves.Count == 0 ? null : Money(plan.Allocation.Low),
            expectedProfitChangeHigh = plan.Allocation.Moves.Count == 0 ? null : Money(plan.Allocation.High),
            probabilityOfGain = plan.Allocation.Moves.Count == 0 ? null : Ratio(plan.Allocation.ProbabilityPositive),
            problem = plan.Problem,
            moves = plan.Allocation.Moves.Select(m => new
            {
                from = Reference(plan.Find(m.From)!),
                to = Reference(plan.Find(m.To)!),
                amount = Money(m.Amount),
                expectedProfitChange = Money(m.ExpectedProfitChange),
                expectedProfitChangeLow = Money(m.Low),
                expectedProfitChangeHigh = Money(m.High),
                probabilityOfGain = Ratio(m.ProbabilityPositive),
            }).ToList(),
        },
    };

    private static object Reference(PlannedBudget budget) => new { scope = budget.Scope.ToApiName(), id = budget.Id, name = budget.Name };

    private static object Budget(BudgetPlan plan, PlannedBudget budget)
    {
        var change = plan.ChangeOf(budget);
        var used = budget.UsedDays.ToList();
        return new
        {
            scope = budget.Scope.ToApiName(),
            id = budget.Id,
            externalId = budget.ExternalId,
            name = budget.Name,
            campaignId = budget.CampaignId,
            campaignName = budget.CampaignName,
            dailyBudget = Money(budget.Budget),
            todaySpend = Money(budget.TodaySpend),
            daysWithSpend = used.Count,
            spendVariation = budget.Fit.Spread.Days > 0 ? Ratio(budget.Fit.Spread.Variation) : null,
            observedRoas = Ratio(used.Sum(d => d.Spend) is > 0 and var spend ? used.Sum(d => d.Value) / spend : null),
            fit = budget.Curve is { } curve && budget.TodaySpend is { } today ? Fit(plan, budget.Fit, curve, today) : null,
            problem = budget.Problem,
            proposal = change is { Amount: not 0 } ? new
            {
                newBudget = Money(change.NewBudget),
                change = Money(change.Amount),
                newSpend = Money(change.NewSpend),
                newMarginalProfit = Ratio(change.NewMarginalProfit),
                expectedProfitChange = Money(change.ExpectedProfitChange),
            } : null,
            points = budget.Days.Select(d => new
            {
                date = d.Date,
                spend = Money(d.Spend),
                purchaseValue = Money(d.Value),
                excluded = budget.Excluded.TryGetValue(d.Date, out var reason) ? ExcludedName(reason) : null,
            }).ToList(),
        };
    }

    private static object Fit(BudgetPlan plan, SpendResponseFit fit, LogSpendResponse curve, double todaySpend)
    {
        var (low, high) = fit.MarginalBand(todaySpend);
        return new
        {
            a = Money(curve.A),
            b = Money(curve.B),
            rSquared = Ratio(fit.RSquared),
            marginalRoas = Ratio(curve.Marginal(todaySpend)),
            marginalRoasLow = Ratio(low),
            marginalRoasHigh = Ratio(high),
            marginalProfit = Ratio(plan.MarginalProfit(curve.Marginal(todaySpend))),
            marginalProfitLow = Ratio(plan.MarginalProfit(low)),
            marginalProfitHigh = Ratio(plan.MarginalProfit(high)),
            averageRoas = Ratio(curve.AverageRoas(todaySpend)),
            elasticity = Ratio(curve.Elasticity(todaySpend)),
        };
    }

    private static string ExcludedName(ExcludedDay reason) => reason == ExcludedDay.BrokenTracking ? "broken_tracking" : "unusual_demand";

    private static object? Money(decimal? value) => MetricDefinition.Round(MetricFormat.Money, value);

    private static object? Money(double? value) => Money(Finite(value));

    private static object? Ratio(decimal? value) => MetricDefinition.Round(MetricFormat.Ratio, value);

    private static object? Ratio(double? value) => Ratio(Finite(value));

    /// <summary>A double as a decimal; null for NaN, infinities and values beyond decimal's range.</summary>
    private static decimal? Finite(double? value) =>
        value is { } v && double.IsFinite(v) && Math.Abs(v) < 7.9e27 ? (decimal)v : null;
}
