using System.Globalization;
using System.Text.RegularExpressions;

namespace AdIntel.Web.Imports;

/// <summary>
/// Parses the values of export files. Numbers are invariant-culture ("1234.56"): a currency symbol and
/// thousands separators in groups of three ("$1,234.56") are tolerated, anything ambiguous ("12,50") is refused
/// with a message that says how to fix it rather than guessed.
/// </summary>
public static partial class CsvValues
{
    private const NumberStyles PlainNumber = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint;
    private const string CurrencySymbols = "$€£¥₹";

    /// <summary>Shopify writes "2024-03-05 14:22:10 -0500"; ISO 8601 with an offset or Z is accepted too.</summary>
    private static readonly string[] InstantFormats =
    [
        "yyyy-MM-dd HH:mm:ss zzz",
        "yyyy-MM-dd HH:mm zzz",
        "yyyy-MM-dd'T'HH:mm:sszzz",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz",
        "yyyy-MM-dd'T'HH:mm:ss'Z'",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
    ];

    /// <summary>Without an offset the time is the store's local time (a file edited by hand, say).</summary>
    private static readonly string[] LocalInstantFormats = ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm:ss"];

    /// <summary>Amounts are stored with 4 decimals; rounding on the way in keeps a re-import equal to what was stored.</summary>
    private const int StoredDecimals = 4;

    /// <summary>An amount; an empty value is 0. On failure <paramref name="error"/> says what is wrong, naming the column.</summary>
    public static bool TryParseAmount(ReadOnlySpan<byte> utf8, string column, out decimal value, out string? error)
    {
        error = null;
        if (utf8.IsEmpty)
        {
            value = 0;
            return true;
        }
        if (decimal.TryParse(utf8, PlainNumber, CultureInfo.InvariantCulture, out value)
            || TryParseAmountSlow(System.Text.Encoding.UTF8.GetString(utf8), column, out value, out error))
        {
            value = Math.Round(value, StoredDecimals, MidpointRounding.AwayFromZero);
            return true;
        }
        return false;
    }

    /// <summary>A whole number (quantities, impressions); "1,234" and "12.0" are accepted, "1.5" is not.</summary>
    public static bool TryParseWholeNumber(ReadOnlySpan<byte> utf8, string column, out long value, out string? error)
    {
        value = 0;
        if (!TryParseAmount(utf8, column, out var number, out error))
        {
            error = $"{column} “{Shorten(System.Text.Encoding.UTF8.GetString(utf8))}” is not a whole number.";
            return false;
        }
        if (number != decimal.Truncate(number) || number is > long.MaxValue or < long.MinValue)
        {
            error = $"{column} “{Shorten(System.Text.Encoding.UTF8.GetString(utf8))}” is not a whole number.";
            return false;
        }
        value = (long)number;
        return true;
    }

    private static bool TryParseAmountSlow(string raw, string column, out decimal value, out string? error)
    {
        value = 0;
        error = null;
        var text = raw.Trim();
        var negative = false;
        if (text.StartsWith('-'))
        {
            negative = true;
            text = text[1..].TrimStart();
        }
        if (text.Length > 0 && CurrencySymbols.Contains(text[0], StringComparison.Ordinal))
        {
            text = text[1..].TrimStart();
        }
        else if (text.Length > 0 && CurrencySymbols.Contains(text[^1], StringComparison.Ordinal))
        {
            text = text[..^1].TrimEnd();
        }
        if (!negative && text.StartsWith('-'))
        {
            negative = true;
            text = text[1..];
        }
        if (GroupedThousands().IsMatch(text))
        {
            text = text.Replace(",", "", StringComparison.Ordinal);
        }
        if ((text.Length > 0 && char.IsAsciiDigit(text[0])) || text.StartsWith('.'))
        {
            if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var parsed))
            {
                value = negative ? -parsed : parsed;
                return true;
            }
        }
        error = DecimalComma().IsMatch(text)
            ? $"{column} “{Shorten(raw)}” uses a decimal comma; amounts must use a dot, like 12.50."
            : $"{column} “{Shorten(raw)}” is not an amount; amounts look like 1234.56.";
        return false;
    }

    /// <summary>An instant in UTC. Values without an offset are read in <paramref name="localZone"/>.</summary>
    public static bool TryParseInstant(string? text, TimeZoneInfo localZone, string column, out DateTime utc, out string? error)
    {
        utc = default;
        error = null;
        var value = text?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            error = $"{column} is empty.";
            return false;
        }
        if (DateTimeOffset.TryParseExact(value, InstantFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            utc = instant.UtcDateTime;
            return true;
        }
        if (DateTime.TryParseExact(value, LocalInstantFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            utc = TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), localZone);
            return true;
        }
        error = $"{column} “{Shorten(value)}” is not a date and time like 2024-03-05 14:22:10 -0500.";
        return false;
    }

    /// <summary>A calendar day as Ads Manager writes it: 2024-03-05.</summary>
    public static bool TryParseDay(string? text, string column, out DateOnly day, out string? error)
    {
        day = default;
        error = null;
        var value = text?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            error = $"{column} is empty.";
            return false;
        }
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day))
        {
            return true;
        }
        error = $"{column} “{Shorten(value)}” is not a date like 2024-03-05.";
        return false;
    }

    /// <summary>Values are quoted in messages; a pasted novel is cut short.</summary>
    public static string Shorten(string value) => value.Length <= 40 ? value : value[..37] + "…";

    [GeneratedRegex(@"^\d{1,3}(,\d{3})+(\.\d+)?$")]
    private static partial Regex GroupedThousands();

    [GeneratedRegex(@"^\d+,\d{1,2}$")]
    private static partial Regex DecimalComma();
}
