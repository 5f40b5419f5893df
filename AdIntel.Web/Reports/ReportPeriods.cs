using System.Globalization;
using AdIntel.Web.Metrics;

namespace AdIntel.Web.Reports;

/// <summary>How the P&amp;L splits its range: calendar months or ISO weeks (Monday to Sunday).</summary>
public enum Granularity
{
    Month,
    Week,
}

public static class ReportPeriods
{
    public static bool TryParseGranularity(string? text, out Granularity granularity)
    {
        granularity = Granularity.Month;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }
        switch (text.Trim().ToLowerInvariant())
        {
            case "month":
                return true;
            case "week":
                granularity = Granularity.Week;
                return true;
            default:
                return false;
        }
    }

    public static string Key(this Granularity granularity) => granularity == Granularity.Week ? "week" : "month";

    /// <summary>The calendar months or ISO weeks that <paramref name="range"/> touches, each clipped to the range.</summary>
    public static IReadOnlyList<DateRange> Split(DateRange range, Granularity granularity)
    {
        var periods = new List<DateRange>();
        var start = range.From;
        while (start <= range.To)
        {
            var end = granularity == Granularity.Month
                ? new DateOnly(start.Year, start.Month, 1).AddMonths(1).AddDays(-1)
                : start.AddDays(((int)DayOfWeek.Sunday - (int)start.DayOfWeek + 7) % 7);
            if (end > range.To)
            {
                end = range.To;
            }
            periods.Add(new DateRange(start, end));
            start = end.AddDays(1);
        }
        return periods;
    }

    /// <summary>"Jan 2025" for a month, "Week of Jan 6, 2025" for a week; a clipped first or last period says so by its dates.</summary>
    public static string Label(DateRange period, Granularity granularity)
    {
        var culture = CultureInfo.InvariantCulture;
        if (granularity == Granularity.Month)
        {
            var whole = period.From.Day == 1 && period.To == new DateOnly(period.From.Year, period.From.Month, 1).AddMonths(1).AddDays(-1);
            return whole ? period.From.ToString("MMM yyyy", culture) : $"{period.From.ToString("MMM d", culture)}–{period.To.ToString("d, yyyy", culture)}";
        }
        return period.Days == 7 ? "Week of " + period.From.ToString("MMM d, yyyy", culture)
            : $"{period.From.ToString("MMM d", culture)}–{period.To.ToString("MMM d, yyyy", culture)}";
    }
}
