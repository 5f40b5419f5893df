using AdIntel.Plugins.Abstractions;

namespace AdIntel.Web.Rules.Snapshots;

/// <summary>
/// One entity's daily delivery, oldest first, with running totals so that any window's sum costs two binary searches.
/// Totals are decimal so that a window's spend is exact to the cent (100.00 is not 99.999999).
/// </summary>
internal sealed class DeliverySeries
{
    public static readonly DeliverySeries Empty = new([]);

    private readonly DateOnly[] _dates;
    private readonly DailyDelivery[] _days;
    // _running[i] = totals of the first i days, so days [a, b) sum to _running[b] - _running[a].
    private readonly DeliveryTotals[] _running;

    /// <param name="daysInOrder">One item per day with delivery, oldest first.</param>
    public DeliverySeries(IReadOnlyList<(DateOnly Date, DeliveryTotals Totals)> daysInOrder)
    {
        _dates = new DateOnly[daysInOrder.Count];
        _days = new DailyDelivery[daysInOrder.Count];
        _running = new DeliveryTotals[daysInOrder.Count + 1];
        for (var i = 0; i < daysInOrder.Count; i++)
        {
            var (date, totals) = daysInOrder[i];
            _dates[i] = date;
            _days[i] = totals.ToDailyDelivery(date);
            _running[i + 1] = _running[i] + totals;
        }
    }

    /// <summary>The first day with delivery on or before <paramref name="last"/>, if any.</summary>
    public DateOnly? FirstDay(DateOnly last) => _dates.Length > 0 && _dates[0] <= last ? _dates[0] : null;

    /// <summary>Totals of the days from <paramref name="first"/> to <paramref name="last"/>, both included.</summary>
    public DeliveryTotals Sum(DateOnly first, DateOnly last)
    {
        if (last < first || _dates.Length == 0)
        {
            return default;
        }
        var from = first == DateOnly.MinValue ? 0 : LowerBound(first);
        var to = LowerBound(last.AddDays(1));
        return _running[to] - _running[from];
    }

    /// <summary>The days up to and including <paramref name="last"/>.</summary>
    public ArraySegment<DailyDelivery> Through(DateOnly last) => new(_days, 0, LowerBound(last.AddDays(1)));

    private int LowerBound(DateOnly day)
    {
        int low = 0, high = _dates.Length;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (_dates[mid] < day)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }
        return low;
    }
}

/// <summary>Additive delivery totals of a run of days.</summary>
internal readonly record struct DeliveryTotals(decimal Spend, long Impressions, long Reach, long Clicks, decimal Purchases, decimal PurchaseValue)
{
    public static DeliveryTotals operator +(DeliveryTotals a, DeliveryTotals b) => new(a.Spend + b.Spend, a.Impressions + b.Impressions,
        a.Reach + b.Reach, a.Clicks + b.Clicks, a.Purchases + b.Purchases, a.PurchaseValue + b.PurchaseValue);

    public static DeliveryTotals operator -(DeliveryTotals a, DeliveryTotals b) => new(a.Spend - b.Spend, a.Impressions - b.Impressions,
        a.Reach - b.Reach, a.Clicks - b.Clicks, a.Purchases - b.Purchases, a.PurchaseValue - b.PurchaseValue);

    public DailyDelivery ToDailyDelivery(DateOnly date) =>
        new(date, (double)Spend, Impressions, Reach, Clicks, (double)Purchases, (double)PurchaseValue);
}
