namespace AdIntel.Web.Metrics;

/// <summary>Values of <c>ltvBasis</c>: where the LTV figure comes from.</summary>
public static class LtvBasis
{
    /// <summary>Mean of what customers whose first order is at least 365 days old actually brought in.</summary>
    public const string Observed = "observed";

    /// <summary>An <see cref="ILtvPredictor"/>'s model, used while no cohort is old enough.</summary>
    public const string Predicted = "predicted";

    /// <summary>No cohort is old enough and no prediction is available.</summary>
    public const string InsufficientHistory = "insufficient_history";
}

/// <summary>
/// Mean cumulative gross profit per customer by day since the first order: element d is what the average customer
/// has brought in by the end of day d (day 0 is the first order's day), for d = 0 … 364.
/// </summary>
public sealed record LtvCurve(string Basis, int Customers, IReadOnlyList<decimal> CumulativeGrossProfit)
{
    public const int HorizonDays = 365;

    public static LtvCurve InsufficientHistory { get; } = new(LtvBasis.InsufficientHistory, 0, []);

    /// <summary>365-day value per customer; null when there is no curve.</summary>
    public decimal? Ltv => CumulativeGrossProfit.Count > 0 ? CumulativeGrossProfit[^1] : null;

    /// <summary>The first day on which the mean customer has paid back <paramref name="cac"/>; null when never within the horizon.</summary>
    public int? PaybackDays(decimal? cac)
    {
        if (cac is not { } target)
        {
            return null;
        }
        for (var day = 0; day < CumulativeGrossProfit.Count; day++)
        {
            if (CumulativeGrossProfit[day] >= target)
            {
                return day;
            }
        }
        return null;
    }

    /// <summary>
    /// The observed curve: customers whose first order is on or before <paramref name="asOf"/> − 365 days, so their
    /// whole first year (days 0 … 364) lies before <paramref name="asOf"/>. Orders add gross − discounts − COGS on
    /// their day; refunds subtract on theirs. <see cref="InsufficientHistory"/> when no customer qualifies.
    /// </summary>
    public static LtvCurve Observe(IEnumerable<CustomerProfit> orders, IEnumerable<CustomerProfit> refunds, DateOnly asOf)
    {
        var orderList = orders as IReadOnlyCollection<CustomerProfit> ?? orders.ToList();
        var firstDays = new Dictionary<long, DateOnly>();
        foreach (var order in orderList)
        {
            if (!firstDays.TryGetValue(order.CustomerId, out var first) || order.Date < first)
            {
                firstDays[order.CustomerId] = order.Date;
            }
        }
        var latestFirstDay = asOf.AddDays(-HorizonDays);
        var eligible = firstDays.Where(c => c.Value <= latestFirstDay).ToDictionary(c => c.Key, c => c.Value);
        if (eligible.Count == 0)
        {
            return InsufficientHistory;
        }

        var perDay = new decimal[HorizonDays];
        void Book(CustomerProfit entry, decimal amount)
        {
            if (!eligible.TryGetValue(entry.CustomerId, out var first))
            {
                return;
            }
            var offset = entry.Date.DayNumber - first.DayNumber;
            if (offset is >= 0 and < HorizonDays)
            {
                perDay[offset] += amount;
            }
        }
        foreach (var order in orderList)
        {
            Book(order, order.Amount);
        }
        foreach (var refund in refunds)
        {
            Book(refund, -refund.Amount);
        }

        var cumulative = new decimal[HorizonDays];
        var running = 0m;
        for (var day = 0; day < HorizonDays; day++)
        {
            running += perDay[day];
            cumulative[day] = running / eligible.Count;
        }
        return new LtvCurve(LtvBasis.Observed, eligible.Count, cumulative);
    }
}

/// <summary>An amount in a customer's history: an order's gross profit before refunds, or a refund.</summary>
public readonly record struct CustomerProfit(long CustomerId, DateOnly Date, decimal Amount);

/// <summary>
/// Seam for a model-based LTV (a later issue plugs in BG/NBD + Gamma-Gamma). Used only while no cohort is old
/// enough for an observed curve; when none is registered, ltv is null with basis <see cref="LtvBasis.InsufficientHistory"/>.
/// </summary>
public interface ILtvPredictor
{
    /// <summary>A predicted curve with basis <see cref="LtvBasis.Predicted"/>, or null when the model cannot be fitted.</summary>
    Task<LtvCurve?> PredictAsync(DateOnly asOf, CancellationToken cancellationToken);
}
