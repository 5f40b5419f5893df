using System.Globalization;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Tenancy;
using AdIntel.Web.Metrics;
using AdIntel.Web.Reports.Benchmarks;
using AdIntel.Web.Reports.Export;
using AdIntel.Web.Reports.Ltv;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Reports;

/// <summary>An export ready to download or attach.</summary>
public sealed record ExportFile(string FileName, string ContentType, byte[] Content);

/// <summary>
/// The current store's reports, as data (for the pages and the API) and as a <see cref="ReportDocument"/> (for the
/// exports, and for the pages' tables, so a page and its downloads always show the same figures).
/// </summary>
public sealed class ReportService(AdIntelDbContext db, StoreContext storeContext, MetricsService metrics, StoreClock clock, TimeProvider time,
    IEnumerable<IReportWriter> writers, LedgerCache ledgers, LtvFits ltvFits, CommunityBenchmarks community)
{
    public Task<ProfitAndLossReport> SummaryAsync(DateRange range, Granularity granularity, CancellationToken cancellationToken) =>
        ProfitAndLossReport.BuildAsync(metrics, range, granularity, cancellationToken);

    public Task<CreativeReport> CreativeAsync(DateRange range, CancellationToken cancellationToken) =>
        CreativeReport.BuildAsync(db, range, cancellationToken);

    public async Task<CohortReport> CohortsAsync(DateRange range, CohortBasis basis, CancellationToken cancellationToken) =>
        await CohortReport.BuildAsync(ledgers, metrics, range, await clock.GetTodayAsync(cancellationToken), basis, cancellationToken);

    public async Task<BenchmarkReport> BenchmarksAsync(DateRange range, string vertical, CancellationToken cancellationToken)
    {
        var today = await clock.GetTodayAsync(cancellationToken);
        // Cohort growth needs cohorts old enough, whatever the period: every cohort of the last three years.
        var cohorts = await CohortReport.BuildAsync(ledgers, metrics, new DateRange(today.AddDays(1 - DateRange.MaxDays), today), today,
            CohortBasis.GrossProfit, cancellationToken);
        var calendar = await clock.GetCalendarAsync(cancellationToken);
        return await BenchmarkReport.BuildAsync(db, metrics, community, cohorts, range, vertical, calendar.Currency, cancellationToken);
    }

    /// <summary>The cohorts page's tables, from the cohorts it already built for its heat map.</summary>
    public async Task<ReportDocument> DocumentAsync(CohortReport cohorts, CancellationToken cancellationToken)
    {
        var (storeName, currency, generated) = await HeaderAsync(cancellationToken);
        return ReportDocuments.Cohorts(cohorts, storeName, currency, generated);
    }

    /// <summary>The predicted-LTV page's tables, from the stored forecast it already read.</summary>
    public async Task<ReportDocument> DocumentAsync(LtvForecast forecast, CancellationToken cancellationToken)
    {
        var (storeName, currency, generated) = await HeaderAsync(cancellationToken);
        return ReportDocuments.Ltv(forecast, storeName, currency, generated);
    }

    /// <summary>The stored forecast; refused in words while there is none (the models are being fitted, or cannot be).</summary>
    private async Task<LtvForecast> StoredForecastAsync(CancellationToken cancellationToken)
    {
        var status = await ltvFits.GetFreshAsync(cancellationToken);
        return status.Forecast ?? throw new ReportUnavailableException(status.Error is { } error
            ? "There is no predicted LTV for this store: " + error
            : status.IsFitting
                ? "The predicted LTV is being fitted; try again in a minute."
                : "There is no predicted LTV for this store yet: it needs orders from repeat customers.");
    }

    private async Task<(string StoreName, string Currency, DateTime GeneratedAtUtc)> HeaderAsync(CancellationToken cancellationToken)
    {
        var storeId = storeContext.RequiredStoreId;
        var storeName = await db.Stores.AsNoTracking().Where(s => s.Id == storeId).Select(s => s.Name).SingleAsync(cancellationToken);
        var currency = (await clock.GetCalendarAsync(cancellationToken)).Currency;
        return (storeName, currency, time.GetUtcNow().UtcDateTime);
    }

    public async Task<ReportDocument> DocumentAsync(ReportQuery query, CancellationToken cancellationToken)
    {
        var (storeName, currency, generated) = await HeaderAsync(cancellationToken);
        return query.Report switch
        {
            ReportNames.Summary => ReportDocuments.Summary(await SummaryAsync(query.Range, query.Granularity, cancellationToken), storeName, currency, generated),
            ReportNames.Creative => ReportDocuments.Creative(await CreativeAsync(query.Range, cancellationToken), storeName, currency, generated),
            ReportNames.Cohorts => ReportDocuments.Cohorts(await CohortsAsync(query.Range, query.Basis, cancellationToken), storeName, currency, generated),
            ReportNames.Benchmarks => ReportDocuments.Benchmarks(await BenchmarksAsync(query.Range, query.Vertical, cancellationToken), storeName, currency, generated),
            ReportNames.Ltv => ReportDocuments.Ltv(await StoredForecastAsync(cancellationToken), storeName, currency, generated),
            _ => throw new ArgumentOutOfRangeException(nameof(query), query.Report, "Unknown report."),
        };
    }

    public async Task<ExportFile> ExportAsync(ReportQuery query, string format, CancellationToken cancellationToken)
    {
        var writer = writers.FirstOrDefault(w => w.Format == format)
            ?? throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown export format.");
        var document = await DocumentAsync(query, cancellationToken);
        using var buffer = new MemoryStream();
        writer.Write(document, buffer);
        return new ExportFile(document.FileName(writer.Extension), writer.ContentType, buffer.ToArray());
    }
}

/// <summary>Why a report cannot be produced now, in words for people (e.g. the predicted LTV is still being fitted).</summary>
public sealed class ReportUnavailableException(string message) : Exception(message);

/// <summary>Each report as the tables (and chart) its page and its exports show.</summary>
public static class ReportDocuments
{
    public static ReportDocument Summary(ProfitAndLossReport report, string storeName, string currency, DateTime generatedAtUtc)
    {
        var lines = ProfitAndLossReport.Lines;
        var columns = new List<ReportColumn>
        {
            new("Period", ColumnKind.Text, 14),
            new("From", ColumnKind.Date, 11),
            new("To", ColumnKind.Date, 11),
        };
        // The subtotals and ad spend make the bottom line the page shows first: net sales down to profit after ads.
        columns.AddRange(lines.Select(l => new ReportColumn(l.Label, ColumnKind.Money, 13, ColumnTotal.Sum, l.Formula,
            Headline: l.IsSubtotal || l.Key == "adSpend")));
        var rows = report.Rows.Select(r => (IReadOnlyList<object?>)[r.Label, r.Period.From, r.Period.To, .. lines.Select(l => (object?)l.Value(r.Kpis))]).ToList();
        IReadOnlyList<object?> totals = [null, null, null, .. lines.Select(l => (object?)l.Value(report.Total))];
        var by = report.Granularity == Granularity.Week ? "week" : "month";
        var section = new ReportSection($"P&L by {by}", columns, rows, totals,
            "Every figure is the overview's metric for the same days, with the same formulas. Taxes are collected for the authorities and are not part of profit.");
        var chart = new ReportChart($"Net sales and profit after ads by {by}",
            report.Rows.Select(r => ShortLabel(r.Period, report.Granularity)).ToList(),
            [new ChartSeries("Net sales", report.Rows.Select(r => r.Kpis.NetSales).ToList()),
             new ChartSeries("Profit after ads", report.Rows.Select(r => r.Kpis.ProfitAfterAds).ToList())]);
        return new ReportDocument(ReportNames.Summary, ReportNames.Title(ReportNames.Summary), storeName, currency, report.Range, generatedAtUtc, [section], chart);
    }

    public static ReportDocument Creative(CreativeReport report, string storeName, string currency, DateTime generatedAtUtc)
    {
        ReportColumn[] columns =
        [
            new("Ad", ColumnKind.Text, 26),
            new("Campaign", ColumnKind.Text, 20),
            new("Ad ID", ColumnKind.Text, 12, Description: "Ads Manager's Ad ID"),
            new("Spend", ColumnKind.Money, 11, ColumnTotal.Sum, Headline: true),
            new("Impressions", ColumnKind.Count, 11, ColumnTotal.Sum),
            new("Reach (Σ daily)", ColumnKind.Count, 11, ColumnTotal.Sum, "Sum of the platform's daily reach"),
            new("Link clicks", ColumnKind.Count, 9, ColumnTotal.Sum),
            new("Purchases", ColumnKind.Count, 9, ColumnTotal.Sum, "Purchases Meta attributes to the ad", Headline: true),
            new("Purchase value", ColumnKind.Money, 11, ColumnTotal.Sum, "Meta-attributed purchase value"),
            new("ROAS", ColumnKind.Ratio, 8, ColumnTotal.Ratio(8, 3), "Purchase value ÷ spend", Headline: true),
            new("CTR", ColumnKind.Percent, 8, ColumnTotal.Ratio(6, 4), "Link clicks ÷ impressions"),
            new("CPA", ColumnKind.Money, 9, ColumnTotal.Ratio(3, 7), "Spend ÷ purchases", Headline: true),
            new("Frequency", ColumnKind.Number, 9, ColumnTotal.Ratio(4, 5), "Impressions ÷ Σ daily reach (a lower bound of the period's frequency)"),
            new("Fatigue", ColumnKind.Text, 30, Description: "Why the ad looks fatigued (blank when it does not)", Headline: true),
        ];
        var rows = report.Rows.Select(r => (IReadOnlyList<object?>)
        [
            r.Name, r.Campaign, r.ExternalId, r.Spend, r.Impressions, r.Reach, r.Clicks, r.Purchases, r.PurchaseValue, r.Roas, r.Ctr, r.Cpa, r.Frequency, r.Fatigue,
        ]).ToList();
        IReadOnlyList<object?> totals =
        [
            null, null, null, report.Spend, report.Impressions, report.Reach, report.Clicks, report.Purchases, report.PurchaseValue,
            KpiCalculator.Ratio(report.PurchaseValue, report.Spend), KpiCalculator.Ratio(report.Clicks, report.Impressions),
            KpiCalculator.Ratio(report.Spend, report.Purchases), KpiCalculator.Ratio(report.Impressions, report.Reach), null,
        ];
        var fatigued = report.Rows.Count(r => r.IsFatigued);
        var section = new ReportSection("Ads", columns, rows, totals, string.Create(CultureInfo.InvariantCulture,
            $"{report.Rows.Count} ads with delivery, {fatigued} flagged for fatigue. Meta's numbers as reported (attribution is Meta's, not Shopify's). Fatigue: the last {CreativeReport.Fatigue.RecentDays} days against the ad's own first {CreativeReport.Fatigue.BaselineDays} days (CTR down ≥ {CreativeReport.Fatigue.MinCtrDropPct}% and frequency up ≥ {CreativeReport.Fatigue.MinFrequencyRisePct}%), or a {CreativeReport.Fatigue.RecentDays}-day frequency above {CreativeReport.Fatigue.CriticalFrequency}."));
        var top = report.Rows.Take(10).ToList();
        var chart = top.Count == 0 ? null : new ReportChart("Spend and purchase value of the top 10 ads by spend",
            top.Select(r => r.Name.Length > 14 ? r.Name[..13] + "…" : r.Name).ToList(),
            [new ChartSeries("Spend", top.Select(r => r.Spend).ToList()), new ChartSeries("Purchase value", top.Select(r => r.PurchaseValue).ToList())]);
        return new ReportDocument(ReportNames.Creative, ReportNames.Title(ReportNames.Creative), storeName, currency, report.Range, generatedAtUtc, [section], chart);
    }

    public static ReportDocument Cohorts(CohortReport report, string storeName, string currency, DateTime generatedAtUtc)
    {
        var months = report.MaxMonthsSince;
        IEnumerable<ReportColumn> MonthColumns(ColumnKind kind) =>
            Enumerable.Range(0, months + 1).Select(k => new ReportColumn("M" + k.ToString(CultureInfo.InvariantCulture), kind, 9));
        object?[] Cells(Cohort cohort, Func<CohortCell, object?> value) =>
            Enumerable.Range(0, months + 1).Select(k => k < cohort.Cells.Count ? value(cohort.Cells[k]) : null).ToArray();

        var overview = new ReportSection("Cohorts",
        [
            new("Cohort", ColumnKind.Date, 11, Description: "Month of the customers' first order"),
            new("Customers", ColumnKind.Count, 10, ColumnTotal.Sum),
            new("CAC", ColumnKind.Money, 10, Description: "The month's marketing spend ÷ new customers"),
            new("Payback month", ColumnKind.Count, 10, Description: "First month whose cumulative gross profit per customer reaches CAC"),
            new("Revenue LTV to date", ColumnKind.Money, 12),
            new("Gross-profit LTV to date", ColumnKind.Money, 12),
        ],
        report.Cohorts.Select(c => (IReadOnlyList<object?>)
            [c.Month, c.Customers, c.Cac, c.PaybackMonth, c.Cells[^1].RevenuePerCustomer, c.Cells[^1].GrossProfitPerCustomer]).ToList(),
        [null, report.Cohorts.Sum(c => c.Customers), null, null, null, null],
        "Cohorts by month of first order. Month 0 is that month; the current month is incomplete.");

        ReportSection Grid(string title, ColumnKind kind, Func<CohortCell, object?> value, string note) =>
            new(title, [new("Cohort", ColumnKind.Date, 11), new("Customers", ColumnKind.Count, 9), .. MonthColumns(kind)],
                report.Cohorts.Select(c => (IReadOnlyList<object?>)[c.Month, c.Customers, .. Cells(c, value)]).ToList(), Note: note);

        var flat = new ReportSection("Cohort months",
        [
            new("Cohort", ColumnKind.Date, 11), new("Months since", ColumnKind.Count, 8), new("Month", ColumnKind.Date, 11),
            new("Customers", ColumnKind.Count, 10), new("Active customers", ColumnKind.Count, 10), new("Retention", ColumnKind.Percent, 10),
            new("Revenue per customer (cumulative)", ColumnKind.Money, 14), new("Gross profit per customer (cumulative)", ColumnKind.Money, 14),
            new("CAC", ColumnKind.Money, 10), new("Partial month", ColumnKind.Text, 8),
        ],
        report.Cohorts.SelectMany(c => c.Cells.Select(cell => (IReadOnlyList<object?>)
        [
            c.Month, cell.MonthsSince, cell.Month, c.Customers, cell.ActiveCustomers, cell.Retention, cell.RevenuePerCustomer,
            cell.GrossProfitPerCustomer, c.Cac, cell.IsPartial ? "yes" : "no",
        ])).ToList());

        return new ReportDocument(ReportNames.Cohorts, ReportNames.Title(ReportNames.Cohorts), storeName, currency, report.Range, generatedAtUtc,
        [
            overview,
            Grid("Retention", ColumnKind.Percent, c => c.Retention, "Share of the cohort's customers who ordered in each month since their first."),
            Grid("Revenue LTV", ColumnKind.Money, c => c.RevenuePerCustomer, "Cumulative net sales per customer (gross − discounts − refunds)."),
            Grid("Gross-profit LTV", ColumnKind.Money, c => c.GrossProfitPerCustomer, "Cumulative gross profit per customer (net sales − COGS)."),
            flat,
        ], CsvSectionIndex: 4);
    }

    public static ReportDocument Benchmarks(BenchmarkReport report, string storeName, string currency, DateTime generatedAtUtc)
    {
        var verticals = BenchmarkCatalog.Default.Verticals.ToDictionary(v => v.Key, v => v.Label);
        ReportColumn[] columns =
        [
            new("Benchmark", ColumnKind.Text, 34), new("Applies to", ColumnKind.Text, 16), new("Published", ColumnKind.Text, 12),
            new("Your store", ColumnKind.Text, 12), new("Verdict", ColumnKind.Text, 12), new("Source", ColumnKind.Text, 44), new("Link", ColumnKind.Text, 30),
        ];
        var rows = report.Rows.Select(r => (IReadOnlyList<object?>)
        [
            r.Benchmark.Label,
            r.Benchmark.Verticals.Contains("*") ? "All industries" : string.Join(", ", r.Benchmark.Verticals.Select(v => verticals.GetValueOrDefault(v, v))),
            BenchmarkFormat.Published(r.Benchmark),
            r.StoreValue is { } value ? BenchmarkFormat.Value(r.Benchmark.Unit, value, currency) : MetricFormatter.Missing,
            BenchmarkFormat.Verdict(r),
            r.Benchmark.Source,
            r.Benchmark.Url,
        ]).ToList();
        var section = new ReportSection("Benchmarks", columns, rows, Note: BenchmarkCatalog.Default.About);
        return new ReportDocument(ReportNames.Benchmarks, ReportNames.Title(ReportNames.Benchmarks), storeName, currency, report.Range, generatedAtUtc,
            [section, CommunitySection(report.Community, currency)]);
    }

    /// <summary>"Stores like yours": the store's figures beside the pooled percentiles, or why there are none.</summary>
    private static ReportSection CommunitySection(CommunityBenchmarkReport community, string currency)
    {
        ReportColumn[] columns =
        [
            new("Figure", ColumnKind.Text, 30), new("Your store", ColumnKind.Text, 12), new("25th percentile", ColumnKind.Text, 14),
            new("Median", ColumnKind.Text, 12), new("75th percentile", ColumnKind.Text, 14), new("Where you stand", ColumnKind.Text, 30),
        ];
        var rows = community.Metrics.Select(m => (IReadOnlyList<object?>)
        [
            m.Label,
            CommunityFormat.Value(m.Unit, m.StoreValue, currency),
            CommunityFormat.Value(m.Unit, m.P25, currency),
            CommunityFormat.Value(m.Unit, m.P50, currency),
            CommunityFormat.Value(m.Unit, m.P75, currency),
            CommunityFormat.Position(m, community),
        ]).ToList();
        var note = !community.OptedIn
            ? "Your store does not share its figures with the other stores of this installation, so it sees none of theirs. An owner can turn sharing on in Settings → Community."
            : string.Create(CultureInfo.InvariantCulture,
                $"{community.Contributors} {(community.Contributors == 1 ? "store" : "stores")} of this installation (yours included) share their figures for this period; a percentile needs at least {community.MinimumStores} stores with the figure, money figures count stores selling in {currency} only. Only each store's totals are pooled, never names or orders, and only percentiles are shown.");
        return new ReportSection("Stores like yours", columns, rows, Note: note);
    }

    public static ReportDocument Ltv(LtvForecast forecast, string storeName, string currency, DateTime generatedAtUtc)
    {
        var bg = forecast.Purchases;
        var gg = forecast.Value;
        var outlook = new ReportSection("Next 12 months",
        [
            new("Forecast from", ColumnKind.Date, 11, Description: "The day the models were fitted on: orders up to this day"),
            new("Customers", ColumnKind.Count, 10),
            new("Expected sales", ColumnKind.Money, 13, Description: "Σ over today's customers of expected purchases × expected value per purchase, next 52 weeks; new customers not included"),
            new("Expected gross profit", ColumnKind.Money, 13, Description: "Expected sales × the store's gross margin"),
            new("Expected purchases", ColumnKind.Number, 11),
            new("Likely still active", ColumnKind.Count, 11, Description: "Customers expected to buy at least once in the next 52 weeks (Σ of each one's chance)"),
            new("Share likely active", ColumnKind.Percent, 10),
            new("Top 10% customers' share of sales", ColumnKind.Percent, 12, Description: "Share of expected sales from the 10% of customers expected to spend the most"),
            new("Chance of stopping after a purchase", ColumnKind.Percent, 12, Description: "Mean of the BG/NBD dropout probability, a ÷ (a + b)"),
            new("Dropout", ColumnKind.Text, 30),
        ],
        [[
            forecast.CalibrationEnd, forecast.Customers, Money(forecast.ExpectedSales), Money(forecast.ExpectedGrossProfit),
            Math.Round((decimal)forecast.ExpectedPurchases, 2), Math.Round((decimal)forecast.ExpectedActiveCustomers, 0),
            Share(forecast.ActiveShare), Share(forecast.TopDecileShare), Share(bg.MeanDropout),
            bg.DropoutIsHomogeneous ? "About the same for every customer (the fit runs to a boundary)" : "Differs from customer to customer",
        ]],
        Note: forecast.DropoutInWords);
        var customers = new ReportSection("Customers expected to spend the most",
        [
            new("Customer", ColumnKind.Text, 12), new("Repeat purchases", ColumnKind.Count, 10),
            new("Weeks since last purchase", ColumnKind.Number, 10), new("Chance still active", ColumnKind.Percent, 10),
            new("Expected purchases", ColumnKind.Number, 10), new("Expected sales", ColumnKind.Money, 12),
        ],
        forecast.TopCustomers.Select(c => (IReadOnlyList<object?>)
        [
            "#" + c.CustomerId.ToString(CultureInfo.InvariantCulture), c.RepeatPurchases, Math.Round((decimal)c.WeeksSinceLastPurchase, 2),
            Share(c.ProbabilityAlive), Math.Round((decimal)c.ExpectedPurchases, 2), c.ExpectedSales is { } sales ? Money(sales) : null,
        ]).ToList(),
        Note: $"The {LtvForecast.CustomersShown} customers with the highest expected sales in the next 52 weeks.");
        string Parameter(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);
        var dropoutValue = bg.DropoutIsHomogeneous ? "unbounded" : null;
        var parameters = new ReportSection("Model parameters",
        [
            new("Model", ColumnKind.Text, 14), new("Parameter", ColumnKind.Text, 10), new("Value", ColumnKind.Text, 12), new("Meaning", ColumnKind.Text, 60),
        ],
        [
            ["BG/NBD", "r", Parameter(bg.R), "Shape of the purchase-rate distribution across customers"],
            ["BG/NBD", "α", Parameter(bg.Alpha), "Scale of the purchase rate (weeks)"],
            ["BG/NBD", "a", dropoutValue ?? Parameter(bg.A), "Dropout chance after a purchase ~ Beta(a, b)" + (bg.DropoutIsHomogeneous ? ": a and b grow without limit, the chance is the same for every customer" : "")],
            ["BG/NBD", "b", dropoutValue ?? Parameter(bg.B), "Mean dropout chance a ÷ (a + b) = " + LtvForecast.Percent(bg.MeanDropout)],
            ["Gamma-Gamma", "p", Parameter(gg.P), "Shape of a transaction's value"],
            ["Gamma-Gamma", "q", Parameter(gg.Q), "Spread of customers' average spend"],
            ["Gamma-Gamma", "γ (v)", Parameter(gg.V), "Scale of customers' average spend; mean value per purchase " +
                (gg.PopulationMeanValue is { } mean ? new MetricFormatter(currency).Money(Money(mean)) : MetricFormatter.Missing)],
            ["Both", "log-likelihood", Parameter(forecast.PurchasesLogLikelihood) + " / " + Parameter(forecast.ValueLogLikelihood), "BG/NBD / Gamma-Gamma, at the maximum"],
            ["Both", "gross margin", Share(forecast.GrossMargin).ToString("0.00%", CultureInfo.InvariantCulture), "Turns expected sales into gross profit"],
        ],
        Note: string.Create(CultureInfo.InvariantCulture,
            $"Fitted by maximum likelihood on {forecast.Customers:N0} customers ({forecast.RepeatCustomers:N0} repeat buyers), time in weeks, orders up to {forecast.CalibrationEnd:yyyy-MM-dd}."));
        var period = new DateRange(forecast.CalibrationEnd.AddDays(1), forecast.CalibrationEnd.AddDays(7 * LtvForecast.HorizonWeeks));
        return new ReportDocument(ReportNames.Ltv, ReportNames.Title(ReportNames.Ltv), storeName, currency, period, generatedAtUtc, [outlook, customers, parameters]);

        static decimal Money(double value) => Math.Round((decimal)value, 2, MidpointRounding.AwayFromZero);
        static decimal Share(double value) => Math.Round((decimal)value, 4, MidpointRounding.AwayFromZero);
    }

    private static string ShortLabel(DateRange period, Granularity granularity) =>
        period.From.ToString(granularity == Granularity.Month ? "MMM yy" : "MMM d", CultureInfo.InvariantCulture);
}

/// <summary>The pooled benchmarks' figures as text: "3.10×", "$42.00", "31.5%".</summary>
public static class CommunityFormat
{
    public static string Value(string unit, decimal? value, string currency) => value is not { } v ? MetricFormatter.Missing : unit switch
    {
        "money" => new MetricFormatter(currency).Money(Math.Round(v, 2, MidpointRounding.AwayFromZero)),
        "percent" => v.ToString("0.0%", CultureInfo.InvariantCulture),
        _ => v.ToString("0.00", CultureInfo.InvariantCulture) + "×",
    };

    public static string Position(CommunityMetric metric, CommunityBenchmarkReport community)
    {
        if (!community.OptedIn)
        {
            return "Not shared";
        }
        if (!metric.HasPercentiles)
        {
            return string.Create(CultureInfo.InvariantCulture, $"Needs {community.MinimumStores} stores ({metric.Stores} with this figure)");
        }
        var better = metric.HigherIsBetter ? "higher is better" : "lower is better";
        return metric.Position switch
        {
            CommunityPosition.BelowP25 => $"Below the 25th percentile ({better})",
            CommunityPosition.P25ToP50 => $"Between the 25th percentile and the median ({better})",
            CommunityPosition.P50ToP75 => $"Between the median and the 75th percentile ({better})",
            CommunityPosition.AboveP75 => $"Above the 75th percentile ({better})",
            _ => "No figure for your store in this period",
        };
    }
}

/// <summary>Benchmark figures as text in their unit: "0.90%", "$1.72", "3.0×", "6–12 months".</summary>
public static class BenchmarkFormat
{
    public static string Value(string unit, decimal value, string currency) => unit switch
    {
        "percent" => value.ToString("0.00%", CultureInfo.InvariantCulture),
        "usd" => new MetricFormatter(currency).Money(Math.Round(value, 2, MidpointRounding.AwayFromZero)),
        "months" => value.ToString("0.0", CultureInfo.InvariantCulture) + " months",
        _ => value.ToString("0.00", CultureInfo.InvariantCulture) + "×",
    };

    public static string Published(Benchmark benchmark)
    {
        string One(decimal v) => benchmark.Unit switch
        {
            "percent" => v.ToString("0.##%", CultureInfo.InvariantCulture),
            "usd" => "$" + v.ToString("0.00", CultureInfo.InvariantCulture),
            "months" => v.ToString("0.#", CultureInfo.InvariantCulture),
            _ => v.ToString("0.0#", CultureInfo.InvariantCulture) + "×",
        };
        var text = benchmark.Low == benchmark.High ? One(benchmark.Low) : $"{One(benchmark.Low)}–{One(benchmark.High)}";
        return benchmark.Unit == "months" ? text + " months" : text;
    }

    public static string Verdict(BenchmarkRow row) => row.Verdict switch
    {
        BenchmarkVerdict.Better => "Better",
        BenchmarkVerdict.Within => "Within range",
        BenchmarkVerdict.Worse => "Worse",
        _ => row.Why ?? "Not comparable",
    };
}
