namespace AdIntel.Web.Reports.Ltv;

/// <summary>The unit in which recency, T and horizons are counted.</summary>
public enum BtydUnit
{
    Day,
    Week,
}

/// <summary>A purchase: what a customer paid on one store-local day (several orders that day may be passed separately).</summary>
public readonly record struct Purchase(long CustomerId, DateOnly Date, decimal Value);

/// <summary>
/// One customer's calibration-period history in the BTYD form: <see cref="Frequency"/> = repeat transactions
/// (distinct purchase days − 1), <see cref="Recency"/> = last − first purchase and <see cref="Age"/> (T) = calibration
/// end − first purchase, both in the model's unit; <see cref="MeanRepeatValue"/> = mean value of the repeat transactions
/// (null without repeats).
/// </summary>
public readonly record struct BtydCustomer(long CustomerId, int Frequency, double Recency, double Age, double? MeanRepeatValue);

/// <summary>Builds the per-customer summary the BG/NBD and Gamma-Gamma models are fitted on (the BTYD conventions of docs/metrics.md#predicted-ltv-bgnbd--gamma-gamma).</summary>
public static class BtydSummary
{
    public static double UnitsBetween(DateOnly from, DateOnly to, BtydUnit unit) =>
        (to.DayNumber - from.DayNumber) / (unit == BtydUnit.Week ? 7.0 : 1.0);

    /// <summary>
    /// Customers whose first purchase is on or before <paramref name="calibrationEnd"/>, from purchases on or before it.
    /// Purchases of one customer on one calendar day are one transaction worth their sum.
    /// </summary>
    public static IReadOnlyList<BtydCustomer> Build(IEnumerable<Purchase> purchases, DateOnly calibrationEnd, BtydUnit unit)
    {
        var days = new Dictionary<long, SortedDictionary<DateOnly, decimal>>();
        foreach (var purchase in purchases)
        {
            if (purchase.Date > calibrationEnd)
            {
                continue;
            }
            if (!days.TryGetValue(purchase.CustomerId, out var byDay))
            {
                byDay = [];
                days.Add(purchase.CustomerId, byDay);
            }
            byDay[purchase.Date] = byDay.GetValueOrDefault(purchase.Date) + purchase.Value;
        }

        var customers = new List<BtydCustomer>(days.Count);
        foreach (var (customerId, byDay) in days.OrderBy(d => d.Key))
        {
            var first = byDay.Keys.First();
            var last = byDay.Keys.Last();
            var repeats = byDay.Count - 1;
            double? meanRepeat = repeats == 0 ? null : (double)(byDay.Values.Sum() - byDay[first]) / repeats;
            customers.Add(new BtydCustomer(customerId, repeats, UnitsBetween(first, last, unit), UnitsBetween(first, calibrationEnd, unit), meanRepeat));
        }
        return customers;
    }
}
