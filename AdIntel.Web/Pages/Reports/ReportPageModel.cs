using AdIntel.Web.Infrastructure.Htmx;
using AdIntel.Web.Metrics;
using AdIntel.Web.Reports;
using AdIntel.Web.Reports.Export;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AdIntel.Web.Pages.Reports;

/// <summary>What a report page's swappable body shows: the filters, and the report's tables (or why there are none).</summary>
public sealed class ReportView
{
    public required string Report { get; init; }
    public required string Path { get; init; }
    public required ReportQuery Query { get; init; }
    public required MetricFormatter Format { get; init; }
    public ReportRequestError? Error { get; init; }
    public bool HasData { get; init; }
    public ReportDocument? Document { get; init; }
    /// <summary>The cohort report behind the heat map (cohorts page only).</summary>
    public CohortReport? Cohorts { get; init; }

    public string Iso(DateOnly date) => ReportRequest.Iso(date);

    /// <summary>This page's URL for the current report with some choices changed (a preset, or the current range kept).</summary>
    public string Link(string? preset = null, string? granularity = null, string? basis = null, string? vertical = null)
    {
        var parts = new List<string>();
        var keepRange = preset is null;
        if (keepRange && Query.Preset == Metrics.DatePreset.Custom)
        {
            parts.Add("from=" + Iso(Query.Range.From));
            parts.Add("to=" + Iso(Query.Range.To));
        }
        else
        {
            parts.Add("preset=" + Uri.EscapeDataString(preset ?? Query.Preset));
        }
        if (Report == ReportNames.Summary)
        {
            parts.Add("granularity=" + (granularity ?? Query.Granularity.Key()));
        }
        if (Report == ReportNames.Cohorts)
        {
            parts.Add("basis=" + (basis ?? CohortReport.Key(Query.Basis)));
        }
        if (Report == ReportNames.Benchmarks)
        {
            parts.Add("vertical=" + Uri.EscapeDataString(vertical ?? Query.Vertical));
        }
        return Path + "?" + string.Join('&', parts);
    }
}

/// <summary>
/// The report pages: one GET handler serves the full page and, for htmx requests from the filters, only the body partial
/// (the URL is pushed, so Back and reload show the same report). The tables come from the same <see cref="ReportDocument"/>
/// the exports write, so the page and its downloads always agree.
/// </summary>
public abstract class ReportPageModel(ReportService reports, MetricsService metrics, StoreClock clock) : PageModel
{
    protected abstract string Report { get; }

    public ReportView View { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string? from, string? to, string? preset, string? granularity, string? basis, string? vertical,
        CancellationToken cancellationToken)
    {
        var calendar = await clock.GetCalendarAsync(cancellationToken);
        var format = new MetricFormatter(calendar.Currency);
        var path = Request.Path.Value ?? "/reports";
        var hasData = await metrics.HasDataAsync(cancellationToken);

        if (!ReportRequest.TryParse(Report, from, to, preset, granularity, basis, vertical, await clock.GetTodayAsync(cancellationToken),
                out var query, out var error))
        {
            View = new ReportView { Report = Report, Path = path, Query = query, Format = format, Error = error, HasData = hasData };
            // htmx does not swap error responses, so its fragment carries the message with a 200.
            if (!Request.IsHtmxFragmentRequest())
            {
                Response.StatusCode = StatusCodes.Status400BadRequest;
            }
        }
        else if (!hasData)
        {
            View = new ReportView { Report = Report, Path = path, Query = query, Format = format };
        }
        else
        {
            CohortReport? cohorts = null;
            ReportDocument document;
            if (Report == ReportNames.Cohorts)
            {
                // The heat map needs the cohorts themselves; the tables are their document.
                cohorts = await reports.CohortsAsync(query.Range, query.Basis, cancellationToken);
                document = await reports.DocumentAsync(cohorts, cancellationToken);
            }
            else
            {
                document = await reports.DocumentAsync(query, cancellationToken);
            }
            View = new ReportView { Report = Report, Path = path, Query = query, Format = format, HasData = true, Document = document, Cohorts = cohorts };
        }
        return this.PageOrPartial("_ReportBody", View);
    }
}
