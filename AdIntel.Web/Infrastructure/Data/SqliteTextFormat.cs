using System.Globalization;

namespace AdIntel.Web.Infrastructure.Data;

/// <summary>
/// The text forms Microsoft.Data.Sqlite gives decimals and dates (so EF reads back exactly what it would have written),
/// written as UTF-8 into a caller's buffer. <see cref="BulkWriter"/> binds these spans straight to SQLite: <c>ToString</c>
/// with a custom format costs 4–5× as much and allocates a string per value, then its UTF-8 copy (SqliteTextFormatTests
/// check every method against <c>ToString</c> with the format named on it).
/// </summary>
public static class SqliteTextFormat
{
    /// <summary>Longest output of <see cref="Decimal"/>: 29 digits, a sign, a point and the ".0" added to integers.</summary>
    public const int MaxDecimalLength = 32;
    /// <summary>"yyyy-MM-dd HH:mm:ss.FFFFFFF" at its longest.</summary>
    public const int MaxDateTimeLength = 27;
    public const int DateOnlyLength = 10;

    /// <summary><c>value.ToString("0.0###########################", CultureInfo.InvariantCulture)</c>.</summary>
    public static int Decimal(decimal value, Span<byte> destination)
    {
        // "G" (the default) keeps the value's scale ("1.50", "2", "0.00" even for a negative zero); the custom format
        // drops trailing zeros but keeps one decimal ("1.5", "2.0", "0.0").
        if (!value.TryFormat(destination, out var length, default, CultureInfo.InvariantCulture))
        {
            throw new ArgumentException("The buffer is too small for a decimal.", nameof(destination));
        }
        var point = destination[..length].IndexOf((byte)'.');
        if (point < 0)
        {
            destination[length++] = (byte)'.';
            destination[length++] = (byte)'0';
            return length;
        }
        while (length > point + 2 && destination[length - 1] == (byte)'0')
        {
            length--;
        }
        return length;
    }

    /// <summary><c>value.ToString(@"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF", CultureInfo.InvariantCulture)</c>.</summary>
    public static int DateTime(DateTime value, Span<byte> destination)
    {
        var length = Date(value.Year, value.Month, value.Day, destination);
        destination[length] = (byte)' ';
        TwoDigits(value.Hour, destination[(length + 1)..]);
        destination[length + 3] = (byte)':';
        TwoDigits(value.Minute, destination[(length + 4)..]);
        destination[length + 6] = (byte)':';
        TwoDigits(value.Second, destination[(length + 7)..]);
        length += 9;
        var fraction = (int)(value.Ticks % TimeSpan.TicksPerSecond);
        if (fraction == 0)
        {
            // "F" digits that are all zero print nothing, and the point before them goes too.
            return length;
        }
        destination[length++] = (byte)'.';
        for (var divisor = 1_000_000; fraction > 0; divisor /= 10)
        {
            destination[length++] = (byte)('0' + fraction / divisor);
            fraction %= divisor;
        }
        return length;
    }

    /// <summary><c>value.ToString(@"yyyy\-MM\-dd", CultureInfo.InvariantCulture)</c>.</summary>
    public static int DateOnly(DateOnly value, Span<byte> destination) => Date(value.Year, value.Month, value.Day, destination);

    private static int Date(int year, int month, int day, Span<byte> destination)
    {
        TwoDigits(year / 100, destination);
        TwoDigits(year % 100, destination[2..]);
        destination[4] = (byte)'-';
        TwoDigits(month, destination[5..]);
        destination[7] = (byte)'-';
        TwoDigits(day, destination[8..]);
        return DateOnlyLength;
    }

    private static void TwoDigits(int value, Span<byte> destination)
    {
        destination[1] = (byte)('0' + value % 10);
        destination[0] = (byte)('0' + value / 10);
    }
}
