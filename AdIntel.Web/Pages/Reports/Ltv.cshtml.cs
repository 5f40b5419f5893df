using System.Globalization;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Metrics;
using AdIntel.Web.Reports.Ltv;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AdIntel.Web.Pages.Reports;

/// <summary>The fitted BG/NBD + Gamma-Gamma models and the customers they expect the most from over the next year.</summary>
[Authorize(Policy = Policies.Accountant)]
public sealed class LtvModel(LtvModelService models, StoreClock clock) : PageModel
{
    public const int HorizonWeeks = 52;
    public const int CustomersShown = 25;

    public DateOnly CalibrationEnd { get; private set; }
    public string? Error { get; private set; }
    public LtvModelFit? Fit { get; private set; }
    public IReadOnlyList<CustomerOutlook> TopCustomers { get; private set; } = [];
    public double? ExpectedRepeatSales { get; private set; }
    public MetricFormatter Format { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string? calibrationEnd, CancellationToken cancellationToken)
    {
        Format = new MetricFormatter((await clock.GetCalendarAsync(cancellationToken)).Currency);
        CalibrationEnd = await clock.GetTodayAsync(cancellationToken);
        if (!string.IsNullOrWhiteSpace(calibrationEnd))
        {
            if (!DateOnly.TryParseExact(calibrationEnd, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var end))
            {
                Error = $"\"{calibrationEnd}\" is not a date in the form YYYY-MM-DD.";
                Response.StatusCode = StatusCodes.Status400BadRequest;
                return Page();
            }
            CalibrationEnd = end;
        }
        try
        {
            Fit = await models.FitAsync(CalibrationEnd, BtydUnit.Week, cancellationToken);
            var outlooks = Fit.Summary.Select(c => Fit.Outlook(c, HorizonWeeks)).ToList();
            ExpectedRepeatSales = outlooks.Sum(o => o.ExpectedSales ?? 0);
            TopCustomers = outlooks.OrderByDescending(o => o.ExpectedSales ?? 0).Take(CustomersShown).ToList();
        }
        catch (InsufficientLtvDataException e)
        {
            Error = e.Message;
        }
        return Page();
    }

    public static string Number(double value, string format = "0.000") => value.ToString(format, CultureInfo.InvariantCulture);
}
