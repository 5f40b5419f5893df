using System.Globalization;
using AdIntel.Web.Metrics;

namespace AdIntel.Web.Reports.Export;

/// <summary>How a column's values are written: formats in the spreadsheet, alignment and text in the PDF, digits in the CSV.</summary>
public enum ColumnKind
{
    Text,
    /// <summary>Store currency; the CSV and PDF round to cents, the spreadsheet keeps the exact value under a currency format.</summary>
    Money,
    /// <summary>A multiple such as ROAS (4 decimals in the CSV).</summary>
    Ratio,
    /// <summary>A share between 0 and 1 (4 decimals in the CSV, a percentage elsewhere).</summary>
    Percent,
    Count,
    Date,
    /// <summary>A plain number with 2 decimals (frequency, months).</summary>
    Number,
}

/// <summary>How the totals row fills a column: nothing, the sum of the column, or total(numerator) ÷ total(denominator).</summary>
public abstract record ColumnTotal
{
    public static readonly ColumnTotal None = new NoTotal();
    public static readonly ColumnTotal Sum = new SumTotal();

    public static ColumnTotal Ratio(int numeratorColumn, int denominatorColumn) => new RatioTotal(numeratorColumn, denominatorColumn);

    public sealed record NoTotal : ColumnTotal;

    public sealed record SumTotal : ColumnTotal;

    public sealed record RatioTotal(int NumeratorColumn, int DenominatorColumn) : ColumnTotal;
}

/// <param name="Width">Column width in characters (spreadsheet) and relative weight (PDF).</param>
/// <param name="Description">What the column means (the formula, shown on hover on the page).</param>
/// <param name="Headline">The report's bottom line: the page shows it right after the first column, where it fits a
/// laptop screen (the exports keep the document's order).</param>
public sealed record ReportColumn(string Header, ColumnKind Kind, double Width, ColumnTotal? Total = null, string? Description = null,
    bool Headline = false)
{
    public ColumnTotal TotalKind => Total ?? ColumnTotal.None;
}

/// <summary>
/// A table of the report: a spreadsheet sheet, a PDF table, a block of the CSV. Cells hold decimal, long/int, DateOnly,
/// string or null. <see cref="Totals"/> is the totals row as the page shows it (null: no totals row); the spreadsheet
/// writes formulas there instead, which evaluate to the same figures.
/// </summary>
public sealed record ReportSection(string Title, IReadOnlyList<ReportColumn> Columns, IReadOnlyList<IReadOnlyList<object?>> Rows,
    IReadOnlyList<object?>? Totals = null, string? Note = null)
{
    /// <summary>The columns in the page's order: the first (what a row is), the headline columns, then the others as defined.</summary>
    public IReadOnlyList<int> PageOrder =>
    [
        .. Enumerable.Range(0, Columns.Count).Where(c => c == 0 || Columns[c].Headline),
        .. Enumerable.Range(1, Math.Max(0, Columns.Count - 1)).Where(c => !Columns[c].Headline),
    ];
}

public sealed record ChartSeries(string Name, IReadOnlyList<decimal> Values);

/// <summary>A bar chart of money per period (e.g. net sales and profit after ads by month), drawn in the PDF.</summary>
public sealed record ReportChart(string Title, IReadOnlyList<string> Labels, IReadOnlyList<ChartSeries> Series);

/// <summary>Everything an export writes: the same figures the report's page shows.</summary>
public sealed record ReportDocument(string Report, string Title, string StoreName, string Currency, DateRange Period, DateTime GeneratedAtUtc,
    IReadOnlyList<ReportSection> Sections, ReportChart? Chart = null, int CsvSectionIndex = 0)
{
    /// <summary>The one flat table the CSV holds (a CSV file has a single header and records of equal length).</summary>
    public ReportSection CsvSection => Sections[CsvSectionIndex];

    public string FileName(string extension) =>
        string.Create(CultureInfo.InvariantCulture, $"adintel-{Report}-{Period.From:yyyy-MM-dd}-{Period.To:yyyy-MM-dd}.{extension}");
}

/// <summary>Writes a report document in one file format.</summary>
public interface IReportWriter
{
    /// <summary>csv, xlsx or pdf: the export API's format name.</summary>
    string Format { get; }
    string ContentType { get; }
    string Extension { get; }
    void Write(ReportDocument document, Stream output);
}
