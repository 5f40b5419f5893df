using System.Text;
using CsvHelper;

namespace AdIntel.Web.Imports;

/// <summary>
/// One export file read record by record, straight from the stream (the file is never held as a whole).
/// Columns are found by name (case, surrounding and repeated spaces ignored). Each record knows its physical line
/// number (quoted values may span lines) and whether its quoting or field count was broken.
/// </summary>
internal sealed class CsvImportFile : IDisposable
{
    /// <summary>A record longer than this is an unclosed quote eating the file, not a real order.</summary>
    private const int MaxRecordBytes = 4 * 1024 * 1024;

    private readonly CsvReader _reader;
    private readonly long _totalBytes;
    private readonly Dictionary<string, int> _columns = new(StringComparer.Ordinal);
    /// <summary>
    /// Malformed records by the line they start on. The reader scans ahead in blocks, so it reports a record's quoting
    /// problem while returning an earlier record; the report is matched to its record when that one is returned.
    /// </summary>
    private readonly Dictionary<long, CsvMalformedRecord> _malformed = [];

    private CsvImportFile(Stream stream, long totalBytes, Encoding? encoding)
    {
        _totalBytes = Math.Max(1, totalBytes);
        var options = CsvReaderOptions.Default with
        {
            TrackLineNumbers = true,
            MaxRecordSize = MaxRecordBytes,
            Encoding = encoding,
            OnMalformedRecord = record => _malformed[record.LineNumber] = record,
        };
        _reader = CsvReader.Create(stream, options, leaveOpen: true);
    }

    public IReadOnlyList<string> Headers { get; private set; } = [];

    /// <summary>Data records returned so far.</summary>
    public int RowsRead { get; private set; }

    /// <summary>Physical line (1-based, header = 1) where the current record starts.</summary>
    public int Line { get; private set; }

    /// <summary>Why the current record cannot be trusted (broken quoting, wrong number of values); null when it is fine.</summary>
    public string? RecordProblem { get; private set; }

    /// <summary>A harmless oddity of the current record worth telling (a stray quote kept as text).</summary>
    public string? RecordNotice { get; private set; }

    /// <summary>Set when reading had to stop before the end of the file; the line and reason.</summary>
    public ImportMessage? StoppedEarly { get; private set; }

    public int Percent => (int)Math.Clamp(_reader.ByteOffset * 100 / _totalBytes, 0, 100);

    /// <summary>
    /// Opens a seekable stream: checks that it is text, reads the header. Throws <see cref="ImportProblemException"/>
    /// for a file that is not a CSV at all. <paramref name="encodingWarning"/> is set when the file is not UTF-8.
    /// </summary>
    public static CsvImportFile Open(Stream stream, long totalBytes, string fileName, out string? encodingWarning)
    {
        var verdict = CsvFileSniffer.Check(stream, fileName);
        encodingWarning = verdict.Warning;
        var file = new CsvImportFile(stream, totalBytes, verdict.Encoding);
        try
        {
            file.ReadHeader();
            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private void ReadHeader()
    {
        try
        {
            Headers = _reader.Headers.ToArray();
        }
        catch (CsvFormatException)
        {
            throw new ImportProblemException(422, "malformed_csv",
                "The first line of the file cannot be read as CSV column names: check that it is an unmodified CSV export.");
        }
        if (Headers.Count == 0 || Headers.All(string.IsNullOrWhiteSpace))
        {
            throw new ImportProblemException(422, "no_header", "The file has no header line with column names.");
        }
        for (var i = 0; i < Headers.Count; i++)
        {
            _columns.TryAdd(NormaliseHeader(Headers[i]), i);
        }
    }

    /// <summary>The index of the first column with one of these names, or -1.</summary>
    public int Find(params string[] names)
    {
        foreach (var name in names)
        {
            if (_columns.TryGetValue(NormaliseHeader(name), out var index))
            {
                return index;
            }
        }
        return -1;
    }

    /// <summary>Columns whose normalised name satisfies <paramref name="match"/>, in file order.</summary>
    public IEnumerable<(int Index, string Header)> FindAll(Func<string, bool> match)
    {
        for (var i = 0; i < Headers.Count; i++)
        {
            if (match(NormaliseHeader(Headers[i])))
            {
                yield return (i, Headers[i]);
            }
        }
    }

    /// <summary>Moves to the next record; false at the end of the file or when reading had to stop (see <see cref="StoppedEarly"/>).</summary>
    public bool Read()
    {
        if (StoppedEarly is not null)
        {
            return false;
        }
        bool more;
        try
        {
            more = _reader.Read();
        }
        catch (CsvFormatException e)
        {
            var line = e.LineNumber > 0 ? (int)e.LineNumber : Line + 1;
            StoppedEarly = new ImportMessage(line,
                $"A value starting on line {line} runs on for more than {MaxRecordBytes / (1024 * 1024)} MB, which means a quote is never closed. Nothing from line {line} on was imported; check the quotes on that line.");
            return false;
        }
        if (!more)
        {
            return false;
        }
        RowsRead++;
        Line = (int)_reader.LineNumber;
        RecordProblem = null;
        RecordNotice = null;
        var quoting = _malformed.Remove(_reader.LineNumber, out var malformed) ? malformed.Reason : (CsvMalformedReason?)null;
        var wrongFieldCount = _reader.FieldCount != Headers.Count && !IsBlankPadding();
        var lastLine = Line + _reader.RawRecord.Count((byte)'\n');
        if (quoting == CsvMalformedReason.UnterminatedQuote)
        {
            RecordProblem = lastLine > Line
                ? $"A quote opened on this line is never closed, so the rest of the file (lines {Line}–{lastLine}) was read as one value and not imported. Check the quotes on this line."
                : "A quote opened on this line is never closed. Check the quotes on this line.";
        }
        else if (wrongFieldCount && quoting is not null && lastLine > Line)
        {
            // A missing closing quote pairs up with the next quote further down, swallowing the lines between.
            RecordProblem = $"A quote opened on this line is never closed properly, so lines {Line}–{lastLine} were read as one row and not imported. Check the quotes on this line.";
        }
        else if (wrongFieldCount)
        {
            RecordProblem = $"This line has {_reader.FieldCount} values but the header has {Headers.Count} columns; a value probably contains an unquoted comma or the line was cut.";
        }
        else if (quoting is not null)
        {
            RecordNotice = "A quote in the middle of a value was kept as ordinary text.";
        }
        return true;
    }

    /// <summary>Spreadsheets sometimes pad or trim trailing empty cells; that is not a broken line.</summary>
    private bool IsBlankPadding()
    {
        for (var i = Headers.Count; i < _reader.FieldCount; i++)
        {
            if (!_reader.IsEmpty(i))
            {
                return false;
            }
        }
        return _reader.FieldCount > Headers.Count;
    }

    public bool IsEmpty(int column) => column < 0 || _reader.IsEmpty(column);

    /// <summary>The trimmed value, "" when the column is absent or the value empty.</summary>
    public string Get(int column) => column < 0 ? "" : (_reader.GetString(column) ?? "").Trim();

    /// <summary>The raw UTF-8 value (no allocation); empty when the column is absent.</summary>
    public ReadOnlySpan<byte> GetSpan(int column) => column < 0 ? [] : _reader.GetSpan(column);

    public static string NormaliseHeader(string header)
    {
        var builder = new StringBuilder(header.Length);
        var space = false;
        foreach (var c in header.Trim().Trim('\uFEFF'))
        {
            if (char.IsWhiteSpace(c))
            {
                space = builder.Length > 0;
                continue;
            }
            if (space)
            {
                builder.Append(' ');
                space = false;
            }
            builder.Append(char.ToLowerInvariant(c));
        }
        return builder.ToString();
    }

    public void Dispose() => _reader.Dispose();
}
