using System.Globalization;
using System.Text;
using SQLitePCL;

namespace AdIntel.Web.Infrastructure.Data;

/// <summary>
/// Binds values by position to a prepared SQLite statement through SQLitePCL, in the storage classes and text forms
/// Microsoft.Data.Sqlite uses (so EF reads back exactly what it would have written): integers and booleans as INTEGER,
/// floating point as REAL, decimals and dates as TEXT, byte arrays as BLOB. Text goes to SQLite as UTF-8 from a reused
/// buffer, so binding a row allocates nothing. <see cref="BulkTable{T}"/> compiles a typed call per column.
/// </summary>
internal sealed class SqliteRowBinder(sqlite3 connection, sqlite3_stmt statement)
{
    private byte[] _text = new byte[256];

    public void Null(int index) => Check(raw.sqlite3_bind_null(statement, index));

    public void Int64(int index, long value) => Check(raw.sqlite3_bind_int64(statement, index, value));

    public void Boolean(int index, bool value) => Check(raw.sqlite3_bind_int64(statement, index, value ? 1 : 0));

    public void Double(int index, double value) => Check(raw.sqlite3_bind_double(statement, index, value));

    public void Decimal(int index, decimal value)
    {
        Span<byte> text = stackalloc byte[SqliteTextFormat.MaxDecimalLength];
        Check(raw.sqlite3_bind_text(statement, index, text[..SqliteTextFormat.Decimal(value, text)]));
    }

    public void DateTime(int index, DateTime value)
    {
        Span<byte> text = stackalloc byte[SqliteTextFormat.MaxDateTimeLength];
        Check(raw.sqlite3_bind_text(statement, index, text[..SqliteTextFormat.DateTime(value, text)]));
    }

    public void DateOnly(int index, DateOnly value)
    {
        Span<byte> text = stackalloc byte[SqliteTextFormat.DateOnlyLength];
        Check(raw.sqlite3_bind_text(statement, index, text[..SqliteTextFormat.DateOnly(value, text)]));
    }

    public void Text(int index, string? value)
    {
        if (value is null)
        {
            Null(index);
            return;
        }
        if (value.Length == 0)
        {
            // An empty span is a null pointer to SQLite, which would store NULL instead of ''.
            Check(raw.sqlite3_bind_text(statement, index, string.Empty));
            return;
        }
        var maxBytes = Encoding.UTF8.GetMaxByteCount(value.Length);
        if (maxBytes > _text.Length)
        {
            _text = new byte[Math.Max(maxBytes, _text.Length * 2)];
        }
        var length = Encoding.UTF8.GetBytes(value, _text);
        Check(raw.sqlite3_bind_text(statement, index, _text.AsSpan(0, length)));
    }

    public void Blob(int index, byte[]? value)
    {
        if (value is null)
        {
            Null(index);
            return;
        }
        Check(raw.sqlite3_bind_blob(statement, index, value));
    }

    /// <summary>Any other provider type, boxed: the rare column types without a typed binding above.</summary>
    public void Boxed(int index, object? value)
    {
        switch (value)
        {
            case null:
                Null(index);
                break;
            case DateTimeOffset moment:
                Span<byte> text = stackalloc byte[40];
                if (!moment.TryFormat(text, out var length, @"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFFzzz", CultureInfo.InvariantCulture))
                {
                    throw new InvalidOperationException("A DateTimeOffset did not fit its buffer.");
                }
                Check(raw.sqlite3_bind_text(statement, index, text[..length]));
                break;
            default:
                throw new NotSupportedException($"BulkWriter cannot write a {value.GetType().Name} to SQLite; map it with a value converter.");
        }
    }

    public void Step()
    {
        var result = raw.sqlite3_step(statement);
        if (result != raw.SQLITE_DONE)
        {
            Check(result);
        }
        raw.sqlite3_reset(statement);
    }

    private void Check(int result)
    {
        if (result != raw.SQLITE_OK)
        {
            throw new Microsoft.Data.Sqlite.SqliteException(raw.sqlite3_errmsg(connection).utf8_to_string(), result, raw.sqlite3_extended_errcode(connection));
        }
    }
}
