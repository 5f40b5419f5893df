using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Infrastructure.Htmx;
using AdIntel.Web.Metrics;
using AdIntel.Web.Reports;
using AdIntel.Web.Reports.Export;
using AdIntel.Web.Reports.Ltv;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AdIntel.Web.Pages.Reports;

/// <summary>What the predicted-LTV body shows: the stored fit's state, and its forecast as the downloads write it.</summary>
public sealed record LtvView(LtvFitStatus Status, ReportDocument? Document, MetricFormatter Format)
{
    public LtvForecast? Forecast => Status.Forecast;

    /// <summary>Money as the downloads round it (to cents).</summary>
    public string Money(double value) => Format.Money(Math.Round((decimal)value, 2, MidpointRounding.AwayFromZero));

    public static string Count(double value) => Math.Round(value, 0, MidpointRounding.AwayFromZero).ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// The predicted LTV: the store's stored BG/NBD + Gamma-Gamma forecast in plain words, the customers expected to spend
/// the most, the parameters on request, and the downloads. The page never fits: without a stored fit (or with an
/// outdated one) it asks for one in the background and polls until it is stored.
/// </summary>
[Authorize(Policy = Policies.Accountant)]
public sealed class LtvModel(LtvFits fits, ReportService reports, StoreClock clock) : PageModel
{
    public LtvView View { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        View = await ViewAsync(await fits.GetFreshAsync(cancellationToken), cancellationToken);
        return this.PageOrPartial("_LtvBody", View);
    }

    /// <summary>"Fit again": asks for a new fit (after a failure, or to refresh by hand).</summary>
    public async Task<IActionResult> OnPostRefitAsync(CancellationToken cancellationToken)
    {
        var status = await fits.RefitAsync(cancellationToken);
        if (!Request.IsHtmxFragmentRequest())
        {
            return RedirectToPage();
        }
        View = await ViewAsync(status, cancellationToken);
        return Partial("_LtvBody", View);
    }

    private async Task<LtvView> ViewAsync(LtvFitStatus status, CancellationToken cancellationToken)
    {
        var format = new MetricFormatter((await clock.GetCalendarAsync(cancellationToken)).Currency);
        var document = status.Forecast is { } forecast ? await reports.DocumentAsync(forecast, cancellationToken) : null;
        return new LtvView(status, document, format);
    }
}
