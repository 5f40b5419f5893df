using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Infrastructure.Htmx;
using AdIntel.Web.Metrics;
using AdIntel.Web.Rules.Actions;
using AdIntel.Web.Rules.Snapshots;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AdIntel.Web.Pages.Campaigns;

/// <summary>
/// The three campaign screens share their query (<c>from</c>, <c>to</c>, <c>preset</c>, <c>sort</c>, <c>dir</c>), their
/// rendering (one handler answers the full page, or for htmx the report fragment it swaps in) and their manual controls:
/// pause, enable and budget changes by hand (marketers and owners) through <see cref="ActionExecutor.ChangeByPersonAsync"/>,
/// the same executor as rule actions, with undo.
/// </summary>
[Authorize(Policy = Policies.Viewer)]
public abstract class PerformancePageModel(StoreClock clock, ActionExecutor executor) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "from")]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true, Name = "to")]
    public string? To { get; set; }

    [BindProperty(SupportsGet = true, Name = "preset")]
    public string? Preset { get; set; }

    [BindProperty(SupportsGet = true, Name = "sort")]
    public string? SortKey { get; set; }

    [BindProperty(SupportsGet = true, Name = "dir")]
    public string? SortDirection { get; set; }

    public PerformanceReport Report { get; protected set; } = null!;

    /// <summary>What the last change did (kept over the redirect after a plain form post).</summary>
    [TempData]
    public string? ChangeMessage { get; set; }

    /// <summary>The id of the action to offer an undo for (TempData keeps strings, not longs).</summary>
    [TempData]
    public string? ChangeUndoActionId { get; set; }

    public bool CanChange => User.GetStoreRole() >= StoreRole.Marketer;

    /// <summary>The executor of the screen's changes, for the handlers of one screen (the campaign's automation).</summary>
    protected ActionExecutor Executor => executor;

    /// <summary>The screen's report over <paramref name="query"/>, or null when its campaign or ad set does not exist.</summary>
    protected abstract Task<PerformanceReport?> LoadReportAsync(ReportQuery query, CancellationToken cancellationToken);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await RenderAsync(new ControlOutcome(ChangeMessage, false,
            long.TryParse(ChangeUndoActionId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var undo) ? undo : null, null),
            cancellationToken);

    /// <summary>Pause, enable, set or scale a budget by hand; a budget beyond the daily rail comes back to be confirmed.</summary>
    public async Task<IActionResult> OnPostChangeAsync(string scope, long entityId, string? status, decimal? dailyBudget, decimal? budgetChangePercent,
        bool confirm, CancellationToken cancellationToken)
    {
        if (!CanChange)
        {
            return Forbid();
        }
        // What is changed must be this store's before anything about the change is judged.
        if (!RuleScopes.TryParse(scope, out var ruleScope) || ruleScope == RuleScope.Account
            || !await executor.EntityExistsAsync(ruleScope, entityId, cancellationToken))
        {
            return NotFound();
        }
        var change = new ManualChange(status, dailyBudget, budgetChangePercent, confirm);
        var (action, problem) = change.ToAction();
        if (problem is not null)
        {
            return await AnswerAsync(new ControlOutcome(problem, true, null, null), cancellationToken);
        }
        var result = await executor.ChangeByPersonAsync(ruleScope, entityId, action!, User.GetActor(), confirm, cancellationToken);
        if (result.Status == StatusCodes.Status404NotFound)
        {
            return NotFound();
        }
        return await AnswerAsync(result.Status switch
        {
            StatusCodes.Status428PreconditionRequired => new ControlOutcome(result.Message, true, null, new PendingConfirmation(scope, entityId, change)),
            _ when result.Ok => new ControlOutcome(result.Message, false, result.Record!.Id, null),
            StatusCodes.Status200OK => new ControlOutcome(result.Message, false, null, null),
            _ => new ControlOutcome(result.Message, true, null, null),
        }, cancellationToken);
    }

    /// <summary>Undo a change made here (or any executed action): the value before it is restored.</summary>
    public async Task<IActionResult> OnPostUndoAsync(long actionId, CancellationToken cancellationToken)
    {
        if (!CanChange)
        {
            return Forbid();
        }
        var result = await executor.UndoAsync(actionId, User.GetActor(), cancellationToken);
        if (result.Status == StatusCodes.Status404NotFound)
        {
            return NotFound();
        }
        return await AnswerAsync(new ControlOutcome(result.Ok ? "Undone: " + ActionExecutor.Describe(result.Record!) + "." : result.Message, !result.Ok, null, null),
            cancellationToken);
    }

    /// <summary>htmx gets the report with the outcome; a plain form post is redirected back with it (a confirmation is shown at once).</summary>
    protected async Task<IActionResult> AnswerAsync(ControlOutcome outcome, CancellationToken cancellationToken)
    {
        if (!Request.IsHtmxFragmentRequest() && outcome.Confirmation is null)
        {
            ChangeMessage = outcome.Message;
            ChangeUndoActionId = outcome.UndoActionId?.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var kept = Request.Query.Where(q => q.Key != "handler").SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v)));
            return Redirect(Request.Path + QueryString.Create(kept));
        }
        return await RenderAsync(outcome, cancellationToken);
    }

    private async Task<IActionResult> RenderAsync(ControlOutcome outcome, CancellationToken cancellationToken)
    {
        var query = await ReadQueryAsync(cancellationToken);
        if (await LoadReportAsync(query, cancellationToken) is not { } report)
        {
            return NotFound();
        }
        Report = report;
        Report.CanChange = CanChange;
        Report.Control = outcome.Message is null ? null : outcome;
        return Render();
    }

    /// <summary>An unusable range or order falls back to the defaults and says so, rather than failing the screen.</summary>
    protected async Task<ReportQuery> ReadQueryAsync(CancellationToken cancellationToken)
    {
        var calendar = await clock.GetCalendarAsync(cancellationToken);
        var today = await clock.GetTodayAsync(cancellationToken);
        var notices = new List<string>();
        if (!DateRangeQuery.TryParse(From, To, Preset, today, out var selection, out var rangeError))
        {
            notices.Add($"{rangeError!.Message} Showing the {DatePreset.Default.Label.ToLowerInvariant()} instead.");
        }
        if (!PerformanceSort.TryParse(SortKey, SortDirection, out var sort, out var sortError))
        {
            notices.Add(sortError!);
        }
        return new ReportQuery(selection, sort, calendar.Currency, notices.Count == 0 ? null : string.Join(" ", notices));
    }

    /// <summary>The report fragment for an htmx swap (it then carries its own title), the full page otherwise.</summary>
    protected IActionResult Render()
    {
        Report.IsFragment = Request.IsHtmxFragmentRequest();
        return this.PageOrPartial("_Report", Report);
    }

    protected sealed record ReportQuery(DateRangeSelection Selection, PerformanceSort Sort, string Currency, string? Notice);
}

/// <summary>What a manual change or undo did, shown above the report: a sentence, an undo for a change just made, or the confirmation a big budget change needs.</summary>
public sealed record ControlOutcome(string? Message, bool IsProblem, long? UndoActionId, PendingConfirmation? Confirmation);

/// <summary>A change waiting for the person to confirm it (its values go back in the confirming form).</summary>
public sealed record PendingConfirmation(string Scope, long EntityId, ManualChange Change);
