using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Metrics;
using AdIntel.Web.Reports;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AdIntel.Web.Pages.Reports;

/// <summary>
/// The report pages' download buttons: a plain form POST (antiforgery-checked like every page form) that answers with the
/// file, so the browser downloads it and the page stays. Refusals send the person back to the report with the message.
/// </summary>
[Authorize(Policy = Policies.Accountant)]
public sealed class ExportModel(ReportService reports, StoreClock clock) : PageModel
{
    public IActionResult OnGet() => Redirect("/reports");

    public async Task<IActionResult> OnPostAsync(string? report, string? format, string? from, string? to, string? granularity, string? basis,
        string? vertical, CancellationToken cancellationToken)
    {
        var name = report?.Trim() ?? "";
        var kind = format?.Trim().ToLowerInvariant() ?? "";
        if (!ReportNames.All.Contains(name) || !ReportNames.Formats.Contains(kind))
        {
            return BadRequest($"Unknown report \"{report}\" or format \"{format}\": reports are {string.Join(", ", ReportNames.All)}; formats csv, xlsx, pdf.");
        }
        var today = await clock.GetTodayAsync(cancellationToken);
        if (!ReportRequest.TryParse(name, from, to, null, granularity, basis, vertical, today, out var query, out var error))
        {
            return BadRequest(error!.Message);
        }
        try
        {
            var file = await reports.ExportAsync(query, kind, cancellationToken);
            return File(file.Content, file.ContentType, file.FileName);
        }
        catch (ReportUnavailableException e)
        {
            return new ConflictObjectResult(e.Message);
        }
    }
}
