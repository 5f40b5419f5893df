using System.Text.RegularExpressions;
using AdIntel.Web.Brain.Recommendations;
using AdIntel.Web.Metrics;

namespace AdIntel.Web.Tests.Brain.Recommendations;

/// <summary>Checks on a recommendation's figures: their values against a test's own arithmetic, and the text against the figures.</summary>
internal static partial class FigureAssert
{
    /// <summary>The figure exists with this unit and, rounded as the API rounds its unit, this value.</summary>
    public static void Has(Recommendation recommendation, string name, string unit, decimal expected)
    {
        var figure = recommendation.Figure(name);
        Assert.True(figure is not null, $"{recommendation.Key} has no figure {name}: {string.Join(", ", recommendation.Figures.Select(f => f.Name))}");
        Assert.Equal(unit, figure.Unit);
        var decimals = unit switch { FigureUnits.Money => 2, FigureUnits.Days => 0, _ => 4 };
        Assert.True(Math.Round(expected, decimals, MidpointRounding.AwayFromZero) == Math.Round(figure.Value, decimals, MidpointRounding.AwayFromZero),
            $"{recommendation.Key} {name}: expected {expected}, got {figure.Value}");
    }

    /// <summary>
    /// Every number in the title and the reasoning is a figure as the text writes it, or part of a figure's window
    /// ("last 7 complete days, 2026-11-30 to 2026-12-06"); entity names are left out (they may hold digits of their own).
    /// </summary>
    public static void NumbersComeFromFigures(Recommendation recommendation, string currency = "USD")
    {
        var format = new MetricFormatter(currency);
        var allowed = recommendation.Figures
            .SelectMany(f => Numbers(FigureSheet.Write(format, f)).Concat(Numbers(f.Window)))
            .ToHashSet(StringComparer.Ordinal);
        foreach (var text in new[] { recommendation.Title, recommendation.Reasoning })
        {
            var stripped = recommendation.Entities.Select(e => e.Name).OrderByDescending(n => n.Length)
                .Aggregate(text, (current, name) => current.Replace(name, "", StringComparison.Ordinal));
            var strays = Numbers(stripped).Where(n => !allowed.Contains(n)).ToList();
            Assert.True(strays.Count == 0, $"{recommendation.Key}: {string.Join(", ", strays)} in \"{text}\" is no figure ({string.Join("; ", allowed)})");
        }
    }

    private static IEnumerable<string> Numbers(string text) => Number().Matches(text).Select(m => m.Value.Replace(",", "", StringComparison.Ordinal));

    [GeneratedRegex(@"\d[\d,]*(\.\d+)?")]
    private static partial Regex Number();
}
