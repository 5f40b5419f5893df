using System.Buffers.Text;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using SQLitePCL;

namespace AdIntel.Web.Infrastructure.Data;

/// <summary>
/// Reads the rows of an EF query straight from SQLite: the SQL and parameters are the ones EF generates (the store filter
/// included), but values are parsed in place from SQLite's UTF-8 text instead of going through ADO.NET, where every
/// decimal and date becomes a string first and is then parsed by the general-purpose parsers. For reads of a whole store
/// (the daily-facts ledger) that is most of the time. Values come out exactly as EF would read them: decimals and dates
/// in the text forms EF writes are parsed directly, anything else falls back to the parsing Microsoft.Data.Sqlite does,
/// and dates are UTC like the model's converter makes them (SqliteQueryReaderTests compare both readers).
/// The caller opens the connection (<c>db.Database.OpenConnectionAsync</c>) and disposes the reader.
/// Values are read with direct calls into the SQLite library SQLitePCL loaded (<see cref="Native"/>): through SQLitePCL
/// each of the dozen calls per row takes and releases the statement's handle, which for a million rows is a quarter of
/// the reading.
/// </summary>
public sealed partial class SqliteQueryReader : IDisposable
{
    private readonly sqlite3 _connection;
    private readonly sqlite3_stmt _statement;
    private readonly byte[] _lastDateText = new byte[10];
    private DateOnly _lastDate;

    // The statement for direct calls (0 when they are not available), kept alive by the reference taken on it.
    private readonly nint _native;
    private readonly bool _referenced;

    private SqliteQueryReader(sqlite3 connection, sqlite3_stmt statement)
    {
        _connection = connection;
        _statement = statement;
        if (Native.Available)
        {
            statement.DangerousAddRef(ref _referenced);
            _native = statement.DangerousGetHandle();
        }
    }

    /// <summary>Prepares <paramref name="query"/>; its columns must be <paramref name="expectedColumns"/>, in that order.</summary>
    public static SqliteQueryReader Open(IQueryable query, SqliteConnection connection, params string[] expectedColumns)
    {
        var handle = connection.Handle ?? throw new InvalidOperationException("Open the connection before reading from it.");
        using var command = query.CreateDbCommand();
        var prepared = raw.sqlite3_prepare_v2(handle, command.CommandText, out var statement);
        if (prepared != raw.SQLITE_OK)
        {
            throw Error(handle, prepared);
        }
        var reader = new SqliteQueryReader(handle, statement);
        try
        {
            reader.Bind(command.Parameters);
            reader.Expect(expectedColumns);
            return reader;
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <summary>Moves to the next row; false after the last.</summary>
    public bool Read()
    {
        var result = _native != 0 ? Native.Step(_native) : raw.sqlite3_step(_statement);
        return result switch
        {
            raw.SQLITE_ROW => true,
            raw.SQLITE_DONE => false,
            _ => throw Error(_connection, result),
        };
    }

    public bool IsNull(int column) => raw.sqlite3_column_type(_statement, column) == raw.SQLITE_NULL;

    public long GetInt64(int column) => _native != 0 ? Native.ColumnInt64(_native, column) : raw.sqlite3_column_int64(_statement, column);

    public long? GetNullableInt64(int column) => IsNull(column) ? null : GetInt64(column);

    public int GetInt32(int column) => raw.sqlite3_column_int(_statement, column);

    public decimal GetDecimal(int column)
    {
        // The blob of a TEXT value is its UTF-8 bytes, read where SQLite holds them (numbers are converted to text first).
        var text = Text(column);
        return Utf8Parser.TryParse(text, out decimal value, out var consumed) && consumed == text.Length
            ? value
            : decimal.Parse(Encoding.UTF8.GetString(text), NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A decimal in whole ten-thousandths (the model's precision: 12.5 is 125,000), parsed from the text without making a
    /// decimal; a value with finer digits or an exponent goes through <see cref="GetDecimal"/> and is rounded to it.
    /// </summary>
    public long GetTenThousandths(int column)
    {
        var text = Text(column);
        var negative = text.Length > 0 && text[0] == (byte)'-';
        long units = 0;
        var fractionDigits = -1;
        for (var i = negative ? 1 : 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == (byte)'.' && fractionDigits < 0)
            {
                fractionDigits = 0;
            }
            else if (c is >= (byte)'0' and <= (byte)'9' && fractionDigits < 4 && units < long.MaxValue / 100)
            {
                units = units * 10 + (c - '0');
                fractionDigits += fractionDigits >= 0 ? 1 : 0;
            }
            else
            {
                return decimal.ToOACurrency(GetDecimal(column));
            }
        }
        if (text.Length == (negative ? 1 : 0))
        {
            return decimal.ToOACurrency(GetDecimal(column));
        }
        for (var d = Math.Max(fractionDigits, 0); d < 4; d++)
        {
            units *= 10;
        }
        return negative ? -units : units;
    }

    public decimal? GetNullableDecimal(int column) => IsNull(column) ? null : GetDecimal(column);

    public string? GetNullableString(int column) => IsNull(column) ? null : Encoding.UTF8.GetString(Text(column));

    /// <summary>
    /// "yyyy-MM-dd" as EF writes it; other text as Microsoft.Data.Sqlite parses it. A scan in date order reads the same
    /// date row after row, so the last one parsed is kept.
    /// </summary>
    public DateOnly GetDateOnly(int column)
    {
        var text = Text(column);
        if (text.Length == 10)
        {
            if (_lastDate != default && text.SequenceEqual(_lastDateText))
            {
                return _lastDate;
            }
            if (TryDate(text, out var year, out var month, out var day))
            {
                text.CopyTo(_lastDateText);
                return _lastDate = new DateOnly(year, month, day);
            }
        }
        return DateOnly.Parse(raw.sqlite3_column_text(_statement, column).utf8_to_string(), CultureInfo.InvariantCulture);
    }

    /// <summary>"yyyy-MM-dd HH:mm:ss[.fffffff]" as EF writes it, as UTC (the model's converter); other text as Microsoft.Data.Sqlite parses it.</summary>
    public DateTime GetDateTime(int column)
    {
        return TryDateTime(Text(column), out var value)
            ? value
            : DateTime.SpecifyKind(DateTime.Parse(raw.sqlite3_column_text(_statement, column).utf8_to_string(), CultureInfo.InvariantCulture), DateTimeKind.Utc);
    }

    public void Dispose()
    {
        if (_referenced)
        {
            _statement.DangerousRelease();
        }
        _statement.Dispose();
    }

    /// <summary>A value's bytes where SQLite holds them (the blob of a TEXT value is its UTF-8; numbers are converted to text first), valid until the next call.</summary>
    private unsafe ReadOnlySpan<byte> Text(int column)
    {
        if (_native == 0)
        {
            return raw.sqlite3_column_blob(_statement, column);
        }
        // The pointer first, then the length: SQLite's documented order (the length is that of the converted value).
        var bytes = Native.ColumnBlob(_native, column);
        return bytes == 0 ? default : new ReadOnlySpan<byte>((void*)bytes, Native.ColumnBytes(_native, column));
    }

    /// <summary>
    /// The few SQLite functions a row read needs, called directly on the library SQLitePCL loaded (the same file, so the
    /// same library; checked by its version). The column functions only read the current row, quickly and without
    /// calling back, so they skip the runtime's transition out of managed code.
    /// </summary>
    private static partial class Native
    {
        private const string Library = "e_sqlite3";

        public static readonly bool Available = Probe();

        [LibraryImport(Library, EntryPoint = "sqlite3_step")]
        public static partial int Step(nint statement);

        [LibraryImport(Library, EntryPoint = "sqlite3_column_int64")]
        [SuppressGCTransition]
        public static partial long ColumnInt64(nint statement, int column);

        [LibraryImport(Library, EntryPoint = "sqlite3_column_blob")]
        [SuppressGCTransition]
        public static partial nint ColumnBlob(nint statement, int column);

        [LibraryImport(Library, EntryPoint = "sqlite3_column_bytes")]
        [SuppressGCTransition]
        public static partial int ColumnBytes(nint statement, int column);

        [LibraryImport(Library, EntryPoint = "sqlite3_libversion_number")]
        private static partial int LibraryVersion();

        private static bool Probe()
        {
            try
            {
                return LibraryVersion() == raw.sqlite3_libversion_number();
            }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
            {
                return false;
            }
        }
    }

    private static bool TryDateTime(ReadOnlySpan<byte> text, out DateTime value)
    {
        value = default;
        if (text.Length < 19 || text[10] != (byte)' ' || text[13] != (byte)':' || text[16] != (byte)':'
            || !TryDate(text[..10], out var year, out var month, out var day)
            || !TryDigits(text.Slice(11, 2), out var hour) || !TryDigits(text.Slice(14, 2), out var minute) || !TryDigits(text.Slice(17, 2), out var second))
        {
            return false;
        }
        long fractionTicks = 0;
        if (text.Length > 19)
        {
            var fraction = text[20..];
            if (text[19] != (byte)'.' || fraction.Length is 0 or > 7 || !TryDigits(fraction, out var digits))
            {
                return false;
            }
            fractionTicks = digits;
            for (var i = fraction.Length; i < 7; i++)
            {
                fractionTicks *= 10;
            }
        }
        if (hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }
        value = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).AddTicks(fractionTicks);
        return true;
    }

    private static bool TryDate(ReadOnlySpan<byte> text, out int year, out int month, out int day)
    {
        month = day = 0;
        return TryDigits(text[..4], out year) && text[4] == (byte)'-' && TryDigits(text.Slice(5, 2), out month) && text[7] == (byte)'-'
            && TryDigits(text.Slice(8, 2), out day) && year >= 1 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month);
    }

    private static bool TryDigits(ReadOnlySpan<byte> text, out int value)
    {
        value = 0;
        foreach (var c in text)
        {
            if (c is < (byte)'0' or > (byte)'9')
            {
                return false;
            }
            value = value * 10 + (c - '0');
        }
        return true;
    }

    private void Bind(System.Data.Common.DbParameterCollection parameters)
    {
        foreach (System.Data.Common.DbParameter parameter in parameters)
        {
            var index = raw.sqlite3_bind_parameter_index(_statement, parameter.ParameterName);
            foreach (var prefix in "@$:")
            {
                if (index == 0)
                {
                    index = raw.sqlite3_bind_parameter_index(_statement, prefix + parameter.ParameterName);
                }
            }
            if (index == 0)
            {
                throw new InvalidOperationException($"The query has no parameter {parameter.ParameterName}.");
            }
            var result = parameter.Value switch
            {
                null or DBNull => raw.sqlite3_bind_null(_statement, index),
                long value => raw.sqlite3_bind_int64(_statement, index, value),
                int value => raw.sqlite3_bind_int64(_statement, index, value),
                bool value => raw.sqlite3_bind_int64(_statement, index, value ? 1 : 0),
                string value => raw.sqlite3_bind_text(_statement, index, value),
                // The text form EF writes and compares dates in.
                DateOnly value => raw.sqlite3_bind_text(_statement, index, value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
                var other => throw new NotSupportedException($"Parameter {parameter.ParameterName} is a {other.GetType().Name}; only integers, booleans, strings and dates are bound here."),
            };
            if (result != raw.SQLITE_OK)
            {
                throw Error(_connection, result);
            }
        }
    }

    private void Expect(string[] columns)
    {
        var actual = Enumerable.Range(0, raw.sqlite3_column_count(_statement)).Select(i => raw.sqlite3_column_name(_statement, i).utf8_to_string()).ToArray();
        if (!actual.SequenceEqual(columns, StringComparer.Ordinal))
        {
            throw new InvalidOperationException($"The query's columns are {string.Join(", ", actual)}, not {string.Join(", ", columns)}.");
        }
    }

    private static SqliteException Error(sqlite3 connection, int result) =>
        new(raw.sqlite3_errmsg(connection).utf8_to_string(), result, raw.sqlite3_extended_errcode(connection));
}
