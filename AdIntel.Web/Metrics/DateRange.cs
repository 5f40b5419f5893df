using System.Globalization;

namespace AdIntel.Web.Metrics;

/// <summary>An inclusive range of store-local days (both ends count).</summary>
public sealed record DateRange(DateOnly From, DateOnly To)
{
    /// <summary>Longest range the screens and the API accept: three years, leap day included.</summary>
    public const int MaxDays = 3 * 365 + 1;

    public int Days => To.DayNumber - From.DayNumber + 1;

    /// <summary>The period of the same length that ends the day before this one starts.</summary>
    public DateRange GetPreviousPeriod() => new(From.AddDays(-Days), From.AddDays(-1));

    public bool Contains(DateOnly day) => day >= From && day <= To;

    public IEnumerable<DateOnly> EachDay()
    {
        for (var day = From; day <= To; day = day.AddDays(1))
        {
            yield return day;
        }
    }

    public override string ToString() =>
        From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + ".." + To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>
/// The date presets of the screens and the API (<c>?preset=</c>). "Last N days" are the N complete days before
/// today in the store's time zone — like Meta's <c>last_Nd</c> and the rules' <c>_Nd</c> windows — so a
/// period never mixes in a half-finished day and compares fairly with the period before it. Today (so far) and month to
/// date include today.
/// </summary>
public sealed record DatePreset(string Key, string Label, Func<DateOnly, DateRange> RangeEndingOn)
{
    public const string Custom = "custom";

    public static readonly DatePreset Today = new("today", "Today", today => new DateRange(today, today));
    public static readonly DatePreset Yesterday = new("yesterday", "Yesterday", today => new DateRange(today.AddDays(-1), today.AddDays(-1)));
    public static readonly DatePreset Last7Days = new("7d", "Last 7 days", today => LastDays(today, 7));
    public static readonly DatePreset Last30Days = new("30d", "Last 30 days", today => LastDays(today, 30));
    public static readonly DatePreset Last90Days = new("90d", "Last 90 days", today => LastDays(today, 90));
    public static readonly DatePreset MonthToDate = new("mtd", "Month to date", today => new DateRange(new DateOnly(today.Year, today.Month, 1), today));

    public static IReadOnlyList<DatePreset> All { get; } = [Today, Yesterday, Last7Days, Last30Days, Last90Days, MonthToDate];

    public static DatePreset Default => Last30Days;

    public static DatePreset? Find(string key) => All.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase));

    private static DateRange LastDays(DateOnly today, int days) => new(today.AddDays(-days), today.AddDays(-1));
}

/// <summary>A range chosen by the user: a preset's key, or <see cref="DatePreset.Custom"/> for explicit dates.</summary>
public sealed record DateRangeSelection(DateRange Range, string Preset);

/// <summary>Why a date query was refused: a sentence for people and the parameter at fault.</summary>
public sealed record DateRangeError(string Message, string Parameter, string? Value)
{
    /// <summary>The API's answer to a refused date query: 400 with the parameter at fault.</summary>
    public IResult ToApiError() =>
        Infrastructure.Api.ApiResults.Error(StatusCodes.Status400BadRequest, DateRangeQuery.ErrorCode, Message, new { parameter = Parameter, value = Value });
}

/// <summary>Reads <c>?from=YYYY-MM-DD&amp;to=YYYY-MM-DD&amp;preset=today|yesterday|7d|30d|90d|mtd|custom</c>, shared by pages and API.</summary>
public static class DateRangeQuery
{
    public const string ErrorCode = "invalid_date_range";

    public static bool TryParse(string? from, string? to, string? preset, DateOnly today,
        out DateRangeSelection selection, out DateRangeError? error)
    {
        selection = new DateRangeSelection(DatePreset.Default.RangeEndingOn(today), DatePreset.Default.Key);
        error = null;
        var hasDates = !string.IsNullOrWhiteSpace(from) || !string.IsNullOrWhiteSpace(to);
        var presetKey = string.IsNullOrWhiteSpace(preset) ? null : preset.Trim();
        var isCustom = string.Equals(presetKey, DatePreset.Custom, StringComparison.OrdinalIgnoreCase);

        if (presetKey is not null && !isCustom)
        {
            if (DatePreset.Find(presetKey) is not { } named)
            {
                var keys = string.Join(", ", DatePreset.All.Select(p => p.Key).Append(DatePreset.Custom));
                error = new DateRangeError($"Unknown preset \"{presetKey}\"; use one of {keys}.", "preset", presetKey);
                return false;
            }
            if (hasDates)
            {
                error = new DateRangeError($"Give either preset={named.Key} or from and to, not both.", "preset", presetKey);
                return false;
            }
            selection = new DateRangeSelection(named.RangeEndingOn(today), named.Key);
            return true;
        }

        if (!hasDates)
        {
            if (isCustom)
            {
                error = new DateRangeError("A custom range needs from and to (YYYY-MM-DD).", "from", null);
                return false;
            }
            return true;
        }

        if (!TryParseDate(from, "from", out var start, out error) || !TryParseDate(to, "to", out var end, out error))
        {
            return false;
        }
        if (start > end)
        {
            error = new DateRangeError($"from ({Format(start)}) is after to ({Format(end)}).", "from", from);
            return false;
        }
        var range = new DateRange(start, end);
        if (range.Days > DateRange.MaxDays)
        {
            error = new DateRangeError(
                $"from {Format(start)} to {Format(end)} covers {range.Days} days; the longest range is {DateRange.MaxDays} days (three years).", "to", to);
            return false;
        }
        selection = new DateRangeSelection(range, DatePreset.Custom);
        return true;
    }

    private static bool TryParseDate(string? text, string parameter, out DateOnly date, out DateRangeError? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = new DateRangeError($"{parameter} is missing; give both from and to as YYYY-MM-DD.", parameter, null);
            date = default;
            return false;
        }
        if (!DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
        {
            error = new DateRangeError($"{parameter} \"{text}\" is not a date in the form YYYY-MM-DD.", parameter, text);
            return false;
        }
        return true;
    }

    private static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
