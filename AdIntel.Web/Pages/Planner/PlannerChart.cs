using System.Globalization;
using AdIntel.Web.Brain.Planner;
using AdIntel.Web.Metrics;
using AdIntel.Web.Pages.Overview;

namespace AdIntel.Web.Pages.Planner;

/// <summary>
/// One budget's chart, drawn as inline SVG on the server: each day as a point (daily spend across, attributed purchase
/// value up; days left out of the fit hollow), the fitted curve with its 5–95 % band, a line at today's spend and, when
/// the planner proposes a change, a dashed line at the proposed spend. The axes fit the days the curve was fitted to:
/// left-out days beyond them (a sales event's spend) are counted in <see cref="DaysOffChart"/> instead of squeezing
/// every other point into a corner.
/// </summary>
public sealed class PlannerChart
{
    public const int Width = 360;
    public const int Height = 220;
    public const double PlotLeft = 52;
    public const double PlotRight = Width - 10;
    public const double PlotTop = 10;
    public const double PlotBottom = Height - 34;

    private const int CurveSteps = 60;

    public required IReadOnlyList<ChartPoint> Points { get; init; }
    public int DaysOffChart { get; init; }
    public string Curve { get; init; } = "";
    public string Band { get; init; } = "";
    public double? TodayX { get; init; }
    public double? ProposedX { get; init; }
    public required IReadOnlyList<OverviewChart.AxisTick> SpendTicks { get; init; }
    public required IReadOnlyList<OverviewChart.AxisTick> ValueTicks { get; init; }

    public static PlannerChart Build(PlannedBudget budget, BudgetChange? change, MetricFormatter format)
    {
        var proposedSpend = change is { Amount: not 0 } ? change.NewSpend : (double?)null;
        var used = budget.UsedDays.ToList();
        var spendMax = (double)OverviewChart.NiceCeiling((decimal)(new[] { used.Select(d => d.Spend).DefaultIfEmpty(0).Max(), budget.TodaySpend ?? 0, proposedSpend ?? 0 }.Max() * 1.1));
        var curve = budget.Curve;
        var steps = Enumerable.Range(0, CurveSteps + 1).Select(i => spendMax * i / CurveSteps).ToList();
        var bands = curve is null ? [] : steps.Select(s => budget.Fit.ValueBand(s)).ToList();
        var valueMax = (double)OverviewChart.NiceCeiling((decimal)new[]
        {
            used.Select(d => d.Value).DefaultIfEmpty(0).Max(),
            curve?.Value(spendMax) ?? 0,
            bands.Select(b => b.High).DefaultIfEmpty(0).Max(),
        }.Where(double.IsFinite).Max());

        double X(double spend) => PlotLeft + spend / spendMax * (PlotRight - PlotLeft);
        double Y(double value) => PlotBottom - Math.Min(value, valueMax) / valueMax * (PlotBottom - PlotTop);

        var onChart = budget.Days.Where(d => d.Spend <= spendMax && d.Value <= valueMax).ToList();
        var points = onChart.Select(d => new ChartPoint(X(d.Spend), Y(d.Value), budget.Excluded.ContainsKey(d.Date),
                $"{d.Date.ToString("ddd MMM d, yyyy", CultureInfo.InvariantCulture)}: spend {format.Money(Math.Round((decimal)d.Spend, 2))}, " +
                $"purchase value {format.Money(Math.Round((decimal)d.Value, 2))}{(budget.Excluded.TryGetValue(d.Date, out var reason) ? Why(reason) : "")}"))
            .ToList();
        var inv = CultureInfo.InvariantCulture;
        string Path(IEnumerable<(double Spend, double Value)> line) =>
            string.Join(' ', line.Select((p, i) => string.Create(inv, $"{(i == 0 ? 'M' : 'L')}{X(p.Spend):0.#},{Y(p.Value):0.#}")));

        return new PlannerChart
        {
            Points = points,
            DaysOffChart = budget.Days.Count - onChart.Count,
            Curve = curve is null ? "" : Path(steps.Select(s => (s, curve.Value(s)))),
            Band = curve is null ? "" : Path(steps.Select((s, i) => (s, bands[i].High)).Concat(steps.Select((s, i) => (s, bands[i].Low)).Reverse())) + " Z",
            TodayX = budget.TodaySpend is { } today ? X(today) : null,
            ProposedX = proposedSpend is { } proposed ? X(proposed) : null,
            SpendTicks = Ticks(spendMax).Select(v => new OverviewChart.AxisTick(X(v), format.MoneyCompact((decimal)v), v == 0 ? "start" : "middle")).ToList(),
            ValueTicks = Ticks(valueMax).Select(v => new OverviewChart.AxisTick(Y(v), format.MoneyCompact((decimal)v))).ToList(),
        };
    }

    private static string Why(ExcludedDay reason) => reason switch
    {
        ExcludedDay.BrokenTracking => " (tracking broken: left out of the fit)",
        _ => " (sales event: left out of the fit)",
    };

    /// <summary>Five round ticks from zero to the axis' top.</summary>
    private static IEnumerable<double> Ticks(double max) => Enumerable.Range(0, 5).Select(i => max * i / 4);

    public static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    public sealed record ChartPoint(double X, double Y, bool Excluded, string Title);
}
