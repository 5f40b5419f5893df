using System.Globalization;
using AdIntel.Web.Metrics;
using ClosedXML.Excel;

namespace AdIntel.Web.Reports.Export;

/// <summary>
/// An Excel workbook (ClosedXML): an "About" sheet (store, period, when), then one sheet per section with a bold, frozen
/// header row, real number/currency/percentage/date formats, explicit column widths (AdjustToContents would need
/// libgdiplus) and the totals row as formulas (SUM, or a ratio of two sums), so an accountant can audit every total.
/// Money cells hold the exact amounts under a two-decimal currency format: they show what the page shows, and their
/// sums are the page's totals.
/// </summary>
public sealed class XlsxReportWriter : IReportWriter
{
    public string Format => "xlsx";
    public string ContentType => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public string Extension => "xlsx";

    public void Write(ReportDocument document, Stream output)
    {
        using var workbook = new XLWorkbook();
        var moneyFormat = MoneyFormat(document.Currency);
        WriteAbout(workbook, document);
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "About" };
        foreach (var section in document.Sections)
        {
            var sheet = workbook.Worksheets.Add(SheetName(section.Title, names));
            WriteSection(sheet, section, moneyFormat);
        }
        workbook.SaveAs(output);
    }

    private static void WriteAbout(XLWorkbook workbook, ReportDocument document)
    {
        var sheet = workbook.Worksheets.Add("About");
        var lines = new (string Label, object Value)[]
        {
            ("Report", document.Title),
            ("Store", document.StoreName),
            ("From", document.Period.From.ToDateTime(TimeOnly.MinValue)),
            ("To", document.Period.To.ToDateTime(TimeOnly.MinValue)),
            ("Currency", document.Currency),
            ("Generated (UTC)", document.GeneratedAtUtc),
        };
        for (var i = 0; i < lines.Length; i++)
        {
            sheet.Cell(i + 1, 1).Value = lines[i].Label;
            sheet.Cell(i + 1, 1).Style.Font.Bold = true;
            var cell = sheet.Cell(i + 1, 2);
            cell.Value = lines[i].Value;
            if (lines[i].Value is DateTime)
            {
                cell.Style.DateFormat.Format = lines[i].Label.StartsWith("Generated", StringComparison.Ordinal) ? "yyyy-mm-dd hh:mm" : "yyyy-mm-dd";
            }
        }
        var row = lines.Length + 2;
        foreach (var section in document.Sections.Where(s => s.Note is not null))
        {
            sheet.Cell(row, 1).Value = section.Title;
            sheet.Cell(row, 1).Style.Font.Bold = true;
            sheet.Cell(row, 2).Value = section.Note;
            row++;
        }
        sheet.Column(1).Width = 18;
        sheet.Column(2).Width = 90;
    }

    private static void WriteSection(IXLWorksheet sheet, ReportSection section, string moneyFormat)
    {
        for (var c = 0; c < section.Columns.Count; c++)
        {
            var column = section.Columns[c];
            var header = sheet.Cell(1, c + 1);
            header.Value = column.Header;
            header.Style.Font.Bold = true;
            header.Style.Fill.BackgroundColor = XLColor.FromHtml("#F1F2F4");
            header.Style.Alignment.Horizontal = column.Kind == ColumnKind.Text ? XLAlignmentHorizontalValues.Left : XLAlignmentHorizontalValues.Right;
            header.Style.Alignment.WrapText = true;
            sheet.Column(c + 1).Width = column.Width;
        }
        sheet.SheetView.FreezeRows(1);

        // Formats go on whole column ranges (one style each): per-cell styles make ClosedXML several times slower.
        var lastRow = section.Rows.Count + 1;
        for (var c = 0; c < section.Columns.Count && section.Rows.Count > 0; c++)
        {
            var kind = section.Columns[c].Kind;
            if (kind != ColumnKind.Text)
            {
                var column = sheet.Range(2, c + 1, lastRow, c + 1);
                if (kind == ColumnKind.Date)
                {
                    column.Style.DateFormat.Format = "yyyy-mm-dd";
                }
                else
                {
                    column.Style.NumberFormat.Format = NumberFormat(kind, moneyFormat);
                }
            }
        }
        for (var r = 0; r < section.Rows.Count; r++)
        {
            var row = section.Rows[r];
            for (var c = 0; c < section.Columns.Count; c++)
            {
                WriteValue(sheet.Cell(r + 2, c + 1), row[c]);
            }
        }

        if (section.Totals is null || section.Rows.Count == 0)
        {
            return;
        }
        var totalRow = section.Rows.Count + 2;
        var lastDataRow = totalRow - 1;
        string Range(int column) => string.Create(CultureInfo.InvariantCulture,
            $"{XLHelper.GetColumnLetterFromNumber(column + 1)}2:{XLHelper.GetColumnLetterFromNumber(column + 1)}{lastDataRow}");
        sheet.Cell(totalRow, 1).Value = "Total";
        for (var c = 0; c < section.Columns.Count; c++)
        {
            var column = section.Columns[c];
            var cell = sheet.Cell(totalRow, c + 1);
            switch (column.TotalKind)
            {
                case ColumnTotal.SumTotal:
                    cell.FormulaA1 = $"SUM({Range(c)})";
                    break;
                case ColumnTotal.RatioTotal ratio:
                    cell.FormulaA1 = $"IF(SUM({Range(ratio.DenominatorColumn)})=0,\"\",SUM({Range(ratio.NumeratorColumn)})/SUM({Range(ratio.DenominatorColumn)}))";
                    break;
                default:
                    continue;
            }
            ApplyFormat(cell, column.Kind, moneyFormat);
        }
        var totals = sheet.Range(totalRow, 1, totalRow, section.Columns.Count);
        totals.Style.Font.Bold = true;
        totals.Style.Border.TopBorder = XLBorderStyleValues.Thin;
    }

    private static void WriteValue(IXLCell cell, object? value)
    {
        switch (value)
        {
            case null:
                return;
            case string text:
                cell.SetValue(text);
                return;
            case DateOnly date:
                cell.Value = date.ToDateTime(TimeOnly.MinValue);
                return;
            default:
                cell.Value = (double)ReportValues.ToDecimal(value);
                return;
        }
    }

    private static void ApplyFormat(IXLCell cell, ColumnKind kind, string moneyFormat) => cell.Style.NumberFormat.Format = NumberFormat(kind, moneyFormat);

    private static string NumberFormat(ColumnKind kind, string moneyFormat) => kind switch
    {
        ColumnKind.Money => moneyFormat,
        ColumnKind.Ratio => "0.00\"×\"",
        ColumnKind.Percent => "0.00%",
        ColumnKind.Count => "#,##0",
        _ => "#,##0.00",
    };

    /// <summary>The store currency's symbol and decimals as an Excel format, negatives with a minus sign: "$"#,##0.00;-"$"#,##0.00.</summary>
    public static string MoneyFormat(string currency)
    {
        var sample = new MetricFormatter(currency).Money(0m);
        var digits = sample.Contains('.', StringComparison.Ordinal) ? sample.Length - sample.IndexOf('.', StringComparison.Ordinal) - 1 : 0;
        var symbol = sample.TrimEnd('0', '.').Replace("\"", "", StringComparison.Ordinal);
        var number = digits == 0 ? "#,##0" : "#,##0." + new string('0', digits);
        return $"\"{symbol}\"{number};-\"{symbol}\"{number}";
    }

    private static string SheetName(string title, HashSet<string> used)
    {
        var clean = new string(title.Select(ch => "[]:*?/\\".Contains(ch, StringComparison.Ordinal) ? ' ' : ch).ToArray()).Trim();
        var name = clean.Length > 31 ? clean[..31] : clean;
        for (var n = 2; !used.Add(name); n++)
        {
            var suffix = " " + n.ToString(CultureInfo.InvariantCulture);
            name = (clean.Length + suffix.Length > 31 ? clean[..(31 - suffix.Length)] : clean) + suffix;
        }
        return name;
    }
}
