using AdIntel.Web.Infrastructure.Htmx;
using AdIntel.Web.Metrics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AdIntel.Web.Pages.Campaigns;

/// <summary>
/// The three campaign screens share their query (<c>from</c>, <c>to</c>, <c>preset</c>, <c>sort</c>, <c>dir</c>) and
/// their rendering: one handler answers the full page, or for htmx the report fragment it swaps in.
/// </summary>
public abstract class PerformancePageModel(StoreClock clock) : PageModel
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
