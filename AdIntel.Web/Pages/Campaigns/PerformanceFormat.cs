using System.Globalization;
using AdIntel.Web.Metrics;

namespace AdIntel.Web.Pages.Campaigns;

/// <summary>
/// How the performance tables write numbers. Money, multiples and counts look exactly as on the overview
/// (<see cref="MetricFormatter"/>); click-through rates keep two decimals ("1.25%") because they are small numbers
/// people compare closely; frequency has two decimals and purchases up to two.
/// </summary>
public sealed class PerformanceFormat(string currency)
{
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-US");
    private readonly MetricFormatter _metrics = new(currency);

    public string Value(decimal? value, ValueFormat format) => value is not { } v ? MetricFormatter.Missing : format switch
    {
        ValueFormat.Money => _metrics.Money(v),
        ValueFormat.Ratio => _metrics.Format(MetricFormat.Ratio, v),
        ValueFormat.Count => _metrics.Format(MetricFormat.Count, v),
        ValueFormat.Percent => v.ToString("0.00%", English),
        ValueFormat.Decimal => v.ToString("#,0.00", English),
        _ => v.ToString("#,0.##", English),
    };

    public string Money(decimal value) => _metrics.Money(value);

    /// <summary>Meta's objective codes as words: OUTCOME_SALES → "Sales objective", LINK_CLICKS → "Link clicks objective".</summary>
    public static string Objective(string code)
    {
        var words = (code.StartsWith("OUTCOME_", StringComparison.OrdinalIgnoreCase) ? code["OUTCOME_".Length..] : code)
            .Replace('_', ' ').Trim().ToLowerInvariant();
        return words.Length == 0 ? code : char.ToUpperInvariant(words[0]) + words[1..] + " objective";
    }

    public static string Date(DateOnly date) => date.ToString("MMM d, yyyy", English);

    public static string Range(DateRange range) =>
        range.From == range.To ? Date(range.From)
        : range.From.Year == range.To.Year ? $"{range.From.ToString("MMM d", English)} – {Date(range.To)}"
        : $"{Date(range.From)} – {Date(range.To)}";
}
