using System.Collections.Concurrent;
using System.Globalization;

namespace AdIntel.Web.Metrics;

/// <summary>
/// Metric values as people read them: money in the store currency ("$1,234.56", "€980.00"), ratios as multiples
/// ("2.71×"), shares as percentages, missing values as a dash. English number formatting, the currency's own symbol and decimals.
/// </summary>
public sealed class MetricFormatter
{
    public const string Missing = "—";

    private static readonly ConcurrentDictionary<string, NumberFormatInfo> Formats = new(StringComparer.OrdinalIgnoreCase);
    private readonly NumberFormatInfo _numbers;

    public MetricFormatter(string currency)
    {
        Currency = currency.ToUpperInvariant();
        _numbers = Formats.GetOrAdd(Currency, CreateFormat);
    }

    public string Currency { get; }

    public string Format(MetricFormat format, decimal? value) => value is not { } v ? Missing : format switch
    {
        MetricFormat.Money => Money(v),
        MetricFormat.Ratio => v.ToString("0.00", _numbers) + "×",
        MetricFormat.Percent => v.ToString("0.0%", _numbers),
        MetricFormat.Days => Days(v),
        _ => v.ToString("N0", _numbers),
    };

    public string Format(MetricDefinition metric, KpiSet kpis) => Format(metric.Format, metric.Value(kpis));

    public string Money(decimal value) => value.ToString("C", _numbers);

    /// <summary>Short money for axis ticks: "$950", "$12.5k", "$1.2M".</summary>
    public string MoneyCompact(decimal value)
    {
        var magnitude = Math.Abs(value);
        var (scaled, suffix) = magnitude >= 1_000_000m ? (value / 1_000_000m, "M") : magnitude >= 1_000m ? (value / 1_000m, "k") : (value, "");
        return (scaled < 0 ? "-" : "") + _numbers.CurrencySymbol + Math.Abs(scaled).ToString(suffix.Length == 0 ? "0" : "0.#", _numbers) + suffix;
    }

    public string Days(decimal value)
    {
        var days = (long)Math.Round(value, MidpointRounding.AwayFromZero);
        return days == 1 ? "1 day" : days.ToString("N0", _numbers) + " days";
    }

    /// <summary>en-US grouping and sign, with the symbol and decimal places of a culture that uses <paramref name="currency"/>.</summary>
    private static NumberFormatInfo CreateFormat(string currency)
    {
        var format = (NumberFormatInfo)CultureInfo.GetCultureInfo("en-US").NumberFormat.Clone();
        var owner = CultureUsing(currency);
        if (owner is not null)
        {
            format.CurrencySymbol = owner.NumberFormat.CurrencySymbol;
            format.CurrencyDecimalDigits = owner.NumberFormat.CurrencyDecimalDigits;
        }
        else
        {
            format.CurrencySymbol = currency + " ";
        }
        return format;
    }

    /// <summary>
    /// The first English culture that uses <paramref name="currency"/>, else the first other one. English cultures are
    /// tried before any other is looked at because each look loads that locale's ICU data, which stays in the process
    /// (trying all 558 cultures cost the web process about 10 MB, measured with bench/AdIntel.MemoryBench).
    /// </summary>
    private static CultureInfo? CultureUsing(string currency)
    {
        var cultures = CultureInfo.GetCultures(CultureTypes.SpecificCultures);
        return cultures.FirstOrDefault(c => IsEnglish(c) && UsesCurrency(c, currency))
            ?? cultures.FirstOrDefault(c => !IsEnglish(c) && UsesCurrency(c, currency));
    }

    // From the name alone: TwoLetterISOLanguageName would load the culture's data.
    private static bool IsEnglish(CultureInfo culture) => culture.Name.StartsWith("en-", StringComparison.Ordinal);

    private static bool UsesCurrency(CultureInfo culture, string currency)
    {
        try
        {
            return new RegionInfo(culture.Name).ISOCurrencySymbol == currency;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
