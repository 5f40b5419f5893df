using System.Globalization;
using AdIntel.Web.Metrics;

namespace AdIntel.Web.Brain.Recommendations;

/// <summary>
/// Collects a recommendation's figures and hands back each one written as the text shows it, so a title or a
/// reasoning is assembled from its figures only: no number reaches the text without being a figure first.
/// </summary>
public sealed class FigureSheet(MetricFormatter format)
{
    private readonly List<RecommendationFigure> _figures = [];

    public IReadOnlyList<RecommendationFigure> Figures => _figures;

    public string Money(string name, decimal value, string window) => Add(name, value, FigureUnits.Money, window);

    public string Ratio(string name, decimal value, string window) => Add(name, value, FigureUnits.Ratio, window);

    public string Percent(string name, decimal value, string window) => Add(name, value, FigureUnits.Percent, window);

    public string Count(string name, decimal value, string window) => Add(name, value, FigureUnits.Count, window);

    public string Days(string name, decimal value, string window) => Add(name, value, FigureUnits.Days, window);

    private string Add(string name, decimal value, string unit, string window)
    {
        var figure = new RecommendationFigure(name, value, unit, window);
        _figures.Add(figure);
        return Write(format, figure);
    }

    /// <summary>A figure as people read it: "$1,234.56", "2.31×", "12.5%", "1,204", "3 days".</summary>
    public static string Write(MetricFormatter format, RecommendationFigure figure) => figure.Unit switch
    {
        FigureUnits.Money => format.Money(figure.Value),
        FigureUnits.Ratio => format.Format(MetricFormat.Ratio, figure.Value),
        // Shares keep two decimals where they have them: a click-through rate of 0.65% is not 0.7%.
        FigureUnits.Percent => figure.Value.ToString("0.0#%", English),
        FigureUnits.Days => format.Days(figure.Value),
        _ => figure.Value.ToString(figure.Value == decimal.Truncate(figure.Value) ? "N0" : "#,##0.##", English),
    };

    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-US");

    /// <summary>The value as the API writes it: money to cents, ratios and shares to 4 decimals, days as whole days.</summary>
    public static decimal Round(RecommendationFigure figure) => figure.Unit switch
    {
        FigureUnits.Money => Math.Round(figure.Value, 2, MidpointRounding.AwayFromZero),
        FigureUnits.Days => Math.Round(figure.Value, 0, MidpointRounding.AwayFromZero),
        _ => Math.Round(figure.Value, 4, MidpointRounding.AwayFromZero),
    };
}
