using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Metrics;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Reports.Benchmarks;

/// <summary>How the store compares with a benchmark: better, within the published range, worse, or not comparable.</summary>
public enum BenchmarkVerdict
{
    Better,
    Within,
    Worse,
    NotComparable,
}

/// <summary>One benchmark beside the store's own figure for the period (null when the store has no such figure).</summary>
public sealed record BenchmarkRow(Benchmark Benchmark, decimal? StoreValue, BenchmarkVerdict Verdict, string? Why);

/// <summary>
/// The store against the published benchmarks of <see cref="Vertical"/> for a period, and against the opted-in stores
/// of this installation (<see cref="Community"/>).
/// </summary>
public sealed record BenchmarkReport(DateRange Range, string Vertical, string Currency, IReadOnlyList<BenchmarkRow> Rows, CommunityBenchmarkReport Community)
{
    public static async Task<BenchmarkReport> BuildAsync(AdIntelDbContext db, MetricsService metrics, CommunityBenchmarks community, CohortReport cohorts,
        DateRange range, string vertical, string currency, CancellationToken cancellationToken)
    {
        var kpis = await metrics.GetKpisAsync(range, cancellationToken);
        var facts = await db.DailyFacts.AsNoTracking().Where(f => f.Date >= range.From && f.Date <= range.To)
            .Select(f => new { f.AdSpend, f.Impressions, f.LinkClicks, f.PlatformPurchases })
            .ToListAsync(cancellationToken);
        var spend = facts.Sum(f => f.AdSpend);
        var impressions = facts.Sum(f => f.Impressions);
        var clicks = facts.Sum(f => f.LinkClicks);
        var purchases = facts.Sum(f => f.PlatformPurchases);
        var lastWeek = range.To.AddDays(-6);
        var recent = await db.AdInsights.AsNoTracking().Where(i => i.Date >= lastWeek && i.Date <= range.To)
            .GroupBy(i => 1).Select(g => new { Impressions = g.Sum(i => i.Impressions), Reach = g.Sum(i => i.Reach) })
            .SingleOrDefaultAsync(cancellationToken);

        var values = new Dictionary<string, decimal?>
        {
            ["ctr"] = KpiCalculator.Ratio(clicks, impressions),
            ["cpc"] = KpiCalculator.Ratio(spend, clicks),
            ["cvr"] = KpiCalculator.Ratio(purchases, clicks),
            ["cpa"] = KpiCalculator.Ratio(spend, purchases),
            ["frequency7d"] = recent is null ? null : KpiCalculator.Ratio(recent.Impressions, recent.Reach),
            ["ltvToCac"] = kpis.LtvToCac,
            ["paybackMonths"] = kpis.PaybackDays is { } days ? Math.Round(days / 30.4m, 1) : null,
            ["ltvGrowth3m"] = LtvGrowth(cohorts, 3),
            ["ltvGrowth12m"] = LtvGrowth(cohorts, 12),
            ["roasHeadroom"] = kpis.Roas is { } roas && kpis.BreakEvenRoas is { } breakEven && breakEven > 0 ? (roas - breakEven) / breakEven : null,
        };

        var rows = BenchmarkCatalog.Default.Benchmarks.Where(b => b.AppliesTo(vertical)).Select(benchmark =>
        {
            var value = values.GetValueOrDefault(benchmark.Metric);
            if (value is null)
            {
                return new BenchmarkRow(benchmark, null, BenchmarkVerdict.NotComparable, "The store has no figure for this period");
            }
            if (benchmark.Unit == "usd" && !string.Equals(currency, "USD", StringComparison.OrdinalIgnoreCase))
            {
                return new BenchmarkRow(benchmark, value, BenchmarkVerdict.NotComparable, $"The benchmark is in USD, the store sells in {currency}");
            }
            return new BenchmarkRow(benchmark, value, Judge(benchmark, value.Value), null);
        }).ToList();
        return new BenchmarkReport(range, vertical, currency, rows, await community.BuildAsync(range, kpis, currency, cancellationToken));
    }

    private static BenchmarkVerdict Judge(Benchmark benchmark, decimal value)
    {
        if (value >= benchmark.Low && value <= benchmark.High && benchmark.Low != benchmark.High)
        {
            return BenchmarkVerdict.Within;
        }
        var better = benchmark.HigherIsBetter ? value >= benchmark.High : value <= benchmark.Low;
        return better ? BenchmarkVerdict.Better : BenchmarkVerdict.Worse;
    }

    /// <summary>
    /// Mean over the cohorts old enough of (gross-profit LTV at month <paramref name="months"/> ÷ at month 0) − 1, weighted by
    /// cohort size; null when no cohort has reached that month with a positive first month.
    /// </summary>
    private static decimal? LtvGrowth(CohortReport cohorts, int months)
    {
        var eligible = cohorts.Cohorts
            .Where(c => c.Cells.Count > months && !c.Cells[months].IsPartial && c.Cells[0].GrossProfitPerCustomer > 0)
            .ToList();
        if (eligible.Count == 0)
        {
            return null;
        }
        var customers = eligible.Sum(c => c.Customers);
        var atStart = eligible.Sum(c => c.Cells[0].GrossProfitPerCustomer * c.Customers) / customers;
        var atMonth = eligible.Sum(c => c.Cells[months].GrossProfitPerCustomer * c.Customers) / customers;
        return atMonth / atStart - 1;
    }
}
