using AdIntel.Web.Brain.Planner;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Infrastructure.Htmx;
using AdIntel.Web.Metrics;
using AdIntel.Web.Rules.Actions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AdIntel.Web.Pages.Planner;

/// <summary>
/// The budget planner: every budget's spend → purchase value curve and the proposed reallocation. Marketers send the
/// proposal to the approval queue; with htmx only the proposal card is swapped, otherwise the page redirects to itself.
/// </summary>
[Authorize(Policy = Policies.Viewer)]
public sealed class IndexModel(BudgetPlanner planner, PlannerApprovals approvals, StoreClock clock) : PageModel
{
    public PlannerProposalView Proposal { get; private set; } = null!;

    public bool CanSend => User.GetStoreRole() >= StoreRole.Marketer;

    [TempData]
    public string? Flash { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => Proposal = await LoadAsync(Flash, cancellationToken);

    public async Task<IActionResult> OnPostSendToApprovalsAsync(CancellationToken cancellationToken)
    {
        if (!CanSend)
        {
            return Forbid();
        }
        var plan = await planner.BuildAsync(cancellationToken);
        var message = plan.Allocation.Moves.Count == 0
            ? "Nothing was sent: the planner proposes no budget change right now."
            : Describe(await approvals.SendAsync(plan, cancellationToken));
        if (!Request.IsHtmxFragmentRequest())
        {
            Flash = message;
            return RedirectToPage();
        }
        Proposal = await ViewAsync(plan, message, cancellationToken);
        return Partial("_Proposal", Proposal);
    }

    private async Task<PlannerProposalView> LoadAsync(string? message, CancellationToken cancellationToken) =>
        await ViewAsync(await planner.BuildAsync(cancellationToken), message, cancellationToken);

    private async Task<PlannerProposalView> ViewAsync(BudgetPlan plan, string? message, CancellationToken cancellationToken)
    {
        var calendar = await clock.GetCalendarAsync(cancellationToken);
        return new PlannerProposalView(plan, new MetricFormatter(calendar.Currency), CanSend, message);
    }

    private static string Describe(IReadOnlyList<PlannerSubmission> submissions)
    {
        var queued = submissions.Count(s => s.Outcome.Result is ActionOutcome.Queued or ActionOutcome.AlreadyPending or ActionOutcome.Duplicate);
        var refused = submissions.Where(s => s.Outcome.Result is not (ActionOutcome.Queued or ActionOutcome.AlreadyPending or ActionOutcome.Duplicate)).ToList();
        var text = queued == 0 ? "No budget change was queued." : $"{queued} budget {(queued == 1 ? "change waits" : "changes wait")} for approval.";
        return refused.Count == 0 ? text : text + " Not queued: " + string.Join(" ", refused.Select(s => $"{s.Budget.Name}: {s.Outcome.Reason}"));
    }
}

/// <summary>What the planner page and its proposal card show.</summary>
public sealed record PlannerProposalView(BudgetPlan Plan, MetricFormatter Format, bool CanSend, string? Message)
{
    public string NameOf(string key) => Plan.Find(key)?.Name ?? key;

    public string Money(double value) => Format.Money(Math.Round((decimal)value, 2));

    public string Money(decimal value) => Format.Money(value);

    /// <summary>"+$12.30" or "−$4.10".</summary>
    public string SignedMoney(double value) => (value < 0 ? "−" : "+") + Money(Math.Abs(value));

    public string SignedMoney(decimal value) => SignedMoney((double)value);

    public string Ratio(double? value) => Format.Format(MetricFormat.Ratio, value is { } v && double.IsFinite(v) ? (decimal)v : null);

    public string Share(double? value) => Format.Format(MetricFormat.Percent, value is { } v && double.IsFinite(v) ? (decimal)v : null);
}
