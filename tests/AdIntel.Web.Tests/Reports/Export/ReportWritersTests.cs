using System.Text;
using AdIntel.Web.Metrics;
using AdIntel.Web.Reports.Export;
using ClosedXML.Excel;

namespace AdIntel.Web.Tests.Reports.Export;

/// <summary>The three writers on one known document: every format carries the same figures, in its own conventions.</summary>
public sealed class ReportWritersTests
{
    private const int RowCount = 80;

    /// <summary>80 rows (three PDF pages of table), a text column with a comma, quotes and a line break, sums and a ratio total.</summary>
    private static ReportDocument Document()
    {
        ReportColumn[] columns =
        [
            new("Day", ColumnKind.Date, 11),
            new("Name", ColumnKind.Text, 20),
            new("Spend", ColumnKind.Money, 12, ColumnTotal.Sum),
            new("Value", ColumnKind.Money, 12, ColumnTotal.Sum),
            new("ROAS", ColumnKind.Ratio, 8, ColumnTotal.Ratio(3, 2)),
            new("CTR", ColumnKind.Percent, 8),
            new("Orders", ColumnKind.Count, 8, ColumnTotal.Sum),
        ];
        var rows = Enumerable.Range(0, RowCount).Select(i => (IReadOnlyList<object?>)
        [
            new DateOnly(2025, 1, 1).AddDays(i),
            i == 0 ? "Summer, \"best\" ad\nline two" : $"Ad {i:000}",
            100.005m + i,
            250.1234m + 2 * i,
            (250.1234m + 2 * i) / (100.005m + i),
            i == 1 ? null : 0.0123m,
            (long)i,
        ]).ToList();
        var spend = rows.Sum(r => (decimal)r[2]!);
        var value = rows.Sum(r => (decimal)r[3]!);
        IReadOnlyList<object?> totals = [null, null, spend, value, value / spend, null, (long)rows.Sum(r => (long)r[6]!)];
        var section = new ReportSection("Ads by day", columns, rows, totals, "A note, with a comma.");
        var chart = new ReportChart("Spend by day", rows.Take(12).Select(r => ((DateOnly)r[0]!).ToString("MMM d", System.Globalization.CultureInfo.InvariantCulture)).ToList(),
            [new ChartSeries("Spend", rows.Take(12).Select(r => (decimal)r[2]!).ToList()), new ChartSeries("Loss", rows.Take(12).Select(r => -(decimal)(long)r[6]!).ToList())]);
        return new ReportDocument("summary", "Profit & loss", "Überstore €", "EUR", new DateRange(new DateOnly(2025, 1, 1), new DateOnly(2025, 3, 21)),
            new DateTime(2025, 3, 22, 8, 30, 0, DateTimeKind.Utc), [section], chart);
    }

    private static byte[] Write(IReportWriter writer, ReportDocument document)
    {
        using var stream = new MemoryStream();
        writer.Write(document, stream);
        return stream.ToArray();
    }

    [Fact]
    public void Csv_is_rfc4180_with_invariant_numbers_and_a_totals_record()
    {
        var csv = Encoding.UTF8.GetString(Write(new CsvReportWriter(), Document()));

        Assert.False(csv.StartsWith('\uFEFF'));
        var records = ParseRfc4180(csv);
        Assert.Equal(RowCount + 2, records.Count);
        Assert.All(records, r => Assert.Equal(7, r.Count));
        Assert.Equal(["Day", "Name", "Spend", "Value", "ROAS", "CTR", "Orders"], records[0]);
        Assert.Equal(["2025-01-01", "Summer, \"best\" ad\nline two", "100.01", "250.12", "2.5011", "0.0123", "0"], records[1]);
        Assert.Equal("", records[2][5]);
        var expectedSpend = Enumerable.Range(0, RowCount).Sum(i => 100.005m + i);
        Assert.Equal(["Total", "", Math.Round(expectedSpend, 2, MidpointRounding.AwayFromZero).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)], records[^1].Take(3));
        // Every record ends with CRLF; the quoted field keeps its bare line feed inside the quotes.
        Assert.EndsWith("\r\n", csv, StringComparison.Ordinal);
        Assert.Equal(RowCount + 2, csv.Split("\r\n").Length - 1);
    }

    [Fact]
    public void Xlsx_has_formats_frozen_headers_widths_and_totals_as_formulas()
    {
        var bytes = Write(new XlsxReportWriter(), Document());

        using var workbook = new XLWorkbook(new MemoryStream(bytes));
        Assert.Equal(["About", "Ads by day"], workbook.Worksheets.Select(w => w.Name));
        var about = workbook.Worksheet("About");
        Assert.Equal("Überstore €", about.Cell(2, 2).GetString());
        Assert.Equal(new DateTime(2025, 1, 1), about.Cell(3, 2).GetDateTime());

        var sheet = workbook.Worksheet("Ads by day");
        Assert.Equal(1, sheet.SheetView.SplitRow);
        Assert.True(sheet.Cell(1, 3).Style.Font.Bold);
        Assert.Equal(12, sheet.Column(3).Width, 1);
        Assert.Equal(new DateTime(2025, 1, 1), sheet.Cell(2, 1).GetDateTime());
        Assert.Equal("yyyy-mm-dd", sheet.Cell(2, 1).Style.DateFormat.Format);
        Assert.Contains("€", sheet.Cell(2, 3).Style.NumberFormat.Format, StringComparison.Ordinal);
        Assert.Equal(100.005, sheet.Cell(2, 3).GetDouble(), 6);
        Assert.Equal("0.00%", sheet.Cell(2, 6).Style.NumberFormat.Format);

        var totalRow = RowCount + 2;
        Assert.Equal("Total", sheet.Cell(totalRow, 1).GetString());
        Assert.Equal($"SUM(C2:C{RowCount + 1})", sheet.Cell(totalRow, 3).FormulaA1);
        Assert.True(sheet.Cell(totalRow, 5).HasFormula);
        var spend = Enumerable.Range(0, RowCount).Sum(i => 100.005 + i);
        var value = Enumerable.Range(0, RowCount).Sum(i => 250.1234 + 2 * i);
        Assert.Equal(spend, Convert.ToDouble(sheet.Cell(totalRow, 3).Value, System.Globalization.CultureInfo.InvariantCulture), 6);
        Assert.Equal(value / spend, Convert.ToDouble(sheet.Cell(totalRow, 5).Value, System.Globalization.CultureInfo.InvariantCulture), 9);
        Assert.False(sheet.Cell(totalRow, 6).HasFormula);
    }

    [Fact]
    public void Pdf_has_a_cover_tables_across_pages_with_repeated_headers_and_page_numbers()
    {
        var bytes = Write(new PdfReportWriter(), Document());

        using var pdf = UglyToad.PdfPig.PdfDocument.Open(bytes);
        var pages = pdf.GetPages().Select(p => string.Join(" ", p.GetWords().Select(w => w.Text))).ToList();
        Assert.True(pages.Count >= 3, $"{pages.Count} pages");
        Assert.Contains("Profit & loss", pages[0], StringComparison.Ordinal);
        Assert.Contains("Überstore €", pages[0], StringComparison.Ordinal);
        Assert.Contains("Jan 1, 2025 – Mar 21, 2025", pages[0], StringComparison.Ordinal);
        Assert.Contains("Spend by day", pages[0], StringComparison.Ordinal);
        for (var i = 0; i < pages.Count; i++)
        {
            Assert.Contains($"Page {i + 1} of {pages.Count}", pages[i], StringComparison.Ordinal);
        }
        // The table starts on page 2 and continues with its header row on every page after.
        Assert.All(pages.Skip(1), p => Assert.Contains("Spend Value ROAS CTR Orders", p, StringComparison.Ordinal));
        Assert.Contains("continued", pages[^1], StringComparison.Ordinal);
        var all = string.Join(" ", pages);
        Assert.Contains("€100.01", all, StringComparison.Ordinal);
        Assert.Contains("2.50×", all, StringComparison.Ordinal);
        Assert.Contains("1.23%", all, StringComparison.Ordinal);
        var total = Math.Round(Enumerable.Range(0, RowCount).Sum(i => 100.005m + i), 2, MidpointRounding.AwayFromZero);
        Assert.Contains("Total", pages[^1], StringComparison.Ordinal);
        Assert.Contains(new MetricFormatter("EUR").Money(total), pages[^1], StringComparison.Ordinal);
        // Liberation Sans is embedded as a subset (the "ABCDEF+" prefix), not referenced from the reader's system.
        Assert.Contains(pdf.GetPage(1).Letters, l => l.FontName is { } name && name.Contains("+Liberation Sans", StringComparison.Ordinal));
    }

    /// <summary>A strict RFC 4180 reader: records end with CRLF, quoted fields may hold commas, quotes ("") and line breaks.</summary>
    public static List<List<string>> ParseRfc4180(string text)
    {
        var records = new List<List<string>>();
        var record = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (ch == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(ch);
                }
            }
            else if (ch == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (ch == ',')
            {
                record.Add(field.ToString());
                field.Clear();
            }
            else if (ch == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                record.Add(field.ToString());
                field.Clear();
                records.Add(record);
                record = [];
                i++;
            }
            else
            {
                Assert.False(ch is '\r' or '\n' or '"', $"Bare {(int)ch} outside quotes at {i}");
                field.Append(ch);
            }
        }
        Assert.False(quoted, "Unterminated quoted field");
        Assert.True(record.Count == 0 && field.Length == 0, "The last record must end with CRLF");
        return records;
    }
}
