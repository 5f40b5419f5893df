using System.Text;
using AdIntel.Web.Infrastructure.Csv;

namespace AdIntel.Web.Reports.Export;

/// <summary>
/// RFC 4180 CSV of the document's flat table (<see cref="ReportDocument.CsvSection"/>): a header line, one record per row,
/// the totals row last (first field "Total"), CRLF line breaks, fields quoted when they hold a comma, quote or line break,
/// invariant culture, UTF-8 without a byte-order mark. Text cells that a spreadsheet would run as formulas are neutralised
/// (<see cref="CsvFields"/>); numbers, dates and empty cells are written as they are.
/// </summary>
public sealed class CsvReportWriter : IReportWriter
{
    public string Format => "csv";
    public string ContentType => "text/csv; charset=utf-8";
    public string Extension => "csv";

    public void Write(ReportDocument document, Stream output)
    {
        var section = document.CsvSection;
        using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), leaveOpen: true) { NewLine = "\r\n" };
        WriteRecord(writer, section.Columns.Select(c => CsvFields.Text(c.Header)));
        foreach (var row in section.Rows)
        {
            WriteRecord(writer, row.Select((value, i) => Field(section.Columns[i].Kind, value)));
        }
        if (section.Totals is { } totals && section.Rows.Count > 0)
        {
            WriteRecord(writer, totals.Select((value, i) => i == 0 ? CsvFields.Text("Total") : Field(section.Columns[i].Kind, value)));
        }
    }

    private static string Field(ColumnKind kind, object? value) => value is string text
        ? CsvFields.Text(text)
        : CsvFields.Number(ReportValues.Invariant(kind, value));

    private static void WriteRecord(StreamWriter writer, IEnumerable<string> fields)
    {
        var first = true;
        foreach (var field in fields)
        {
            if (!first)
            {
                writer.Write(',');
            }
            first = false;
            writer.Write(field);
        }
        writer.WriteLine();
    }
}
