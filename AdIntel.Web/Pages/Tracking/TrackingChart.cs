using System.Globalization;
using System.Text;
using AdIntel.Web.Tracking;

namespace AdIntel.Web.Pages.Tracking;

/// <summary>
/// The daily purchase coverage chart, inline SVG drawn on the server: Shopify orders as bars, Meta's purchases as a
/// line on the same count axis, broken days shaded; each day has a native tooltip.
/// </summary>
public sealed record TrackingChart(string PurchasesLine, IReadOnlyList<TrackingChart.Bar> Bars, IReadOnlyList<(double Y, string Label)> Ticks,
    IReadOnlyList<(double X, string Label)> DateTicks)
{
    public const int Width = 760;
    public const int Height = 240;
    public const double PlotLeft = 44;
    public const double PlotRight = Width - 12;
    public const double PlotTop = 10;
    public const double PlotBottom = Height - 28;

    public sealed record Bar(double X, double Y, double BarWidth, double BarHeight, double SlotX, double SlotWidth, bool Broken, string Title);

    public static TrackingChart Build(IReadOnlyList<CoverageDay> days)
    {
        var max = (double)Math.Max(1m, days.Select(d => Math.Max(d.Orders, d.MetaPurchases)).DefaultIfEmpty(1m).Max());
        var step = NiceStep(max / 4);
        var top = Math.Ceiling(max / step) * step;
        var slot = days.Count == 0 ? 0 : (PlotRight - PlotLeft) / days.Count;
        double Y(double value) => PlotBottom - value / top * (PlotBottom - PlotTop);
        var bars = days.Select((d, i) =>
        {
            var x = PlotLeft + i * slot;
            var y = Y(d.Orders);
            var coverage = d.Coverage is { } c ? c.ToString("0 %", CultureInfo.InvariantCulture) : "no orders";
            return new Bar(x + slot * 0.15, y, slot * 0.7, PlotBottom - y, x, slot, d.Broken, string.Create(CultureInfo.InvariantCulture,
                $"{d.Date:ddd MMM d}: {d.Orders} Shopify orders, {d.MetaPurchases:0.#} Meta purchases ({coverage}){(d.Broken ? " — tracking broken" : "")}"));
        }).ToList();
        var line = new StringBuilder();
        for (var i = 0; i < days.Count; i++)
        {
            line.Append(i == 0 ? "M" : " L").Append(N(PlotLeft + (i + 0.5) * slot)).Append(' ').Append(N(Y((double)days[i].MetaPurchases)));
        }
        var ticks = Enumerable.Range(0, (int)Math.Round(top / step) + 1).Select(k => (Y(k * step), (k * step).ToString("0", CultureInfo.InvariantCulture))).ToList();
        var every = Math.Max(1, days.Count / 6);
        var dates = days.Select((d, i) => (d, i)).Where(p => p.i % every == 0)
            .Select(p => (PlotLeft + (p.i + 0.5) * slot, p.d.Date.ToString("MMM d", CultureInfo.InvariantCulture))).ToList();
        return new TrackingChart(line.ToString(), bars, ticks, dates);
    }

    public static string N(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static double NiceStep(double raw)
    {
        if (raw <= 1)
        {
            return 1;
        }
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var fraction = raw / magnitude;
        return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * magnitude;
    }
}
