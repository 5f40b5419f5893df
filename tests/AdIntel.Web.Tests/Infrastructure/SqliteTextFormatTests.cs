using System.Globalization;
using System.Text;
using AdIntel.Web.Infrastructure.Data;

namespace AdIntel.Web.Tests.Infrastructure;

/// <summary>
/// BulkWriter writes decimals and dates to SQLite in Microsoft.Data.Sqlite's text forms; if a form differed, EF would
/// read other values back, or compare dates as text in the wrong order. Each formatter must equal ToString exactly.
/// </summary>
public sealed class SqliteTextFormatTests
{
    private const string DecimalFormat = "0.0###########################";
    private const string DateTimeFormat = @"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF";

    [Fact]
    public void Decimal_edge_values_match_ToString()
    {
        // Zeros of several scales and a negative zero (ToString drops its sign), integers, trailing zeros, the extremes.
        decimal[] values =
        [
            0m, 0.00m, decimal.Negate(0m), new decimal(0, 0, 0, true, 3), 1m, -1m, 1.50m, -1.50m, 100m, 10.10m, 0.0001m, -0.0001m, 0.5m,
            1234.5000m, 1_000_000.125m, decimal.MaxValue, decimal.MinValue, 0.0000000000000000000000000001m, 19.99m, 2.9m,
        ];
        foreach (var value in values)
        {
            Assert.Equal(value.ToString(DecimalFormat, CultureInfo.InvariantCulture), Format(SqliteTextFormat.Decimal, value));
        }
    }

    [Fact]
    public void Decimal_random_values_of_every_scale_match_ToString()
    {
        var random = new Random(11);
        for (var i = 0; i < 200_000; i++)
        {
            var value = new decimal(random.Next(), random.Next(4) == 0 ? random.Next() : 0, random.Next(8) == 0 ? random.Next() : 0,
                random.Next(2) == 0, (byte)random.Next(29));
            Assert.Equal(value.ToString(DecimalFormat, CultureInfo.InvariantCulture), Format(SqliteTextFormat.Decimal, value));
            var money = random.Next(-1_000_000, 1_000_000) / 100m;
            Assert.Equal(money.ToString(DecimalFormat, CultureInfo.InvariantCulture), Format(SqliteTextFormat.Decimal, money));
        }
    }

    [Fact]
    public void DateTime_matches_ToString_with_and_without_fractions()
    {
        var random = new Random(12);
        var samples = new List<DateTime> { DateTime.MinValue, DateTime.MaxValue, new(2025, 3, 5, 19, 22, 10, DateTimeKind.Utc),
            new DateTime(2025, 3, 5, 19, 22, 10, 123, DateTimeKind.Utc).AddTicks(4567), new DateTime(999, 1, 2).AddTicks(10) };
        for (var i = 0; i < 200_000; i++)
        {
            samples.Add(new DateTime(random.NextInt64(DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks), DateTimeKind.Utc));
            samples.Add(new DateTime(2024, 1, 1).AddSeconds(random.Next()).AddTicks(random.Next(3) switch
            {
                0 => 0,
                1 => random.Next(10) * 1_000_000L,
                _ => random.Next(10_000_000),
            }));
        }
        foreach (var value in samples)
        {
            Assert.Equal(value.ToString(DateTimeFormat, CultureInfo.InvariantCulture), Format(SqliteTextFormat.DateTime, value));
        }
    }

    [Fact]
    public void DateOnly_matches_ToString()
    {
        var random = new Random(13);
        var samples = new List<DateOnly> { DateOnly.MinValue, DateOnly.MaxValue, new(2025, 12, 31) };
        samples.AddRange(Enumerable.Range(0, 50_000).Select(_ => DateOnly.FromDayNumber(random.Next(DateOnly.MaxValue.DayNumber + 1))));
        foreach (var value in samples)
        {
            Assert.Equal(value.ToString(@"yyyy\-MM\-dd", CultureInfo.InvariantCulture), Format(SqliteTextFormat.DateOnly, value));
        }
    }

    private delegate int Formatter<in T>(T value, Span<byte> destination);

    private static string Format<T>(Formatter<T> formatter, T value)
    {
        Span<byte> buffer = stackalloc byte[64];
        return Encoding.UTF8.GetString(buffer[..formatter(value, buffer)]);
    }
}
