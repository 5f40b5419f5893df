using AdIntel.Web.Metrics;

namespace AdIntel.Web.Reports;

/// <summary>Which cumulative value per customer the heat map shows.</summary>
public enum CohortBasis
{
    Revenue,
    GrossProfit,
}

/// <summary>
/// A cohort k months after its first month (k = 0 is the acquisition month): customers who ordered in that month, their
/// share of the cohort, and the cohort's cumulative value per customer up to and including it. Revenue is net sales
/// (gross − discounts, refunds subtracted in the refund's month); gross profit also subtracts COGS, as the overview's LTV does.
/// </summary>
public sealed record CohortCell(int MonthsSince, DateOnly Month, int ActiveCustomers, decimal Retention, decimal RevenuePerCustomer,
    decimal GrossProfitPerCustomer, bool IsPartial)
{
    public decimal Value(CohortBasis basis) => basis == CohortBasis.Revenue ? RevenuePerCustomer : GrossProfitPerCustomer;
}

/// <summary>
/// Customers whose first order falls in <see cref="Month"/>, what acquiring them cost (the month's CAC: marketing spend ÷
/// new customers, as on the overview) and the first month whose cumulative gross profit per customer reaches it.
/// </summary>
public sealed record Cohort(DateOnly Month, int Customers, decimal? Cac, int? PaybackMonth, IReadOnlyList<CohortCell> Cells);

/// <summary>Monthly first-order cohorts × months since, up to <see cref="AsOf"/> (the store's today).</summary>
public sealed record CohortReport(DateRange Range, DateOnly AsOf, CohortBasis Basis, IReadOnlyList<Cohort> Cohorts)
{
    public int MaxMonthsSince => Cohorts.Count == 0 ? 0 : Cohorts.Max(c => c.Cells.Count) - 1;

    public static bool TryParseBasis(string? text, out CohortBasis basis)
    {
        basis = CohortBasis.GrossProfit;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }
        switch (text.Trim())
        {
            case "grossProfit":
                return true;
            case "revenue":
                basis = CohortBasis.Revenue;
                return true;
            default:
                return false;
        }
    }

    public static string Key(CohortBasis basis) => basis == CohortBasis.Revenue ? "revenue" : "grossProfit";

    /// <summary>Cohorts whose first month lies in <paramref name="range"/> (any month it touches).</summary>
    internal static async Task<CohortReport> BuildAsync(LedgerCache ledgers, MetricsService metrics, DateRange range, DateOnly today, CohortBasis basis,
        CancellationToken cancellationToken)
    {
        var ledger = await ledgers.GetAsync(cancellationToken);
        var firstOrders = ledger.FirstOrdersByCustomer();
        var firstMonth = MonthIndex(range.From);
        var lastMonth = Math.Min(MonthIndex(range.To), MonthIndex(today));
        var todayMonth = MonthIndex(today);

        var members = firstOrders
            .Select(f => (CustomerId: f.Key, Cohort: MonthIndex(f.Value.LocalDate)))
            .Where(m => m.Cohort >= firstMonth && m.Cohort <= lastMonth)
            .ToDictionary(m => m.CustomerId, m => m.Cohort);
        var accumulators = new Dictionary<int, CohortAccumulator>();
        CohortAccumulator Of(int cohort)
        {
            if (!accumulators.TryGetValue(cohort, out var accumulator))
            {
                accumulator = new CohortAccumulator(todayMonth - cohort + 1);
                accumulators.Add(cohort, accumulator);
            }
            return accumulator;
        }
        foreach (var cohort in members.Values)
        {
            Of(cohort).Customers++;
        }
        foreach (var order in ledger.Orders.Values)
        {
            if (order.CustomerId is not { } customerId || !members.TryGetValue(customerId, out var cohort) || order.LocalDate > today)
            {
                continue;
            }
            var k = MonthIndex(order.LocalDate) - cohort;
            var accumulator = Of(cohort);
            accumulator.Active[k].Add(customerId);
            accumulator.Revenue[k] += order.GrossSales - order.Discounts;
            accumulator.GrossProfit[k] += order.GrossSales - order.Discounts - order.Cogs;
        }
        foreach (var refund in ledger.Refunds)
        {
            if (refund.Order.CustomerId is not { } customerId || !members.TryGetValue(customerId, out var cohort) || refund.LocalDate > today)
            {
                continue;
            }
            var k = MonthIndex(refund.LocalDate) - cohort;
            if (k < 0)
            {
                continue;
            }
            Of(cohort).Revenue[k] -= refund.Amount;
            Of(cohort).GrossProfit[k] -= refund.Amount;
        }

        // CAC per cohort month from the metrics module, so it equals the overview's CAC for that month.
        var months = accumulators.Keys.Order().Select(m => new DateRange(MonthStart(m), Min(MonthStart(m + 1).AddDays(-1), today))).ToList();
        var cacs = new Dictionary<int, decimal?>();
        if (months.Count > 0)
        {
            var (byMonth, _) = await metrics.GetKpisByPeriodAsync(new DateRange(months[0].From, months[^1].To), months, cancellationToken);
            foreach (var kpis in byMonth)
            {
                cacs[MonthIndex(kpis.Period.From)] = kpis.Cac;
            }
        }

        var cohorts = accumulators.OrderBy(a => a.Key).Select(entry =>
        {
            var (cohort, acc) = (entry.Key, entry.Value);
            var cells = new List<CohortCell>(acc.Months);
            decimal revenue = 0, grossProfit = 0;
            int? payback = null;
            var cac = cacs.GetValueOrDefault(cohort);
            for (var k = 0; k < acc.Months; k++)
            {
                revenue += acc.Revenue[k];
                grossProfit += acc.GrossProfit[k];
                var perCustomerProfit = grossProfit / acc.Customers;
                if (payback is null && cac is { } target && perCustomerProfit >= target)
                {
                    payback = k;
                }
                cells.Add(new CohortCell(k, MonthStart(cohort + k), acc.Active[k].Count, (decimal)acc.Active[k].Count / acc.Customers,
                    revenue / acc.Customers, perCustomerProfit, cohort + k == todayMonth));
            }
            return new Cohort(MonthStart(cohort), acc.Customers, cac, payback, cells);
        }).ToList();
        return new CohortReport(range, today, basis, cohorts);
    }

    private static int MonthIndex(DateOnly day) => day.Year * 12 + day.Month - 1;

    private static DateOnly MonthStart(int index) => new(index / 12, index % 12 + 1, 1);

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;

    private sealed class CohortAccumulator
    {
        public CohortAccumulator(int months)
        {
            Months = months;
            Active = Enumerable.Range(0, months).Select(_ => new HashSet<long>()).ToArray();
            Revenue = new decimal[months];
            GrossProfit = new decimal[months];
        }

        public int Months { get; }
        public int Customers { get; set; }
        public HashSet<long>[] Active { get; }
        public decimal[] Revenue { get; }
        public decimal[] GrossProfit { get; }
    }
}
