using AdIntel.Web.Brain.Recommendations;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Infrastructure.Htmx;
using AdIntel.Web.Metrics;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AdIntel.Web.Pages.Overview;

/// <summary>
/// The overview: the recommendations panel, KPI cards (against the previous period and the store's targets), the daily
/// chart and the best and worst campaigns. One handler serves both the full page and, for htmx requests from the range
/// controls, only the body partial; the panel's buttons (marketers and owners) answer with the panel for htmx and a
/// redirect back otherwise.
/// </summary>
[Authorize(Policy = Policies.Viewer)]
public sealed class IndexModel(MetricsService metrics, StoreClock clock, RecommendationService recommendations) : PageModel
{
    public OverviewBody Body { get; private set; } = null!;

    public RecommendationsPanel Panel { get; private set; } = null!;

    /// <summary>What the last panel button did (kept over the redirect after a plain form post).</summary>
    [TempData]
    public string? RecommendationMessage { get; set; }

    [TempData]
    public bool RecommendationMessageIsProblem { get; set; }

    public bool CanAct => User.GetStoreRole() >= StoreRole.Marketer;

    public async Task<IActionResult> OnGetAsync(string? from, string? to, string? preset, CancellationToken cancellationToken)
    {
        var calendar = await clock.GetCalendarAsync(cancellationToken);
        var format = new MetricFormatter(calendar.Currency);

        if (DateRangeQuery.TryParse(from, to, preset, await clock.GetTodayAsync(cancellationToken), out var selection, out var error))
        {
            var targets = await metrics.GetTargetsAsync(cancellationToken);
            Body = await OverviewBody.LoadAsync(metrics, selection, format, targets.Targets, cancellationToken);
        }
        else
        {
            Body = new OverviewBody { Selection = selection, Format = format, Error = error, HasData = await metrics.HasDataAsync(cancellationToken) };
            // htmx does not swap error responses, so its fragment carries the message with a 200.
            if (!Request.IsHtmxFragmentRequest())
            {
                Response.StatusCode = StatusCodes.Status400BadRequest;
            }
        }
        if (!Request.IsHtmxFragmentRequest())
        {
            // The range controls swap only the body; the panel is about now, whatever the range.
            await LoadPanelAsync(RecommendationMessage, RecommendationMessageIsProblem, cancellationToken);
        }
        return this.PageOrPartial("_OverviewBody", Body);
    }

    public Task<IActionResult> OnPostDismissAsync(string key, CancellationToken cancellationToken) =>
        CommandAsync(() => recommendations.DismissAsync(key, User.GetActor(), cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostSnoozeAsync(string key, int days, CancellationToken cancellationToken) =>
        CommandAsync(() => recommendations.SnoozeAsync(key, days, User.GetActor(), cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostRestoreAsync(string key, CancellationToken cancellationToken) =>
        CommandAsync(() => recommendations.RestoreAsync(key, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostSendAsync(string key, CancellationToken cancellationToken) =>
        CommandAsync(() => recommendations.SendToApprovalsAsync(key, cancellationToken), cancellationToken);

    /// <summary>The panel with its text in plain language (the LLM's where it passed every check); htmx asks for it after the page shows.</summary>
    public async Task<IActionResult> OnGetNarratedAsync(CancellationToken cancellationToken)
    {
        await LoadPanelAsync(null, false, cancellationToken, narrate: true);
        return this.PartialOr("_Recommendations", Panel, RedirectToPage());
    }

    public async Task<IActionResult> OnPostRecomputeAsync(CancellationToken cancellationToken)
    {
        if (!CanAct)
        {
            return Forbid();
        }
        await recommendations.ComputeAsync(cancellationToken);
        return await AnswerAsync("Recomputed from the latest data.", false, cancellationToken);
    }

    private async Task<IActionResult> CommandAsync(Func<Task<RecommendationCommandResult>> command, CancellationToken cancellationToken)
    {
        if (!CanAct)
        {
            return Forbid();
        }
        var result = await command();
        if (result.Status == StatusCodes.Status404NotFound)
        {
            return NotFound();
        }
        var message = result.Ok && result.Item is { } item ? $"{result.Message} “{item.Recommendation.Title}”" : result.Message;
        return await AnswerAsync(message, !result.Ok, cancellationToken);
    }

    private async Task<IActionResult> AnswerAsync(string message, bool isProblem, CancellationToken cancellationToken)
    {
        if (!Request.IsHtmxFragmentRequest())
        {
            RecommendationMessage = message;
            RecommendationMessageIsProblem = isProblem;
            return RedirectToPage();
        }
        await LoadPanelAsync(message, isProblem, cancellationToken);
        return this.PartialOr("_Recommendations", Panel, RedirectToPage());
    }

    private async Task LoadPanelAsync(string? message, bool isProblem, CancellationToken cancellationToken, bool narrate = false)
    {
        var calendar = await clock.GetCalendarAsync(cancellationToken);
        var board = await recommendations.GetBoardAsync(cancellationToken);
        Panel = new RecommendationsPanel
        {
            Board = board,
            AiConfigured = recommendations.CanNarrate,
            Narration = narrate ? await recommendations.NarrateAsync(board, cancellationToken) : null,
            Format = new MetricFormatter(calendar.Currency),
            TimeZone = calendar.TimeZone,
            CanAct = CanAct,
            Message = message,
            MessageIsProblem = isProblem,
        };
    }
}
