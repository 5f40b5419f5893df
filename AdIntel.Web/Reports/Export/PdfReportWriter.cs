using System.Globalization;
using AdIntel.Web.Metrics;
using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace AdIntel.Web.Reports.Export;

/// <summary>
/// A PDF (PDFsharp, fonts embedded): a cover with the store, the period and the report's chart, then each section as a
/// table that continues across pages with its header row repeated, the totals row last, and "Page n of m" on every page.
/// A4 landscape, so a P&amp;L of 15 columns stays readable.
/// </summary>
public sealed class PdfReportWriter : IReportWriter
{
    private const double Margin = 36;
    private const double RowHeight = 15;
    private const double HeaderHeight = 34;
    private const double FooterSpace = 28;
    private static readonly XColor Ink = XColor.FromArgb(32, 34, 35);
    private static readonly XColor Muted = XColor.FromArgb(97, 97, 97);
    private static readonly XColor Rule = XColor.FromArgb(225, 227, 229);
    private static readonly XColor HeaderFill = XColor.FromArgb(241, 242, 244);
    private static readonly XColor[] SeriesColors = [XColor.FromArgb(44, 110, 203), XColor.FromArgb(0, 128, 96), XColor.FromArgb(183, 126, 11)];

    public string Format => "pdf";
    public string ContentType => "application/pdf";
    public string Extension => "pdf";

    public void Write(ReportDocument document, Stream output)
    {
        PdfFonts.EnsureInstalled();
        var format = new MetricFormatter(document.Currency);
        using var pdf = new PdfDocument();
        pdf.Info.Title = $"{document.Title} — {document.StoreName}";
        pdf.Info.Author = "AdIntel";
        pdf.Info.Subject = document.Period.ToString();

        var fonts = new Fonts();
        WriteCover(pdf, document, format, fonts);
        foreach (var section in document.Sections)
        {
            WriteSection(pdf, section, format, fonts);
        }
        WritePageNumbers(pdf, document, fonts);
        pdf.Save(output, closeStream: false);
    }

    private sealed class Fonts
    {
        public XFont Title { get; } = new(PdfFonts.Family, 22, XFontStyleEx.Bold);
        public XFont Heading { get; } = new(PdfFonts.Family, 13, XFontStyleEx.Bold);
        public XFont Body { get; } = new(PdfFonts.Family, 10, XFontStyleEx.Regular);
        public XFont Small { get; } = new(PdfFonts.Family, 7.5, XFontStyleEx.Regular);
        public XFont Cell { get; private set; } = new(PdfFonts.Family, CellFontSize, XFontStyleEx.Regular);
        public XFont CellBold { get; private set; } = new(PdfFonts.Family, CellFontSize, XFontStyleEx.Bold);

        public void SetCellSize(double size)
        {
            Cell = new XFont(PdfFonts.Family, size, XFontStyleEx.Regular);
            CellBold = new XFont(PdfFonts.Family, size, XFontStyleEx.Bold);
        }
    }

    private const double CellFontSize = 7.5;
    private const double SmallestCellFontSize = 5;
    private const double CellPadding = 6;

    /// <summary>
    /// Column widths that show every value whole: each column gets the width of its widest value (headers may wrap at
    /// spaces), spare room goes to the columns by their weights, and a table wider than the page is set in a smaller
    /// font (down to 5 pt) before anything is cut.
    /// </summary>
    private static double[] FitColumns(XGraphics gfx, ReportSection section, IReadOnlyList<IReadOnlyList<string>> texts, Fonts fonts, double width)
    {
        var bold = new XFont(PdfFonts.Family, CellFontSize, XFontStyleEx.Bold);
        var needed = new double[section.Columns.Count];
        for (var c = 0; c < needed.Length; c++)
        {
            var header = section.Columns[c].Header.Split(' ').Max(word => gfx.MeasureString(word, bold).Width);
            var cells = texts.Count == 0 ? 0 : texts.Max(row => gfx.MeasureString(row[c], bold).Width);
            // Long free text (ad names, sources) is allowed to be cut rather than squeeze every number.
            needed[c] = Math.Min(Math.Max(header, cells), section.Columns[c].Kind == ColumnKind.Text ? 180 : double.MaxValue);
        }
        // Text shrinks with the font; the padding around it does not.
        var padding = CellPadding * needed.Length;
        var scale = Math.Max(SmallestCellFontSize / CellFontSize, Math.Min(1, (width - padding) / needed.Sum()));
        fonts.SetCellSize(CellFontSize * scale);
        var widths = needed.Select(n => n * scale + CellPadding).ToArray();
        var spare = width - widths.Sum();
        var weights = section.Columns.Sum(c => c.Width);
        for (var c = 0; c < widths.Length; c++)
        {
            widths[c] += spare * section.Columns[c].Width / weights;
        }
        return widths;
    }

    private static PdfPage NewPage(PdfDocument pdf)
    {
        var page = pdf.AddPage();
        page.Size = PageSize.A4;
        page.Orientation = PageOrientation.Landscape;
        return page;
    }

    private static void WriteCover(PdfDocument pdf, ReportDocument document, MetricFormatter format, Fonts fonts)
    {
        var page = NewPage(pdf);
        using var gfx = XGraphics.FromPdfPage(page);
        var width = page.Width.Point - 2 * Margin;
        var y = Margin + 20;
        gfx.DrawString(document.Title, fonts.Title, new XSolidBrush(Ink), new XPoint(Margin, y));
        y += 26;
        gfx.DrawString(document.StoreName, fonts.Heading, new XSolidBrush(Ink), new XPoint(Margin, y));
        y += 20;
        var period = string.Create(CultureInfo.InvariantCulture,
            $"{document.Period.From:MMM d, yyyy} – {document.Period.To:MMM d, yyyy} ({document.Period.Days} days) · amounts in {document.Currency}");
        gfx.DrawString(period, fonts.Body, new XSolidBrush(Muted), new XPoint(Margin, y));
        y += 15;
        gfx.DrawString(string.Create(CultureInfo.InvariantCulture, $"Generated {document.GeneratedAtUtc:yyyy-MM-dd HH:mm} UTC by AdIntel"),
            fonts.Body, new XSolidBrush(Muted), new XPoint(Margin, y));
        y += 14;
        gfx.DrawLine(new XPen(Rule, 1), Margin, y, Margin + width, y);
        y += 16;

        if (document.Chart is { } chart && chart.Labels.Count > 0)
        {
            DrawChart(gfx, chart, format, fonts, new XRect(Margin, y, width, page.Height.Point - y - Margin - FooterSpace));
        }
        else
        {
            var index = 0;
            foreach (var section in document.Sections)
            {
                gfx.DrawString($"{++index}. {section.Title}", fonts.Body, new XSolidBrush(Ink), new XPoint(Margin, y));
                y += 15;
            }
        }
    }

    /// <summary>Grouped bars per label with a zero line, "nice" gridlines, axis labels and a legend, drawn with PDFsharp primitives.</summary>
    private static void DrawChart(XGraphics gfx, ReportChart chart, MetricFormatter format, Fonts fonts, XRect area)
    {
        gfx.DrawString(chart.Title, fonts.Heading, new XSolidBrush(Ink), new XPoint(area.X, area.Y + 4));
        var legendX = area.X;
        var legendY = area.Y + 18;
        for (var s = 0; s < chart.Series.Count; s++)
        {
            gfx.DrawRectangle(new XSolidBrush(SeriesColors[s % SeriesColors.Length]), legendX, legendY, 9, 9);
            gfx.DrawString(chart.Series[s].Name, fonts.Small, new XSolidBrush(Ink), new XPoint(legendX + 13, legendY + 8));
            legendX += 20 + gfx.MeasureString(chart.Series[s].Name, fonts.Small).Width + 12;
        }

        var plot = new XRect(area.X + 60, area.Y + 40, area.Width - 70, area.Height - 70);
        var values = chart.Series.SelectMany(s => s.Values).ToList();
        var (low, high, step) = ChartScale.Nice(Math.Min(0, values.Count == 0 ? 0 : values.Min()), Math.Max(0, values.Count == 0 ? 0 : values.Max()));
        double Y(decimal v) => plot.Bottom - (double)((v - low) / (high - low)) * plot.Height;

        var gridPen = new XPen(Rule, 0.6);
        for (var tick = low; tick <= high + step / 1000; tick += step)
        {
            var ty = Y(tick);
            gfx.DrawLine(tick == 0 ? new XPen(Muted, 0.9) : gridPen, plot.Left, ty, plot.Right, ty);
            gfx.DrawString(format.MoneyCompact(tick), fonts.Small, new XSolidBrush(Muted), new XRect(area.X, ty - 5, 54, 10), XStringFormats.CenterRight);
        }

        var groups = chart.Labels.Count;
        var groupWidth = plot.Width / groups;
        var barWidth = Math.Max(1, groupWidth * 0.8 / Math.Max(1, chart.Series.Count));
        var labelEvery = (int)Math.Ceiling(groups / (plot.Width / 48));
        for (var g = 0; g < groups; g++)
        {
            var x0 = plot.Left + g * groupWidth + groupWidth * 0.1;
            for (var s = 0; s < chart.Series.Count; s++)
            {
                var value = chart.Series[s].Values[g];
                var top = Math.Min(Y(value), Y(0));
                var height = Math.Abs(Y(value) - Y(0));
                gfx.DrawRectangle(new XSolidBrush(SeriesColors[s % SeriesColors.Length]), x0 + s * barWidth, top, barWidth * 0.92, Math.Max(height, 0.5));
            }
            if (g % labelEvery == 0)
            {
                gfx.DrawString(chart.Labels[g], fonts.Small, new XSolidBrush(Muted),
                    new XRect(plot.Left + g * groupWidth - 20, plot.Bottom + 4, groupWidth + 40, 10), XStringFormats.TopCenter);
            }
        }
    }

    private static void WriteSection(PdfDocument pdf, ReportSection section, MetricFormatter format, Fonts fonts)
    {
        var page = NewPage(pdf);
        var gfx = XGraphics.FromPdfPage(page);
        try
        {
            var width = page.Width.Point - 2 * Margin;
            var bottom = page.Height.Point - Margin - FooterSpace;
            var rows = section.Rows.Select(r => (Cells: r, IsTotal: false)).ToList();
            if (section.Totals is { } totals && section.Rows.Count > 0)
            {
                rows.Add((totals.Select((v, i) => i == 0 && v is null ? "Total" : v).ToList(), true));
            }
            var texts = rows.Select(r => (IReadOnlyList<string>)r.Cells.Select((value, c) =>
                value is null && r.IsTotal ? "" : ReportValues.Display(section.Columns[c].Kind, value, format)).ToList()).ToList();
            var widths = FitColumns(gfx, section, texts, fonts, width);

            var y = Margin + 12;
            gfx.DrawString(section.Title, fonts.Heading, new XSolidBrush(Ink), new XPoint(Margin, y));
            y += 8;
            if (section.Note is { } note)
            {
                foreach (var line in Wrap(gfx, note, fonts.Small, width))
                {
                    y += 10;
                    gfx.DrawString(line, fonts.Small, new XSolidBrush(Muted), new XPoint(Margin, y));
                }
            }
            y += 8;
            y = DrawHeader(gfx, section, widths, fonts, y);
            if (section.Rows.Count == 0)
            {
                gfx.DrawString("No data in this period.", fonts.Body, new XSolidBrush(Muted), new XPoint(Margin + 4, y + 12));
                return;
            }

            var stripe = false;
            for (var r = 0; r < rows.Count; r++)
            {
                var (cells, isTotal) = rows[r];
                if (y + RowHeight > bottom)
                {
                    // The table continues on a new page under a repeated header row.
                    gfx.Dispose();
                    page = NewPage(pdf);
                    gfx = XGraphics.FromPdfPage(page);
                    y = Margin + 12;
                    gfx.DrawString(section.Title + " (continued)", fonts.Heading, new XSolidBrush(Ink), new XPoint(Margin, y));
                    y = DrawHeader(gfx, section, widths, fonts, y + 16);
                }
                if (stripe && !isTotal)
                {
                    gfx.DrawRectangle(new XSolidBrush(XColor.FromArgb(250, 250, 251)), Margin, y, width, RowHeight);
                }
                stripe = !stripe;
                if (isTotal)
                {
                    gfx.DrawLine(new XPen(Ink, 0.8), Margin, y, Margin + width, y);
                }
                var x = Margin;
                for (var c = 0; c < section.Columns.Count; c++)
                {
                    var column = section.Columns[c];
                    var text = texts[r][c];
                    var font = isTotal ? fonts.CellBold : fonts.Cell;
                    text = Fit(gfx, text, font, widths[c] - 6);
                    var alignment = column.Kind == ColumnKind.Text || cells[c] is string ? XStringFormats.CenterLeft : XStringFormats.CenterRight;
                    gfx.DrawString(text, font, new XSolidBrush(Ink), new XRect(x + 3, y, widths[c] - 6, RowHeight), alignment);
                    x += widths[c];
                }
                y += RowHeight;
            }
        }
        finally
        {
            gfx.Dispose();
        }
    }

    private static double DrawHeader(XGraphics gfx, ReportSection section, double[] widths, Fonts fonts, double y)
    {
        gfx.DrawRectangle(new XSolidBrush(HeaderFill), Margin, y, widths.Sum(), HeaderHeight);
        var x = Margin;
        for (var c = 0; c < section.Columns.Count; c++)
        {
            var column = section.Columns[c];
            var lines = Wrap(gfx, column.Header, fonts.CellBold, widths[c] - 6).Take(3).ToList();
            var alignment = column.Kind == ColumnKind.Text ? XStringFormats.TopLeft : XStringFormats.TopRight;
            for (var l = 0; l < lines.Count; l++)
            {
                gfx.DrawString(lines[l], fonts.CellBold, new XSolidBrush(Ink), new XRect(x + 3, y + 4 + l * 9, widths[c] - 6, 9), alignment);
            }
            x += widths[c];
        }
        return y + HeaderHeight;
    }

    private static void WritePageNumbers(PdfDocument pdf, ReportDocument document, Fonts fonts)
    {
        var count = pdf.PageCount;
        for (var i = 0; i < count; i++)
        {
            var page = pdf.Pages[i];
            using var gfx = XGraphics.FromPdfPage(page, XGraphicsPdfPageOptions.Append);
            var y = page.Height.Point - Margin + 6;
            var width = page.Width.Point - 2 * Margin;
            gfx.DrawString($"{document.StoreName} · {document.Title}", fonts.Small, new XSolidBrush(Muted), new XRect(Margin, y, width, 10), XStringFormats.TopLeft);
            gfx.DrawString(string.Create(CultureInfo.InvariantCulture, $"Page {i + 1} of {count}"), fonts.Small, new XSolidBrush(Muted),
                new XRect(Margin, y, width, 10), XStringFormats.TopRight);
        }
    }

    /// <summary>The text cut with an ellipsis to fit <paramref name="width"/>.</summary>
    private static string Fit(XGraphics gfx, string text, XFont font, double width)
    {
        if (gfx.MeasureString(text, font).Width <= width)
        {
            return text;
        }
        var cut = text.Length;
        while (cut > 1 && gfx.MeasureString(text[..cut] + "…", font).Width > width)
        {
            cut--;
        }
        return text[..cut] + "…";
    }

    private static IEnumerable<string> Wrap(XGraphics gfx, string text, XFont font, double width)
    {
        var line = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = line.Length == 0 ? word : line + " " + word;
            if (line.Length > 0 && gfx.MeasureString(candidate, font).Width > width)
            {
                yield return line;
                line = word;
            }
            else
            {
                line = candidate;
            }
        }
        if (line.Length > 0)
        {
            yield return line;
        }
    }
}
