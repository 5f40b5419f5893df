using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace AdIntel.Web.Infrastructure.Data;

/// <summary>
/// Rows in PostgreSQL's binary COPY format (the "PGCOPY" stream of <c>COPY … FROM STDIN (FORMAT BINARY)</c>), encoded into
/// one reusable buffer that <see cref="BulkWriter"/> sends over Npgsql's raw COPY stream. Each value is written in its
/// column's wire format exactly as Npgsql's own converters write it (BulkWriterTests compare the two), but without
/// Npgsql's per-value machinery (a parameter, a type lookup and a state machine per value), which was most of the
/// client's time in a large import. The per-value methods are compiled optimised at once: an import is over before tiered
/// compilation would promote them.
/// </summary>
public sealed class PostgresCopyBuffer : IDisposable
{
    private static readonly byte[] Signature = [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0];
    // PostgreSQL counts dates and timestamps from 2000-01-01.
    private static readonly int EpochDayNumber = new DateOnly(2000, 1, 1).DayNumber;
    private static readonly long EpochTicks = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;
    private const short NumericPositive = 0x0000;
    private const short NumericNegative = 0x4000;
    private const int TextOid = 25;

    private byte[] _buffer;
    private int _length;

    public PostgresCopyBuffer(int capacity = 1 << 16)
    {
        _buffer = ArrayPool<byte>.Shared.Rent(capacity);
        Signature.CopyTo(_buffer, 0);
        _length = Signature.Length;
        Int32Raw(0); // flags
        Int32Raw(0); // header extension length
    }

    /// <summary>Bytes encoded and not yet sent.</summary>
    public int Length => _length;

    /// <summary>The bytes encoded since the last <see cref="Clear"/>.</summary>
    public ReadOnlyMemory<byte> Written => _buffer.AsMemory(0, _length);

    public void Clear() => _length = 0;

    /// <summary>Starts a row of <paramref name="columns"/> values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void StartRow(int columns)
    {
        Ensure(2);
        BinaryPrimitives.WriteInt16BigEndian(_buffer.AsSpan(_length), checked((short)columns));
        _length += 2;
    }

    /// <summary>Ends the stream (after the last row).</summary>
    public void Finish()
    {
        Ensure(2);
        BinaryPrimitives.WriteInt16BigEndian(_buffer.AsSpan(_length), -1);
        _length += 2;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Null() => Int32Raw(-1);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Int64(long value)
    {
        var span = Field(8);
        BinaryPrimitives.WriteInt64BigEndian(span, value);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Int32(int value) => BinaryPrimitives.WriteInt32BigEndian(Field(4), value);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Int16(short value) => BinaryPrimitives.WriteInt16BigEndian(Field(2), value);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Boolean(bool value) => Field(1)[0] = value ? (byte)1 : (byte)0;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Double(double value) => BinaryPrimitives.WriteDoubleBigEndian(Field(8), value);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Real(float value) => BinaryPrimitives.WriteSingleBigEndian(Field(4), value);

    /// <summary>text and character varying: the UTF-8 bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Text(string value)
    {
        Ensure(4 + Encoding.UTF8.GetMaxByteCount(value.Length));
        var written = Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_length + 4));
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_length), written);
        _length += 4 + written;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Bytea(byte[] value) => value.CopyTo(Field(value.Length));

    /// <summary>text[]: a one-dimensional array counted from 1 (an empty array has no dimension), as Npgsql writes a list.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void TextArray(IReadOnlyList<string?> values)
    {
        var start = _length;
        Int32Raw(0); // the field's length, set below
        var hasNull = false;
        for (var i = 0; i < values.Count && !hasNull; i++)
        {
            hasNull = values[i] is null;
        }
        Int32Raw(values.Count == 0 ? 0 : 1);
        Int32Raw(hasNull ? 1 : 0);
        Int32Raw(TextOid);
        if (values.Count > 0)
        {
            Int32Raw(values.Count);
            Int32Raw(1);
        }
        foreach (var value in values)
        {
            if (value is null)
            {
                Null();
            }
            else
            {
                Text(value);
            }
        }
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(start), _length - start - 4);
    }

    /// <summary>date: days from 2000-01-01; the minimum and maximum dates are -infinity and infinity, as Npgsql maps them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Date(DateOnly value) => Int32(
        value == DateOnly.MinValue ? int.MinValue
        : value == DateOnly.MaxValue ? int.MaxValue
        : value.DayNumber - EpochDayNumber);

    /// <summary>timestamp with time zone: microseconds from 2000-01-01 UTC. Only UTC times are written, as Npgsql insists.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void TimestampTz(DateTime value)
    {
        if (value == DateTime.MinValue || value == DateTime.MaxValue)
        {
            Int64(value == DateTime.MinValue ? long.MinValue : long.MaxValue);
            return;
        }
        if (value.Kind != DateTimeKind.Utc)
        {
            throw new ArgumentException($"Cannot write a DateTime of kind {value.Kind} to a 'timestamp with time zone' column: only UTC is supported.", nameof(value));
        }
        Int64((value.Ticks - EpochTicks) / TimeSpan.TicksPerMicrosecond);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void TimestampTz(DateTimeOffset value) => TimestampTz(value.UtcDateTime);

    /// <summary>timestamp without time zone: microseconds from 2000-01-01; a UTC time is refused, as Npgsql refuses it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Timestamp(DateTime value)
    {
        if (value == DateTime.MinValue || value == DateTime.MaxValue)
        {
            Int64(value == DateTime.MinValue ? long.MinValue : long.MaxValue);
            return;
        }
        if (value.Kind == DateTimeKind.Utc)
        {
            throw new ArgumentException("Cannot write a UTC DateTime to a 'timestamp without time zone' column.", nameof(value));
        }
        Int64((value.Ticks - EpochTicks) / TimeSpan.TicksPerMicrosecond);
    }

    /// <summary>time without time zone: microseconds from midnight.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Time(TimeOnly value) => Int64(value.Ticks / TimeSpan.TicksPerMicrosecond);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Time(TimeSpan value) => Int64(value.Ticks / TimeSpan.TicksPerMicrosecond);

    /// <summary>
    /// numeric: base-10000 digits around the decimal point (PostgreSQL's NumericVar): digit count, weight of the first
    /// digit, sign, display scale (the decimal's own scale; the column's typmod rounds it on arrival, as for Npgsql's values).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Numeric(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var negative = bits[3] < 0;
        var scale = (bits[3] >> 16) & 0xFF;
        var mantissa = ((UInt128)(uint)bits[2] << 64) | ((ulong)(uint)bits[1] << 32) | (uint)bits[0];
        // Align the scale to whole base-10000 digits: 1.5 (15 × 10^-1) is 1.5000 (15000 × 10^-4).
        var pad = (4 - scale % 4) % 4;
        mantissa *= pad switch { 0 => 1u, 1 => 10u, 2 => 100u, _ => 1000u };
        var fractionDigits = (scale + pad) / 4;

        // At most 8 base-10000 digits: 2^96 × 1000 < 10^32. Least significant first.
        Span<short> digits = stackalloc short[8];
        var count = 0;
        if (mantissa <= ulong.MaxValue)
        {
            for (var small = (ulong)mantissa; small != 0; small /= 10000)
            {
                digits[count++] = (short)(small % 10000);
            }
        }
        else
        {
            for (; mantissa != 0; mantissa /= 10000)
            {
                digits[count++] = (short)(ushort)(mantissa % 10000);
            }
        }
        var lowest = 0;
        while (lowest < count && digits[lowest] == 0)
        {
            lowest++;
        }
        var stored = count - lowest;
        var span = Field(8 + 2 * stored);
        BinaryPrimitives.WriteInt16BigEndian(span, (short)stored);
        BinaryPrimitives.WriteInt16BigEndian(span[2..], stored == 0 ? (short)0 : (short)(count - 1 - fractionDigits));
        BinaryPrimitives.WriteInt16BigEndian(span[4..], negative && stored > 0 ? NumericNegative : NumericPositive);
        BinaryPrimitives.WriteInt16BigEndian(span[6..], (short)scale);
        for (int i = count - 1, at = 8; i >= lowest; i--, at += 2)
        {
            BinaryPrimitives.WriteInt16BigEndian(span[at..], digits[i]);
        }
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    /// <summary>Writes a field's length and returns the span for its <paramref name="length"/> bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Span<byte> Field(int length)
    {
        Ensure(4 + length);
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_length), length);
        var span = _buffer.AsSpan(_length + 4, length);
        _length += 4 + length;
        return span;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Int32Raw(int value)
    {
        Ensure(4);
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(_length), value);
        _length += 4;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Ensure(int bytes)
    {
        if (_length + bytes <= _buffer.Length)
        {
            return;
        }
        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + bytes));
        _buffer.AsSpan(0, _length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }
}
