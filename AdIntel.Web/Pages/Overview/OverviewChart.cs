using System.Globalization;
using System.Text;
using AdIntel.Web.Metrics;

namespace AdIntel.Web.Pages.Overview;

/// <summary>
/// Geometry of the overview's daily chart, drawn as inline SVG on the server (no chart script): total sales as an
/// area, ad spend as a line (both on the left money axis) and MER as a dashed line on its own right axis.
/// Each day carries an invisible column with a native tooltip.
/// </summary>
public sealed class OverviewChart
{
    public const int Width = 760;
    public const int Height = 260;
    public const double PlotLeft = 60;
    public const double PlotRight = Width - 48;
    public const double PlotTop = 12;
    public const double PlotBottom = Height - 30;

    private OverviewChart(string salesArea, string salesLine, string spendLine, string merLine, IReadOnlyList<AxisTick> moneyTicks,
        IReadOnlyList<AxisTick> merTicks, IReadOnlyList<AxisTick> dateTicks, IReadOnlyList<DayColumn> columns)
    {
        SalesArea = salesArea;
        SalesLine = salesLine;
        SpendLine = spendLine;
        MerLine = merLine;
        MoneyTicks = moneyTicks;
        MerTicks = merTicks;
        DateTicks = dateTicks;
        Columns = columns;
    }

    public string SalesArea { get; }
    public string SalesLine { get; }
    public string SpendLine { get; }
    /// <summary>Broken where a day has no marketing spend (MER undefined).</summary>
    public string MerLine { get; }
    public IReadOnlyList<AxisTick> MoneyTicks { get; }
    public IReadOnlyList<AxisTick> MerTicks { get; }
    public IReadOnlyList<AxisTick> DateTicks { get; }
    public IReadOnlyList<DayColumn> Columns { get; }

    public static OverviewChart Build(IReadOnlyList<DailyPoint> series, MetricFormatter format)
    {
        var sales = series.Select(p => p.Kpis.TotalSales).ToList();
        var spend = series.Select(p => p.Kpis.AdSpend).ToList();
        var mer = series.Select(p => p.Kpis.Mer).ToList();

        var moneyMin = Math.Min(0m, sales.Concat(spend).DefaultIfEmpty(0m).Min());
        var moneyMax = NiceCeiling(sales.Concat(spend).DefaultIfEmpty(0m).Max());
        if (moneyMin < 0)
        {
            moneyMin = -NiceCeiling(-moneyMin);
        }
        var merMax = NiceCeiling(mer.Where(m => m is not null).Select(m => m!.Value).DefaultIfEmpty(0m).Max());

        double X(int index) => series.Count == 1
            ? (PlotLeft + PlotRight) / 2
            : PlotLeft + index * (PlotRight - PlotLeft) / (series.Count - 1);
        double MoneyY(decimal value) => PlotBottom - (double)((value - moneyMin) / (moneyMax - moneyMin)) * (PlotBottom - PlotTop);
        double MerY(decimal value) => PlotBottom - (double)(value / merMax) * (PlotBottom - PlotTop);

        var salesLine = Polyline(sales.Select((v, i) => ((decimal?)v, i)), X, MoneyY);
        var baseline = MoneyY(0);
        var salesArea = series.Count == 0 ? "" :
            $"{salesLine} L{N(X(series.Count - 1))},{N(baseline)} L{N(X(0))},{N(baseline)} Z";
        var spendLine = Polyline(spend.Select((v, i) => ((decimal?)v, i)), X, MoneyY);
        var merLine = Polyline(mer.Select((v, i) => (v, i)), X, MerY);

        var moneyTicks = Enumerable.Range(0, 5)
            .Select(step => moneyMin + (moneyMax - moneyMin) * step / 4)
            .Select(value => new AxisTick(MoneyY(value), format.MoneyCompact(value)))
            .ToList();
        var merTicks = Enumerable.Range(0, 5)
            .Select(step => merMax * step / 4)
            .Select(value => new AxisTick(MerY(value), value.ToString("0.##", CultureInfo.InvariantCulture) + "×"))
            .ToList();

        // Up to a week every day is labelled; longer ranges get six evenly spaced labels.
        var labelCount = series.Count <= 8 ? series.Count : 6;
        var dateTicks = Enumerable.Range(0, labelCount)
            .Select(step => labelCount == 1 ? 0 : (int)Math.Round(step * (series.Count - 1) / (double)(labelCount - 1)))
            .Distinct()
            .Select(index => new AxisTick(X(index), series[index].Date.ToString("MMM d", CultureInfo.InvariantCulture),
                // The outermost labels hang inwards so they are not cut off at the edges.
                series.Count == 1 ? "middle" : index == 0 ? "start" : index == series.Count - 1 ? "end" : "middle"))
            .ToList();

        var columnWidth = series.Count <= 1 ? PlotRight - PlotLeft : (PlotRight - PlotLeft) / (series.Count - 1);
        var columns = series.Select((point, index) => new DayColumn(
                X(index) - columnWidth / 2,
                columnWidth,
                $"{point.Date.ToString("ddd MMM d, yyyy", CultureInfo.InvariantCulture)}: total sales {format.Money(point.Kpis.TotalSales)}, " +
                $"ad spend {format.Money(point.Kpis.AdSpend)}, MER {format.Format(MetricFormat.Ratio, point.Kpis.Mer)}"))
            .ToList();

        return new OverviewChart(salesArea, salesLine, spendLine, merLine, moneyTicks, merTicks, dateTicks, columns);
    }

    /// <summary>An SVG path through the points; a missing value ends the segment and the next value starts a new one.</summary>
    private static string Polyline(IEnumerable<(decimal? Value, int Index)> points, Func<int, double> x, Func<decimal, double> y)
    {
        var path = new StringBuilder();
        var drawing = false;
        foreach (var (value, index) in points)
        {
            if (value is not { } v)
            {
                drawing = false;
                continue;
            }
            path.Append(path.Length == 0 ? "" : " ").Append(drawing ? 'L' : 'M').Append(N(x(index))).Append(',').Append(N(y(v)));
            drawing = true;
        }
        return path.ToString();
    }

    /// <summary>The smallest of 1, 2, 2.5, 5 × 10ⁿ at or above <paramref name="value"/>, so axis ticks are round numbers.</summary>
    public static decimal NiceCeiling(decimal value)
    {
        if (value <= 0)
        {
            return 1;
        }
        var magnitude = (decimal)Math.Pow(10, Math.Floor(Math.Log10((double)value)));
        foreach (var step in new[] { 1m, 2m, 2.5m, 5m, 10m })
        {
            if (step * magnitude >= value)
            {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>A labelled position on an axis; <paramref name="Anchor"/> is the SVG text-anchor of its label.</summary>
    public sealed record AxisTick(double Position, string Label, string Anchor = "middle");

    public sealed record DayColumn(double X, double Width, string Title);
}
