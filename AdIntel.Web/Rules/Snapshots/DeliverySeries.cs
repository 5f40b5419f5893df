using AdIntel.Plugins.Abstractions;

namespace AdIntel.Web.Rules.Snapshots;

/// <summary>
/// One entity's daily delivery, oldest first, with running totals so that any window's sum costs two binary searches.
/// Money and purchases are kept in whole ten-thousandths (the columns' precision), so a window's spend is exact to the
/// cent (100.00 is not 99.999999) and summing is integer arithmetic. The series of a store's ads share two arrays
/// (<see cref="Collector"/>): 10,000 ads do not make 20,000 small arrays for the garbage collector to move.
/// </summary>
internal sealed class DeliverySeries
{
    public static readonly DeliverySeries Empty = new([], [default], 0, 0, 0);

    // Day numbers (DateOnly.DayNumber), ascending: _days[_dayStart .. _dayStart + _count).
    private readonly int[] _days;
    // Running totals: _running[_runStart + i] = totals of the first i days, so days [a, b) sum to
    // _running[_runStart + b] - _running[_runStart + a].
    private readonly DeliverySums[] _running;
    private readonly int _dayStart;
    private readonly int _runStart;
    private readonly int _count;
    private DailyDelivery[]? _daily;

    private DeliverySeries(int[] days, DeliverySums[] running, int dayStart, int runStart, int count)
    {
        _days = days;
        _running = running;
        _dayStart = dayStart;
        _runStart = runStart;
        _count = count;
    }

    /// <summary>The first day with delivery on or before <paramref name="last"/>, if any.</summary>
    public DateOnly? FirstDay(DateOnly last) => _count > 0 && _days[_dayStart] <= last.DayNumber ? DateOnly.FromDayNumber(_days[_dayStart]) : null;

    /// <summary>Totals of the days from <paramref name="first"/> to <paramref name="last"/>, both included.</summary>
    public DeliverySums Sum(DateOnly first, DateOnly last)
    {
        if (last < first || _count == 0)
        {
            return default;
        }
        var from = first == DateOnly.MinValue ? 0 : LowerBound(first.DayNumber);
        var to = LowerBound(last.DayNumber + 1);
        return _running[_runStart + to] - _running[_runStart + from];
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
                builder.Add(part._days[part._dayStart + i], part.Day(i));
            }
        }
        return builder.Build();
    }

    private DeliverySums Day(int i) => _running[_runStart + i + 1] - _running[_runStart + i];

    private DailyDelivery[] BuildDaily()
    {
        var daily = new DailyDelivery[_count];
        for (var i = 0; i < _count; i++)
        {
            daily[i] = Day(i).ToDailyDelivery(DateOnly.FromDayNumber(_days[_dayStart + i]));
        }
        return daily;
    }

    private int LowerBound(int day)
    {
        int low = 0, high = _count;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (_days[_dayStart + mid] < day)
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

    /// <summary>
    /// Sorts a run of days (and their totals, kept one place ahead) by day, adds up repeated days, and turns the totals
    /// into running totals in place; returns how many distinct days there are.
    /// </summary>
    private static int Finish(Span<int> days, Span<DeliverySums> running)
    {
        var count = days.Length;
        var inOrder = true;
        for (var i = 1; i < count && inOrder; i++)
        {
            inOrder = days[i - 1] < days[i];
        }
        if (!inOrder)
        {
            var sorted = running.Slice(1, count).ToArray();
            days.Sort(sorted.AsSpan());
            // Back one place ahead, repeated days added up.
            count = 0;
            for (var i = 0; i < days.Length; i++)
            {
                if (count > 0 && days[count - 1] == days[i])
                {
                    running[count] += sorted[i];
                }
                else
                {
                    days[count] = days[i];
                    running[count + 1] = sorted[i];
                    count++;
                }
            }
        }
        running[0] = default;
        for (var i = 1; i <= count; i++)
        {
            running[i] += running[i - 1];
        }
        return count;
    }

    /// <summary>Collects days in any order (several items for one day are added up) and builds the series.</summary>
    internal sealed class Builder(int capacity)
    {
        private int[] _days = new int[Math.Max(capacity, 4)];
        private DeliverySums[] _sums = new DeliverySums[Math.Max(capacity, 4) + 1];
        private int _count;

        public void Add(int dayNumber, DeliverySums sums)
        {
            if (_count == _days.Length)
            {
                Array.Resize(ref _days, _count * 2);
                Array.Resize(ref _sums, _count * 2 + 1);
            }
            _days[_count] = dayNumber;
            // Kept one place ahead: the running totals are then made in place.
            _sums[_count + 1] = sums;
            _count++;
        }

        public DeliverySeries Build() =>
            _count == 0 ? Empty : new DeliverySeries(_days, _sums, 0, 0, Finish(_days.AsSpan(0, _count), _sums.AsSpan(0, _count + 1)));
    }

    /// <summary>
    /// Collects the days of many entities at once (a store's ads, in the order the rows come) and builds every entity's
    /// series into two shared arrays: rows are kept in large blocks as they come, then placed entity by entity.
    /// </summary>
    internal sealed class Collector(int entities)
    {
        // 32,768 rows a block: each block's arrays are large objects, which the garbage collector does not copy.
        private const int BlockShift = 15;
        private const int BlockSize = 1 << BlockShift;

        private readonly int[] _perEntity = new int[entities];
        private readonly List<(int[] Entity, int[] Day, DeliverySums[] Sums)> _blocks = [];
        private int _count;

        public void Add(int entity, int dayNumber, in DeliverySums sums)
        {
            var offset = _count & (BlockSize - 1);
            if (offset == 0)
            {
                _blocks.Add((new int[BlockSize], new int[BlockSize], new DeliverySums[BlockSize]));
            }
            var block = _blocks[^1];
            block.Entity[offset] = entity;
            block.Day[offset] = dayNumber;
            block.Sums[offset] = sums;
            _perEntity[entity]++;
            _count++;
        }

        /// <summary>Every entity's series, by the entity's number given to <see cref="Add"/> (<see cref="Empty"/> without rows).</summary>
        public DeliverySeries[] Build() => Build([this]);

        /// <summary>
        /// Every entity's series from collectors of consecutive date ranges (each entity's days ascending across them), in
        /// that order: a store's delivery read in parts at the same time.
        /// </summary>
        public static DeliverySeries[] Build(IReadOnlyList<Collector> parts)
        {
            var entities = parts[0]._perEntity.Length;
            var perEntity = new int[entities];
            var total = 0;
            foreach (var part in parts)
            {
                for (var e = 0; e < entities; e++)
                {
                    perEntity[e] += part._perEntity[e];
                }
                total += part._count;
            }
            // Entity e's days go to days[dayStart[e] ..] and its totals, one place ahead, to running[dayStart[e] + e + 1 ..].
            var days = new int[total];
            var running = new DeliverySums[total + entities];
            var next = new int[entities];
            for (int e = 0, start = 0; e < entities; e++)
            {
                next[e] = start;
                start += perEntity[e];
            }
            var dayStart = (int[])next.Clone();
            foreach (var part in parts)
            {
                for (var b = 0; b < part._blocks.Count; b++)
                {
                    var (entity, day, sums) = part._blocks[b];
                    var rows = Math.Min(BlockSize, part._count - b * BlockSize);
                    for (var i = 0; i < rows; i++)
                    {
                        var e = entity[i];
                        var at = next[e]++;
                        days[at] = day[i];
                        running[at + e + 1] = sums[i];
                    }
                }
            }
            var series = new DeliverySeries[entities];
            for (var e = 0; e < entities; e++)
            {
                var count = perEntity[e];
                series[e] = count == 0 ? Empty : new DeliverySeries(days, running, dayStart[e], dayStart[e] + e,
                    Finish(days.AsSpan(dayStart[e], count), running.AsSpan(dayStart[e] + e, count + 1)));
            }
            return series;
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
