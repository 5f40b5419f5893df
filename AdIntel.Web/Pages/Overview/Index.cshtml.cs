using AdIntel.Web.Infrastructure.Htmx;
using AdIntel.Web.Metrics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AdIntel.Web.Pages.Overview;

/// <summary>
/// The overview: KPI cards against the previous period, the daily chart and the best and worst campaigns.
/// One handler serves both the full page and, for htmx requests from the range controls, only the body partial.
/// </summary>
public sealed class IndexModel(MetricsService metrics, StoreClock clock) : PageModel
{
    public OverviewBody Body { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string? from, string? to, string? preset, CancellationToken cancellationToken)
    {
        var calendar = await clock.GetCalendarAsync(cancellationToken);
        var format = new MetricFormatter(calendar.Currency);

        if (DateRangeQuery.TryParse(from, to, preset, await clock.GetTodayAsync(cancellationToken), out var selection, out var error))
        {
            Body = await OverviewBody.LoadAsync(metrics, selection, format, cancellationToken);
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
        return this.PageOrPartial("_OverviewBody", Body);
    }
}
