using System.Text.Json.Serialization;

namespace AdIntel.Web.Imports;

/// <summary>A problem on one line of the file; <see cref="Line"/> is the physical line number (the header is line 1).</summary>
public sealed record ImportMessage(int Line, string Message);

/// <summary>
/// Line messages, one per line (a line with two problems gets one message naming both, so two bad lines count as two),
/// with a cap: a broken file with a million bad lines must not produce a million-entry response. The first
/// <see cref="Cap"/> lines are kept, the rest only counted.
/// </summary>
public sealed class ImportMessageList
{
    public const int Cap = 200;
    private readonly List<ImportMessage> _kept = [];
    private readonly Dictionary<int, int> _keptIndexByLine = [];
    private int _lastOmittedLine = -1;

    public IReadOnlyList<ImportMessage> Kept => _kept;
    public int Omitted { get; private set; }
    public int Count => _kept.Count + Omitted;

    public void Add(int line, string message)
    {
        if (_keptIndexByLine.TryGetValue(line, out var index))
        {
            _kept[index] = _kept[index] with { Message = _kept[index].Message + " " + message };
        }
        else if (_kept.Count < Cap)
        {
            _keptIndexByLine[line] = _kept.Count;
            _kept.Add(new ImportMessage(line, message));
        }
        else if (line != _lastOmittedLine)
        {
            // A line's problems are reported one after another, so a repeat of the last omitted line is the same line.
            _lastOmittedLine = line;
            Omitted++;
        }
    }
}

/// <summary>What every import reports, whatever its kind.</summary>
public abstract class ImportResult
{
    /// <summary>Data rows read (the header not counted).</summary>
    [JsonPropertyOrder(-10)]
    public int RowsRead { get; set; }
    /// <summary>Rows not imported because of errors (all rows of a rejected order).</summary>
    [JsonPropertyOrder(10)]
    public int Skipped { get; set; }
    [JsonPropertyOrder(11)]
    public IReadOnlyList<ImportMessage> Errors { get; set; } = [];
    /// <summary>Errors beyond the first 200, which are not listed.</summary>
    [JsonPropertyOrder(12)]
    public int ErrorsOmitted { get; set; }
    [JsonPropertyOrder(13)]
    public IReadOnlyList<ImportMessage> Warnings { get; set; } = [];
    [JsonPropertyOrder(14)]
    public int WarningsOmitted { get; set; }

    /// <summary>Whether the import wrote anything (then the daily facts are rebuilt).</summary>
    [JsonIgnore]
    public abstract bool ChangedData { get; }

    /// <summary>Rows that were read without error, whether or not they changed anything.</summary>
    [JsonIgnore]
    public int RowsAccepted => RowsRead - Skipped;

    public void SetMessages(ImportMessageList errors, ImportMessageList warnings)
    {
        Errors = errors.Kept;
        ErrorsOmitted = errors.Omitted;
        Warnings = warnings.Kept;
        WarningsOmitted = warnings.Omitted;
    }
}
