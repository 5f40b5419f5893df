using System.Globalization;
using System.Net;
using System.Text;
using AdIntel.Web.Metrics;
using AdIntel.Web.Reports.Export;

namespace AdIntel.Web.Pages.Reports;

/// <summary>
/// A report's chart as inline SVG, rendered on the server (no script, CSP-safe: presentation attributes and classes only):
/// grouped bars per period with a zero line, gridlines, money ticks, a title and description for screen readers, and a
/// tooltip per bar. The PDF draws the same chart with PDFsharp.
/// </summary>
public static class ReportChartSvg
{
    private const double Width = 960, Height = 300, Left = 64, Right = 12, Top = 16, Bottom = 40;

    public static string Render(ReportChart chart, MetricFormatter format)
    {
        var inv = CultureInfo.InvariantCulture;
        var values = chart.Series.SelectMany(s => s.Values).ToList();
        var min = Math.Min(0, values.Count == 0 ? 0 : values.Min());
        var max = Math.Max(0, values.Count == 0 ? 0 : values.Max());
        var (low, high, step) = ChartScale.Nice(min, max);
        var plotWidth = Width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        double Y(decimal v) => Top + plotHeight - (double)((v - low) / (high - low)) * plotHeight;

        var svg = new StringBuilder();
        svg.Append(inv, $"<svg class=\"report-chart\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-labelledby=\"report-chart-title report-chart-desc\">");
        svg.Append(inv, $"<title id=\"report-chart-title\">{E(chart.Title)}</title>");
        svg.Append(inv, $"<desc id=\"report-chart-desc\">Bars per period for {E(string.Join(" and ", chart.Series.Select(s => s.Name)))}. The table below lists the same numbers.</desc>");
        for (var tick = low; tick <= high + step / 1000; tick += step)
        {
            var y = Y(tick);
            svg.Append(inv, $"<line class=\"{(tick == 0 ? "zero" : "grid")}\" x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\" />");
            svg.Append(inv, $"<text class=\"tick\" x=\"{Left - 8}\" y=\"{y + 4:0.#}\" text-anchor=\"end\">{E(format.MoneyCompact(tick))}</text>");
        }
        var groups = chart.Labels.Count;
        if (groups > 0)
        {
            var groupWidth = plotWidth / groups;
            var barWidth = groupWidth * 0.8 / Math.Max(1, chart.Series.Count);
            var labelEvery = (int)Math.Ceiling(groups / (plotWidth / 56));
            for (var g = 0; g < groups; g++)
            {
                var x0 = Left + g * groupWidth + groupWidth * 0.1;
                for (var s = 0; s < chart.Series.Count; s++)
                {
                    var value = chart.Series[s].Values[g];
                    var top = Math.Min(Y(value), Y(0));
                    var height = Math.Max(Math.Abs(Y(value) - Y(0)), 0.5);
                    svg.Append(inv, $"<rect class=\"series-{s}\" x=\"{x0 + s * barWidth:0.##}\" y=\"{top:0.##}\" width=\"{barWidth * 0.92:0.##}\" height=\"{height:0.##}\">");
                    svg.Append(inv, $"<title>{E(chart.Labels[g])} · {E(chart.Series[s].Name)}: {E(format.Money(Math.Round(value, 2)))}</title></rect>");
                }
                if (g % labelEvery == 0)
                {
                    svg.Append(inv, $"<text class=\"tick\" x=\"{Left + (g + 0.5) * groupWidth:0.#}\" y=\"{Height - Bottom + 18}\" text-anchor=\"middle\">{E(chart.Labels[g])}</text>");
                }
            }
        }
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
