using System.Globalization;
using AdIntel.Web.Metrics;

namespace AdIntel.Web.Reports.Export;

/// <summary>
/// Cell values as text. <see cref="Display"/> is what people read (the pages and the PDF: currency symbol, thousands
/// separators, counts as whole numbers, percentages); <see cref="Invariant"/> is what machines read (the CSV: invariant culture, money to cents, ratios and
/// shares to 4 decimals — the API's rounding).
/// </summary>
public static class ReportValues
{
    public static string Display(ColumnKind kind, object? value, MetricFormatter format) => value switch
    {
        null => MetricFormatter.Missing,
        string text => text,
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => kind switch
        {
            ColumnKind.Money => format.Money(Math.Round(ToDecimal(value), 2, MidpointRounding.AwayFromZero)),
            ColumnKind.Ratio => format.Format(MetricFormat.Ratio, ToDecimal(value)),
            ColumnKind.Percent => ToDecimal(value).ToString("0.00%", CultureInfo.InvariantCulture),
            ColumnKind.Count => ToDecimal(value).ToString("N0", CultureInfo.InvariantCulture),
            ColumnKind.Number => ToDecimal(value).ToString("N2", CultureInfo.InvariantCulture),
            _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
        },
    };

    public static string Invariant(ColumnKind kind, object? value) => value switch
    {
        null => "",
        string text => text,
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        _ => kind switch
        {
            ColumnKind.Money => Math.Round(ToDecimal(value), 2, MidpointRounding.AwayFromZero).ToString("0.00", CultureInfo.InvariantCulture),
            ColumnKind.Ratio or ColumnKind.Percent => Math.Round(ToDecimal(value), 4, MidpointRounding.AwayFromZero).ToString("0.0###", CultureInfo.InvariantCulture),
            ColumnKind.Count => Math.Round(ToDecimal(value), 0, MidpointRounding.AwayFromZero).ToString("0", CultureInfo.InvariantCulture),
            ColumnKind.Number => Math.Round(ToDecimal(value), 2, MidpointRounding.AwayFromZero).ToString("0.00", CultureInfo.InvariantCulture),
            _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
        },
    };

    public static decimal ToDecimal(object value) => value switch
    {
        decimal d => d,
        int i => i,
        long l => l,
        double d => (decimal)d,
        _ => Convert.ToDecimal(value, CultureInfo.InvariantCulture),
    };

    public static bool IsNumeric(object? value) => value is decimal or int or long or double;
}
