using System.Text.Json.Serialization;

namespace AdIntel.Web.Imports;

/// <summary>A problem on one line of the file; <see cref="Line"/> is the physical line number (the header is line 1).</summary>
public sealed record ImportMessage(int Line, string Message);

/// <summary>
/// Line messages with a cap: a broken file with a million bad lines must not produce a million-entry response.
/// The first <see cref="Cap"/> are kept, the rest only counted.
/// </summary>
public sealed class ImportMessageList
{
    public const int Cap = 200;
    private readonly List<ImportMessage> _kept = [];

    public IReadOnlyList<ImportMessage> Kept => _kept;
    public int Omitted { get; private set; }
    public int Count => _kept.Count + Omitted;

    public void Add(int line, string message)
    {
        if (_kept.Count < Cap)
        {
            _kept.Add(new ImportMessage(line, message));
        }
        else
        {
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
