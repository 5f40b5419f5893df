using System.Globalization;
using AdIntel.Web.Metrics;
using AdIntel.Web.Reports.Benchmarks;

namespace AdIntel.Web.Reports;

/// <summary>The reports and export formats the API, the pages and the schedules accept.</summary>
public static class ReportNames
{
    public const string Summary = "summary";
    public const string Creative = "creative";
    public const string Benchmarks = "benchmarks";
    public const string Cohorts = "cohorts";
    /// <summary>Predicted LTV: the stored BG/NBD + Gamma-Gamma forecast of the next 12 months (takes no period).</summary>
    public const string Ltv = "ltv";

    public static IReadOnlyList<string> All { get; } = [Summary, Creative, Benchmarks, Cohorts, Ltv];

    public static IReadOnlyList<string> Formats { get; } = ["csv", "xlsx", "pdf"];

    public static string Title(string report) => report switch
    {
        Summary => "Profit & loss",
        Creative => "Creative performance",
        Benchmarks => "Industry benchmarks",
        Cohorts => "LTV cohorts",
        Ltv => "Predicted LTV",
        _ => report,
    };
}

/// <summary>One report over one range with its options (granularity for the P&amp;L, basis for cohorts, vertical for benchmarks).</summary>
public sealed record ReportQuery(string Report, DateRange Range, string Preset, Granularity Granularity = Granularity.Month,
    CohortBasis Basis = CohortBasis.GrossProfit, string Vertical = BenchmarkCatalog.AllVerticals);

/// <summary>Why a report request was refused: the parameter at fault and a sentence for people.</summary>
public sealed record ReportRequestError(string Code, string Message, string Parameter, string? Value);

/// <summary>Reads report requests from query strings, forms and the export API, with one set of rules and messages.</summary>
public static class ReportRequest
{
    /// <summary>The 12 complete calendar months before the current one: what an accountant's P&amp;L usually covers.</summary>
    public const string Last12Months = "12m";
    public const string LastMonth = "lm";

    public static IReadOnlyList<(string Key, string Label)> Presets { get; } =
        [("today", "Today"), ("yesterday", "Yesterday"), ("30d", "Last 30 days"), ("90d", "Last 90 days"), (LastMonth, "Last month"), (Last12Months, "Last 12 months"), ("mtd", "Month to date")];

    /// <summary>The range a report shows when none is asked for.</summary>
    public static string DefaultPreset(string report) => report is ReportNames.Summary or ReportNames.Cohorts ? Last12Months : "30d";

    public static bool TryParse(string report, string? from, string? to, string? preset, string? granularity, string? basis, string? vertical,
        DateOnly today, out ReportQuery query, out ReportRequestError? error)
    {
        query = new ReportQuery(report, new DateRange(today, today), "custom");
        error = null;
        if (!ReportNames.All.Contains(report))
        {
            error = new ReportRequestError("unknown_report", $"There is no report \"{report}\"; reports are {string.Join(", ", ReportNames.All)}.", "report", report);
            return false;
        }
        if (!ReportPeriods.TryParseGranularity(granularity, out var periods))
        {
            error = new ReportRequestError("invalid_granularity", $"granularity \"{granularity}\" is not month or week.", "granularity", granularity);
            return false;
        }
        if (!CohortReport.TryParseBasis(basis, out var cohortBasis))
        {
            error = new ReportRequestError("invalid_basis", $"basis \"{basis}\" is not revenue or grossProfit.", "basis", basis);
            return false;
        }
        var verticalKey = string.IsNullOrWhiteSpace(vertical) ? BenchmarkCatalog.AllVerticals : vertical.Trim();
        if (!BenchmarkCatalog.Default.IsVertical(verticalKey))
        {
            var keys = string.Join(", ", BenchmarkCatalog.Default.Verticals.Select(v => v.Key));
            error = new ReportRequestError("invalid_vertical", $"vertical \"{vertical}\" is not one of {keys}.", "vertical", vertical);
            return false;
        }

        var hasDates = !string.IsNullOrWhiteSpace(from) || !string.IsNullOrWhiteSpace(to);
        var presetKey = string.IsNullOrWhiteSpace(preset) ? (hasDates ? null : DefaultPreset(report)) : preset.Trim();
        DateRange range;
        string chosen;
        if (presetKey is Last12Months or LastMonth)
        {
            if (hasDates)
            {
                error = new ReportRequestError(DateRangeQuery.ErrorCode, $"Give either preset={presetKey} or from and to, not both.", "preset", presetKey);
                return false;
            }
            var monthStart = new DateOnly(today.Year, today.Month, 1);
            range = presetKey == Last12Months
                ? new DateRange(monthStart.AddMonths(-12), monthStart.AddDays(-1))
                : new DateRange(monthStart.AddMonths(-1), monthStart.AddDays(-1));
            chosen = presetKey;
        }
        else if (presetKey is not null && presetKey != DatePreset.Custom && DatePreset.Find(presetKey) is null)
        {
            var keys = string.Join(", ", Presets.Select(p => p.Key).Concat(DatePreset.All.Select(p => p.Key)).Append(DatePreset.Custom).Distinct());
            error = new ReportRequestError(DateRangeQuery.ErrorCode, $"Unknown preset \"{presetKey}\"; use one of {keys}.", "preset", presetKey);
            return false;
        }
        else if (!DateRangeQuery.TryParse(from, to, presetKey, today, out var selection, out var rangeError))
        {
            error = new ReportRequestError(DateRangeQuery.ErrorCode, rangeError!.Message, rangeError.Parameter, rangeError.Value);
            return false;
        }
        else
        {
            range = selection.Range;
            chosen = selection.Preset;
        }
        query = new ReportQuery(report, range, chosen, periods, cohortBasis, verticalKey);
        return true;
    }

    public static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
