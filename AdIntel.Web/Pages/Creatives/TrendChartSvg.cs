using System.Globalization;
using System.Net;
using System.Text;
using AdIntel.Web.Creatives.Trends;

namespace AdIntel.Web.Pages.Creatives;

/// <summary>
/// A trend dimension's shares as inline SVG, rendered on the server (CSP-safe: attributes and classes only): for each
/// value two horizontal bars, the window before and the recent one, each with its percentage; a title and description
/// for screen readers and a tooltip per bar with the counts.
/// </summary>
public static class TrendChartSvg
{
    private const double Width = 560, LabelWidth = 170, ValueWidth = 56, BarHeight = 12, RowGap = 14, Top = 4;

    public static string Render(TrendDimension dimension)
    {
        var inv = CultureInfo.InvariantCulture;
        var rows = dimension.Shares;
        var id = $"trend-{dimension.Source}-{dimension.Dimension}";
        var rowHeight = 2 * BarHeight + 2 + RowGap;
        var height = Top + rows.Count * rowHeight;
        var plot = Width - LabelWidth - ValueWidth;
        var svg = new StringBuilder();
        svg.Append(inv, $"<svg class=\"trend-chart\" viewBox=\"0 0 {Width} {height:0.#}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" data-testid=\"{id}\">");
        svg.Append(inv, $"<title id=\"{id}-title\">{E(dimension.Title)}: share of ads, the {dimension.PreviousAds} before and the {dimension.RecentAds} now</title>");
        svg.Append(inv, $"<desc id=\"{id}-desc\">{E(string.Join("; ", rows.Select(r => $"{r.Label}: {Percent(r.Previous.Share)} before, {Percent(r.Recent.Share)} now")))}.</desc>");
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var y = Top + i * rowHeight;
            svg.Append(inv, $"<text class=\"label\" x=\"{LabelWidth - 8}\" y=\"{y + BarHeight + 5:0.#}\" text-anchor=\"end\">{E(row.Label)}</text>");
            Bar(svg, "before", y, row.Previous, $"{row.Label}, before: {Percent(row.Previous.Share)} ({row.Previous.Count} of {row.Previous.Total})");
            Bar(svg, "now", y + BarHeight + 2, row.Recent, $"{row.Label}, now: {Percent(row.Recent.Share)} ({row.Recent.Count} of {row.Recent.Total})");
        }
        svg.Append("</svg>");
        return svg.ToString();

        void Bar(StringBuilder target, string kind, double y, ShareFigure figure, string tooltip)
        {
            var width = Math.Max((double)(figure.Share ?? 0) * plot, 1);
            target.Append(inv, $"<rect class=\"{kind}\" x=\"{LabelWidth}\" y=\"{y:0.#}\" width=\"{width:0.#}\" height=\"{BarHeight}\"><title>{E(tooltip)}</title></rect>");
            target.Append(inv, $"<text class=\"value\" x=\"{LabelWidth + width + 4:0.#}\" y=\"{y + BarHeight - 2:0.#}\">{E(Percent(figure.Share))}</text>");
        }
    }

    public static string Percent(decimal? share) => share is { } s ? (s * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%" : "–";

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
