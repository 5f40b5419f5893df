using System.Text;
using System.Text.Unicode;

namespace AdIntel.Web.Imports;

/// <summary>
/// Looks at the first bytes of an upload before any parsing, so a workbook, a PDF or binary garbage is refused
/// with a message that names what it is, instead of being read as one enormous CSV value.
/// </summary>
internal static class CsvFileSniffer
{
    private const int SampleBytes = 8192;

    /// <summary>The text encoding to read the file with (null: UTF-8 or what its byte order mark says) and a warning, if any.</summary>
    public sealed record Verdict(Encoding? Encoding, string? Warning);

    /// <summary>Checks a seekable stream from its current position and puts the position back.</summary>
    public static Verdict Check(Stream stream, string fileName)
    {
        if (!stream.CanSeek)
        {
            throw new InvalidOperationException("The CSV stream must be seekable so its start can be checked.");
        }
        var start = stream.Position;
        var buffer = new byte[SampleBytes];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = stream.Read(buffer, length, buffer.Length - length)) > 0)
        {
            length += read;
        }
        stream.Position = start;
        return Inspect(buffer.AsSpan(0, length), fileName);
    }

    public static Verdict Inspect(ReadOnlySpan<byte> sample, string fileName)
    {
        if (sample.IsEmpty)
        {
            throw new ImportProblemException(400, "empty_file", $"The file “{fileName}” is empty.");
        }
        if (sample.StartsWith("PK\u0003\u0004"u8))
        {
            throw NotCsv(fileName, "an Excel workbook or a zip archive, not a CSV file. Export the report as CSV and upload that file");
        }
        if (sample.StartsWith("%PDF"u8))
        {
            throw NotCsv(fileName, "a PDF document, not a CSV file. Export the report as CSV and upload that file");
        }
        if (sample.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || sample.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            // UTF-16 text (Excel's "Unicode text"), which the CSV reader transcodes.
            return new Verdict(null, null);
        }

        var controls = 0;
        foreach (var b in sample)
        {
            if (b == 0)
            {
                throw NotCsv(fileName, "binary data, not a CSV text file");
            }
            if (b < 0x20 && b is not ((byte)'\t' or (byte)'\r' or (byte)'\n' or 0x0C))
            {
                controls++;
            }
        }
        if (controls * 100 > sample.Length)
        {
            throw NotCsv(fileName, "binary data, not a CSV text file");
        }

        // The sample may end inside a multi-byte character; only complete characters are judged.
        var judged = sample.Length == SampleBytes ? sample[..^3] : sample;
        if (Utf8.IsValid(judged))
        {
            return new Verdict(null, null);
        }
        return new Verdict(Encoding.Latin1,
            "The file is not UTF-8 encoded, so it was read as Western European (Latin-1) text. If names look wrong, export the file again without opening it in a spreadsheet first.");
    }

    private static ImportProblemException NotCsv(string fileName, string what) =>
        new(400, "not_csv", $"The file “{fileName}” looks like {what}.");
}
