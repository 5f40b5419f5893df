using AdIntel.Plugins.Abstractions;

namespace AdIntel.Web.Rules.Snapshots;

/// <summary>
/// One entity's daily delivery, oldest first, with running totals so that any window's sum costs two binary searches.
/// Money and purchases are kept in whole ten-thousandths (the columns' precision), so a window's spend is exact to the
/// cent (100.00 is not 99.999999) and summing is integer arithmetic.
/// </summary>
internal sealed class DeliverySeries
{
    public static readonly DeliverySeries Empty = new([], [default], 0);

    // Day numbers (DateOnly.DayNumber), ascending; only the first _count items are used.
    private readonly int[] _days;
    // _running[i] = totals of the first i days, so days [a, b) sum to _running[b] - _running[a].
    private readonly DeliverySums[] _running;
    private readonly int _count;
    private DailyDelivery[]? _daily;

    private DeliverySeries(int[] days, DeliverySums[] running, int count)
    {
        _days = days;
        _running = running;
        _count = count;
    }

    /// <summary>The first day with delivery on or before <paramref name="last"/>, if any.</summary>
    public DateOnly? FirstDay(DateOnly last) => _count > 0 && _days[0] <= last.DayNumber ? DateOnly.FromDayNumber(_days[0]) : null;

    /// <summary>Totals of the days from <paramref name="first"/> to <paramref name="last"/>, both included.</summary>
    public DeliverySums Sum(DateOnly first, DateOnly last)
    {
        if (last < first || _count == 0)
        {
            return default;
        }
        var from = first == DateOnly.MinValue ? 0 : LowerBound(first.DayNumber);
        var to = LowerBound(last.DayNumber + 1);
        return _running[to] - _running[from];
    }

    /// <summary>The days up to and including <paramref name="last"/> (built on first use: most runs never look at days).</summary>
    public ArraySegment<DailyDelivery> Through(DateOnly last)
    {
        var daily = _daily ??= BuildDaily();
        return new(daily, 0, LowerBound(last.DayNumber + 1));
    }

    /// <summary>The day-by-day sum of several series (an ad set's ads, a campaign's ...).</summary>
    public static DeliverySeries Merge(IReadOnlyList<DeliverySeries> parts)
    {
        var builder = new Builder(parts.Sum(p => p._count));
        foreach (var part in parts)
        {
            for (var i = 0; i < part._count; i++)
            {
                builder.Add(part._days[i], part._running[i + 1] - part._running[i]);
            }
        }
        return builder.Build();
    }

    private DailyDelivery[] BuildDaily()
    {
        var daily = new DailyDelivery[_count];
        for (var i = 0; i < _count; i++)
        {
            daily[i] = (_running[i + 1] - _running[i]).ToDailyDelivery(DateOnly.FromDayNumber(_days[i]));
        }
        return daily;
    }

    private int LowerBound(int day)
    {
        int low = 0, high = _count;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (_days[mid] < day)
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

    /// <summary>Collects days in any order (several items for one day are added up) and builds the series.</summary>
    internal sealed class Builder(int capacity)
    {
        private int[] _days = new int[Math.Max(capacity, 4)];
        private DeliverySums[] _sums = new DeliverySums[Math.Max(capacity, 4) + 1];
        private int _count;
        private bool _inOrder = true;

        public void Add(int dayNumber, DeliverySums sums)
        {
            if (_count == _days.Length)
            {
                Array.Resize(ref _days, _count * 2);
                Array.Resize(ref _sums, _count * 2 + 1);
            }
            _inOrder &= _count == 0 || _days[_count - 1] < dayNumber;
            _days[_count] = dayNumber;
            // Kept one place ahead: the running totals are then made in place.
            _sums[_count + 1] = sums;
            _count++;
        }

        public DeliverySeries Build()
        {
            if (_count == 0)
            {
                return Empty;
            }
            var count = _count;
            if (!_inOrder)
            {
                var sorted = _sums.AsSpan(1, _count).ToArray();
                Array.Sort(_days, sorted, 0, _count);
                // Back one place ahead, repeated days added up.
                count = 0;
                for (var i = 0; i < _count; i++)
                {
                    if (count > 0 && _days[count - 1] == _days[i])
                    {
                        _sums[count] += sorted[i];
                    }
                    else
                    {
                        _days[count] = _days[i];
                        _sums[count + 1] = sorted[i];
                        count++;
                    }
                }
            }
            _sums[0] = default;
            for (var i = 1; i <= count; i++)
            {
                _sums[i] += _sums[i - 1];
            }
            return new DeliverySeries(_days, _sums, count);
        }
    }
}

/// <summary>
/// Additive delivery totals of a run of days. <see cref="Spend"/>, <see cref="Purchases"/> and <see cref="PurchaseValue"/>
/// are in ten-thousandths (<see cref="Units"/>).
/// </summary>
internal readonly record struct DeliverySums(long Spend, long Impressions, long Reach, long Clicks, long Purchases, long PurchaseValue)
{
    public const double UnitsPerOne = 10_000;

    /// <summary>A decimal column's value in ten-thousandths (its precision; a finer value is rounded, as PostgreSQL's numeric(18,4) would).</summary>
    public static long Units(decimal value) => decimal.ToOACurrency(value);

    public static DeliverySums operator +(DeliverySums a, DeliverySums b) => new(a.Spend + b.Spend, a.Impressions + b.Impressions,
        a.Reach + b.Reach, a.Clicks + b.Clicks, a.Purchases + b.Purchases, a.PurchaseValue + b.PurchaseValue);

    public static DeliverySums operator -(DeliverySums a, DeliverySums b) => new(a.Spend - b.Spend, a.Impressions - b.Impressions,
        a.Reach - b.Reach, a.Clicks - b.Clicks, a.Purchases - b.Purchases, a.PurchaseValue - b.PurchaseValue);

    public DailyDelivery ToDailyDelivery(DateOnly date) =>
        new(date, Spend / UnitsPerOne, Impressions, Reach, Clicks, Purchases / UnitsPerOne, PurchaseValue / UnitsPerOne);
}
