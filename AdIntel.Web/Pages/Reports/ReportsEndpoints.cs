using System.Net.Mail;
using AdIntel.Web.Infrastructure.Api;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Metrics;
using AdIntel.Web.Reports;
using AdIntel.Web.Reports.Benchmarks;
using AdIntel.Web.Reports.Ltv;
using AdIntel.Web.Reports.Scheduling;

namespace AdIntel.Web.Pages.Reports;

/// <summary>
/// <c>/api/reports/*</c>: the reports as JSON, the model LTV, exports and the report e-mail schedules. Reading and
/// exporting needs the accountant role (or above); changing schedules needs a marketer, like any other setting.
/// </summary>
public static class ReportsEndpoints
{
    public static RouteGroupBuilder MapReportsEndpoints(this RouteGroupBuilder api)
    {
        var reports = api.MapGroup("/reports");
        reports.MapGet("/summary", SummaryAsync).RequireAuthorization(Policies.Accountant);
        reports.MapGet("/creative", CreativeAsync).RequireAuthorization(Policies.Accountant);
        reports.MapGet("/benchmarks", BenchmarksAsync).RequireAuthorization(Policies.Accountant);
        reports.MapGet("/cohorts", CohortsAsync).RequireAuthorization(Policies.Accountant);
        reports.MapGet("/ltv-model", LtvModelAsync).RequireAuthorization(Policies.Accountant);
        reports.MapGet("/ltv-model/customers", LtvCustomersAsync).RequireAuthorization(Policies.Accountant);
        reports.MapPost("/export", ExportAsync).RequireAuthorization(Policies.Accountant);
        reports.MapGet("/schedules", ListSchedulesAsync).RequireAuthorization(Policies.Accountant);
        reports.MapPost("/schedules", CreateScheduleAsync).RequireAuthorization(Policies.Marketer);
        reports.MapDelete("/schedules/{id:long}", DeleteScheduleAsync).RequireAuthorization(Policies.Marketer);
        reports.MapPost("/schedules/{id:long}/send", SendScheduleAsync).RequireAuthorization(Policies.Marketer);
        return api;
    }

    private static async Task<IResult> SummaryAsync(string? from, string? to, string? preset, string? granularity, StoreClock clock, ReportService reports,
        CancellationToken cancellationToken)
    {
        var (query, problem) = await ParseAsync(ReportNames.Summary, from, to, preset, granularity, null, null, clock, cancellationToken);
        if (query is null)
        {
            return problem!;
        }
        var report = await reports.SummaryAsync(query.Range, query.Granularity, cancellationToken);
        return ApiResults.Ok(new
        {
            period = Period(report.Range),
            granularity = report.Granularity.Key(),
            lines = ProfitAndLossReport.Lines.Select(l => new { key = l.Key, label = l.Label, formula = l.Formula }),
            rows = report.Rows.Select(r => Lines(r.Kpis, new Dictionary<string, object?> { ["from"] = r.Period.From, ["to"] = r.Period.To, ["label"] = r.Label })),
            totals = Lines(report.Total, []),
        });
    }

    private static async Task<IResult> CreativeAsync(string? from, string? to, string? preset, StoreClock clock, ReportService reports,
        CancellationToken cancellationToken)
    {
        var (query, problem) = await ParseAsync(ReportNames.Creative, from, to, preset, null, null, null, clock, cancellationToken);
        if (query is null)
        {
            return problem!;
        }
        var report = await reports.CreativeAsync(query.Range, cancellationToken);
        return ApiResults.Ok(new
        {
            period = Period(report.Range),
            ads = report.Rows.Select(r => new
            {
                adId = r.AdId, externalId = r.ExternalId, name = r.Name, campaign = r.Campaign, creativeType = r.CreativeType, status = r.Status,
                spend = Money(r.Spend), impressions = r.Impressions, reach = r.Reach, clicks = r.Clicks, purchases = r.Purchases,
                purchaseValue = Money(r.PurchaseValue), roas = Ratio(r.Roas), ctr = Ratio(r.Ctr), cpa = Money(r.Cpa), frequency = Ratio(r.Frequency),
                fatigued = r.IsFatigued, fatigue = r.Fatigue,
            }),
            totals = new
            {
                spend = Money(report.Spend), impressions = report.Impressions, clicks = report.Clicks, purchases = report.Purchases,
                purchaseValue = Money(report.PurchaseValue), roas = Ratio(KpiCalculator.Ratio(report.PurchaseValue, report.Spend)),
                ctr = Ratio(KpiCalculator.Ratio(report.Clicks, report.Impressions)), cpa = Money(KpiCalculator.Ratio(report.Spend, report.Purchases)),
                frequency = Ratio(KpiCalculator.Ratio(report.Impressions, report.Reach)),
            },
        });
    }

    private static async Task<IResult> BenchmarksAsync(string? from, string? to, string? preset, string? vertical, StoreClock clock, ReportService reports,
        CancellationToken cancellationToken)
    {
        var (query, problem) = await ParseAsync(ReportNames.Benchmarks, from, to, preset, null, null, vertical, clock, cancellationToken);
        if (query is null)
        {
            return problem!;
        }
        var report = await reports.BenchmarksAsync(query.Range, query.Vertical, cancellationToken);
        return ApiResults.Ok(new
        {
            period = Period(report.Range),
            vertical = report.Vertical,
            verticals = BenchmarkCatalog.Default.Verticals.Select(v => new { key = v.Key, label = v.Label }),
            about = BenchmarkCatalog.Default.About,
            benchmarks = report.Rows.Select(r => new
            {
                metric = r.Benchmark.Metric, label = r.Benchmark.Label, unit = r.Benchmark.Unit, low = r.Benchmark.Low, high = r.Benchmark.High,
                higherIsBetter = r.Benchmark.HigherIsBetter, verticals = r.Benchmark.Verticals,
                store = r.StoreValue is { } value ? Math.Round(value, 4, MidpointRounding.AwayFromZero) : (decimal?)null,
                verdict = r.Verdict switch
                {
                    BenchmarkVerdict.Better => "better", BenchmarkVerdict.Within => "within", BenchmarkVerdict.Worse => "worse", _ => "not_comparable",
                },
                why = r.Why, source = r.Benchmark.Source, url = r.Benchmark.Url,
            }),
            community = new
            {
                optedIn = report.Community.OptedIn,
                contributors = report.Community.Contributors,
                minimumStores = report.Community.MinimumStores,
                metrics = report.Community.Metrics.Select(m => new
                {
                    metric = m.Metric, label = m.Label, unit = m.Unit, higherIsBetter = m.HigherIsBetter, stores = m.Stores,
                    store = Round(m.StoreValue, m.Unit), p25 = Round(m.P25, m.Unit), p50 = Round(m.P50, m.Unit), p75 = Round(m.P75, m.Unit),
                    position = m.Position switch
                    {
                        CommunityPosition.BelowP25 => "below_p25", CommunityPosition.P25ToP50 => "p25_p50",
                        CommunityPosition.P50ToP75 => "p50_p75", CommunityPosition.AboveP75 => "above_p75", _ => null,
                    },
                }),
            },
        });

        // Money to cents and ratios to 4 decimals, as everywhere in the API.
        static decimal? Round(decimal? value, string unit) => value is { } v ? Math.Round(v, unit == "money" ? 2 : 4, MidpointRounding.AwayFromZero) : null;
    }

    private static async Task<IResult> CohortsAsync(string? from, string? to, string? preset, string? basis, StoreClock clock, ReportService reports,
        CancellationToken cancellationToken)
    {
        var (query, problem) = await ParseAsync(ReportNames.Cohorts, from, to, preset, null, basis, null, clock, cancellationToken);
        if (query is null)
        {
            return problem!;
        }
        var report = await reports.CohortsAsync(query.Range, query.Basis, cancellationToken);
        return ApiResults.Ok(new
        {
            period = Period(report.Range),
            asOf = report.AsOf,
            basis = CohortReport.Key(report.Basis),
            cohorts = report.Cohorts.Select(c => new
            {
                month = c.Month, customers = c.Customers, cac = Money(c.Cac), paybackMonth = c.PaybackMonth,
                months = c.Cells.Select(cell => new
                {
                    monthsSince = cell.MonthsSince, month = cell.Month, activeCustomers = cell.ActiveCustomers, retention = Math.Round(cell.Retention, 4, MidpointRounding.AwayFromZero),
                    ltv = Money(cell.Value(report.Basis)), revenuePerCustomer = Money(cell.RevenuePerCustomer),
                    grossProfitPerCustomer = Money(cell.GrossProfitPerCustomer), partial = cell.IsPartial,
                }),
            }),
        });
    }

    private static async Task<IResult> LtvModelAsync(string? calibrationEnd, string? unit, LtvModelService models, StoreClock clock,
        CancellationToken cancellationToken)
    {
        var (end, btydUnit, problem) = await ParseModelAsync(calibrationEnd, unit, clock, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        try
        {
            var fit = await models.FitAsync(end, btydUnit, cancellationToken);
            return ApiResults.Ok(new
            {
                calibrationEnd = fit.CalibrationEnd,
                unit = btydUnit == BtydUnit.Week ? "week" : "day",
                customers = fit.Customers,
                repeatCustomers = fit.RepeatCustomers,
                bgNbd = new { r = fit.Purchases.R, alpha = fit.Purchases.Alpha, a = fit.Purchases.A, b = fit.Purchases.B, logLikelihood = fit.PurchasesLogLikelihood },
                // At the boundary (the same dropout chance for everyone) a and b only grow without limit: their mean is what they say.
                dropout = new
                {
                    mean = Math.Round(fit.Purchases.MeanDropout, 4), sameForEveryCustomer = fit.Purchases.DropoutIsHomogeneous,
                    description = fit.Purchases.DropoutInWords,
                },
                gammaGamma = new
                {
                    p = fit.Value.P, q = fit.Value.Q, v = fit.Value.V, logLikelihood = fit.ValueLogLikelihood,
                    meanValuePerPurchase = fit.Value.PopulationMeanValue is { } mean ? Math.Round(mean, 2) : (double?)null,
                },
                r = fit.Purchases.R, alpha = fit.Purchases.Alpha, a = fit.Purchases.A, b = fit.Purchases.B,
                p = fit.Value.P, q = fit.Value.Q, v = fit.Value.V,
                logLikelihood = fit.PurchasesLogLikelihood + fit.ValueLogLikelihood,
                grossMargin = Math.Round(fit.GrossMargin, 4),
            });
        }
        catch (InsufficientLtvDataException e)
        {
            return ApiResults.Unprocessable("insufficient_data", e.Message);
        }
    }

    private static async Task<IResult> LtvCustomersAsync(string? calibrationEnd, string? unit, string? horizon, string? cursor, string? limit,
        LtvModelService models, StoreClock clock, CancellationToken cancellationToken)
    {
        var (end, btydUnit, problem) = await ParseModelAsync(calibrationEnd, unit, clock, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }
        var defaultHorizon = btydUnit == BtydUnit.Week ? 52 : 365;
        if (!TryInt(horizon, defaultHorizon, 1, 3650, out var horizonUnits))
        {
            return ApiResults.BadRequest("horizon must be a whole number of units from 1 to 3650.", new { parameter = "horizon", value = horizon });
        }
        if (!TryInt(limit, 100, 1, 1000, out var pageSize) || !TryInt(cursor, 0, 0, int.MaxValue, out var offset))
        {
            return ApiResults.BadRequest("limit must be 1–1000 and cursor a value from a previous page.", new { limit, cursor });
        }
        try
        {
            var fit = await models.FitAsync(end, btydUnit, cancellationToken);
            var page = fit.Summary.Skip(offset).Take(pageSize).Select(c => fit.Outlook(c, horizonUnits)).Select(o => new
            {
                customerId = o.Customer.CustomerId, frequency = o.Customer.Frequency, recency = Math.Round(o.Customer.Recency, 4), t = Math.Round(o.Customer.Age, 4),
                meanRepeatValue = o.Customer.MeanRepeatValue is { } m ? Math.Round(m, 2) : (double?)null,
                expectedPurchases = Math.Round(o.ExpectedPurchases, 4), probabilityAlive = Math.Round(o.ProbabilityAlive, 4),
                expectedValuePerPurchase = o.ExpectedValuePerPurchase is { } v ? Math.Round(v, 2) : (double?)null,
                expectedSales = o.ExpectedSales is { } s ? Math.Round(s, 2) : (double?)null,
                expectedGrossProfit = o.ExpectedSales is { } gp ? Math.Round(gp * fit.GrossMargin, 2) : (double?)null,
            }).ToList();
            var next = offset + pageSize < fit.Summary.Count ? (offset + pageSize).ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
            return ApiResults.List(page, next);
        }
        catch (InsufficientLtvDataException e)
        {
            return ApiResults.Unprocessable("insufficient_data", e.Message);
        }
    }

    /// <summary>The export body: <c>{"report", "format", "from", "to"}</c> plus the report's own options.</summary>
    public sealed record ExportRequest(string? Report, string? Format, string? From, string? To, string? Preset, string? Granularity, string? Basis, string? Vertical);

    private static async Task<IResult> ExportAsync(ExportRequest? body, StoreClock clock, ReportService reports, CancellationToken cancellationToken)
    {
        if (body is null)
        {
            return ApiResults.BadRequest("Send a JSON body: {\"report\": \"summary\", \"format\": \"csv|xlsx|pdf\", \"from\": \"YYYY-MM-DD\", \"to\": \"YYYY-MM-DD\"}.");
        }
        var report = body.Report?.Trim() ?? "";
        if (!ReportNames.All.Contains(report))
        {
            return ApiResults.Unprocessable("unknown_report", $"There is no report \"{body.Report}\"; reports are {string.Join(", ", ReportNames.All)}.",
                new { parameter = "report", value = body.Report, valid = ReportNames.All });
        }
        var format = body.Format?.Trim().ToLowerInvariant() ?? "";
        if (!ReportNames.Formats.Contains(format))
        {
            return ApiResults.Unprocessable("unsupported_format", $"Format \"{body.Format}\" is not supported; use csv, xlsx or pdf.",
                new { parameter = "format", value = body.Format, valid = ReportNames.Formats });
        }
        var today = await clock.GetTodayAsync(cancellationToken);
        if (!ReportRequest.TryParse(report, body.From, body.To, body.Preset, body.Granularity, body.Basis, body.Vertical, today, out var query, out var error))
        {
            return ApiResults.Error(StatusCodes.Status400BadRequest, error!.Code, error.Message, new { parameter = error.Parameter, value = error.Value });
        }
        try
        {
            var file = await reports.ExportAsync(query, format, cancellationToken);
            return Results.File(file.Content, file.ContentType, file.FileName);
        }
        catch (ReportUnavailableException e)
        {
            return ApiResults.Error(StatusCodes.Status409Conflict, "report_unavailable", e.Message, new { report });
        }
    }

    private static async Task<IResult> ListSchedulesAsync(ScheduledReports schedules, CancellationToken cancellationToken) =>
        ApiResults.List(await schedules.ListAsync(cancellationToken));

    public sealed record ScheduleRequest(string? Report, string? Format, string? Frequency, string? Recipient);

    private static async Task<IResult> CreateScheduleAsync(ScheduleRequest? body, HttpContext http, ScheduledReports schedules, CancellationToken cancellationToken)
    {
        if (body is null)
        {
            return ApiResults.BadRequest("Send a JSON body: {\"report\", \"format\", \"frequency\": \"weekly|monthly\", \"recipient\"}.");
        }
        if (ValidateSchedule(body.Report, body.Format, body.Frequency, body.Recipient) is { } problem)
        {
            return ApiResults.Unprocessable(problem.Code, problem.Message, new { parameter = problem.Parameter });
        }
        if (await schedules.CountAsync(cancellationToken) >= ScheduledReports.MaxPerStore)
        {
            return ApiResults.Error(StatusCodes.Status409Conflict, "too_many_schedules", $"A store can have at most {ScheduledReports.MaxPerStore} report e-mails; delete one first.");
        }
        var created = await schedules.CreateAsync(body.Report!.Trim(), body.Format!.Trim().ToLowerInvariant(), body.Frequency!.Trim().ToLowerInvariant(),
            body.Recipient!, http.User.GetActor(), cancellationToken);
        return Results.Json(new ApiResults.DataEnvelope<ScheduledReportView>(created), statusCode: StatusCodes.Status201Created);
    }

    /// <summary>Shared by the API and the schedules page: null when the schedule is valid.</summary>
    public static ReportRequestError? ValidateSchedule(string? report, string? format, string? frequency, string? recipient)
    {
        if (report is null || !ReportNames.All.Contains(report.Trim()))
        {
            return new("unknown_report", $"Choose a report: {string.Join(", ", ReportNames.All)}.", "report", report);
        }
        if (format is null || !ReportNames.Formats.Contains(format.Trim().ToLowerInvariant()))
        {
            return new("unsupported_format", "Choose a format: csv, xlsx or pdf.", "format", format);
        }
        if (frequency is null || !ReportFrequency.All.Contains(frequency.Trim().ToLowerInvariant()))
        {
            return new("invalid_frequency", "Choose weekly or monthly.", "frequency", frequency);
        }
        if (string.IsNullOrWhiteSpace(recipient) || recipient.Trim().Length > 256 || !MailAddress.TryCreate(recipient.Trim(), out var address)
            || address.Address != recipient.Trim())
        {
            return new("invalid_recipient", "Give one e-mail address to send the report to.", "recipient", recipient);
        }
        return null;
    }

    private static async Task<IResult> DeleteScheduleAsync(long id, ScheduledReports schedules, CancellationToken cancellationToken) =>
        await schedules.DeleteAsync(id, cancellationToken) ? Results.NoContent() : ApiResults.NotFound("The report e-mail");

    private static async Task<IResult> SendScheduleAsync(long id, ScheduledReports schedules, CancellationToken cancellationToken) =>
        await schedules.SendNowAsync(id, cancellationToken)
            ? Results.Json(new ApiResults.DataEnvelope<object>(new { queued = true }), statusCode: StatusCodes.Status202Accepted)
            : ApiResults.NotFound("The report e-mail");

    private static async Task<(ReportQuery? Query, IResult? Problem)> ParseAsync(string report, string? from, string? to, string? preset, string? granularity, string? basis,
        string? vertical, StoreClock clock, CancellationToken cancellationToken)
    {
        var today = await clock.GetTodayAsync(cancellationToken);
        if (ReportRequest.TryParse(report, from, to, preset, granularity, basis, vertical, today, out var query, out var error))
        {
            return (query, null);
        }
        return (null, ApiResults.Error(StatusCodes.Status400BadRequest, error!.Code, error.Message, new { parameter = error.Parameter, value = error.Value }));
    }

    private static async Task<(DateOnly End, BtydUnit Unit, IResult? Problem)> ParseModelAsync(string? calibrationEnd, string? unit, StoreClock clock,
        CancellationToken cancellationToken)
    {
        var today = await clock.GetTodayAsync(cancellationToken);
        var btydUnit = BtydUnit.Week;
        if (!string.IsNullOrWhiteSpace(unit))
        {
            switch (unit.Trim().ToLowerInvariant())
            {
                case "week":
                    break;
                case "day":
                    btydUnit = BtydUnit.Day;
                    break;
                default:
                    return (today, btydUnit, ApiResults.BadRequest($"unit \"{unit}\" is not week or day.", new { parameter = "unit", value = unit }));
            }
        }
        var end = today;
        if (!string.IsNullOrWhiteSpace(calibrationEnd)
            && !DateOnly.TryParseExact(calibrationEnd.Trim(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out end))
        {
            return (today, btydUnit, ApiResults.Error(StatusCodes.Status400BadRequest, DateRangeQuery.ErrorCode,
                $"calibrationEnd \"{calibrationEnd}\" is not a date in the form YYYY-MM-DD.", new { parameter = "calibrationEnd", value = calibrationEnd }));
        }
        return (end, btydUnit, null);
    }

    private static bool TryInt(string? text, int fallback, int min, int max, out int value)
    {
        value = fallback;
        return string.IsNullOrWhiteSpace(text)
            || (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value) && value >= min && value <= max);
    }

    private static object Period(DateRange range) => new { from = range.From, to = range.To };

    private static decimal? Money(decimal? value) => value is { } v ? Math.Round(v, 2, MidpointRounding.AwayFromZero) : null;

    private static decimal? Ratio(decimal? value) => value is { } v ? Math.Round(v, 4, MidpointRounding.AwayFromZero) : null;

    private static Dictionary<string, object?> Lines(KpiSet kpis, Dictionary<string, object?> row)
    {
        foreach (var line in ProfitAndLossReport.Lines)
        {
            row[line.Key] = Money(line.Value(kpis));
        }
        row["orders"] = kpis.Orders;
        return row;
    }
}
