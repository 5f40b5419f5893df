using System.Globalization;
using AdIntel.Web.Metrics;
using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace AdIntel.Web.Reports.Export;

/// <summary>
/// A PDF (PDFsharp, fonts embedded): a cover with the store, the period and the report's chart, then each section as a
/// table that continues across pages with its header row repeated, the totals row last, and "Page n of m" on every page.
/// A4 landscape; <see cref="PdfTableLayout"/> fits each table to the page without cutting a value.
/// </summary>
public sealed class PdfReportWriter : IReportWriter
{
    private const double Margin = 36;
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

    /// <summary>The section's cells as the table shows them, the totals row (if any) last.</summary>
    public static IReadOnlyList<(IReadOnlyList<object?> Values, IReadOnlyList<string> Texts, bool IsTotal)> Cells(ReportSection section, MetricFormatter format)
    {
        var rows = section.Rows.Select(r => (Cells: r, IsTotal: false)).ToList();
        if (section.Totals is { } totals && section.Rows.Count > 0)
        {
            rows.Add((totals.Select((v, i) => i == 0 && v is null ? "Total" : v).ToList(), true));
        }
        return rows.Select(r => (r.Cells, (IReadOnlyList<string>)r.Cells.Select((value, c) =>
            value is null && r.IsTotal ? "" : ReportValues.Display(section.Columns[c].Kind, value, format)).ToList(), r.IsTotal)).ToList();
    }

    private static void WriteSection(PdfDocument pdf, ReportSection section, MetricFormatter format, Fonts fonts)
    {
        var page = NewPage(pdf);
        var gfx = XGraphics.FromPdfPage(page);
        try
        {
            var width = page.Width.Point - 2 * Margin;
            var bottom = page.Height.Point - Margin - FooterSpace;
            var rows = Cells(section, format);
            var layout = PdfTableLayout.Fit(gfx, section, rows.Select(r => r.Texts).ToList(), width);

            var y = Margin + 12;
            gfx.DrawString(section.Title, fonts.Heading, new XSolidBrush(Ink), new XPoint(Margin, y));
            y += 8;
            if (section.Note is { } note)
            {
                foreach (var line in PdfTableLayout.Wrap(gfx, note, fonts.Small, width))
                {
                    y += 10;
                    gfx.DrawString(line, fonts.Small, new XSolidBrush(Muted), new XPoint(Margin, y));
                }
            }
            y += 8;
            y = DrawHeader(gfx, section, layout, y);
            if (section.Rows.Count == 0)
            {
                gfx.DrawString("No data in this period.", fonts.Body, new XSolidBrush(Muted), new XPoint(Margin + 4, y + 12));
                return;
            }

            var stripe = false;
            foreach (var (values, texts, isTotal) in rows)
            {
                var font = isTotal ? layout.BoldFont : layout.Font;
                var lines = texts.Select((text, c) => layout.Lines(c, text, isTotal)).ToList();
                var rowHeight = layout.RowHeight(lines.Max(l => l.Count));
                if (y + rowHeight > bottom)
                {
                    // The table continues on a new page under a repeated header row.
                    gfx.Dispose();
                    page = NewPage(pdf);
                    gfx = XGraphics.FromPdfPage(page);
                    y = Margin + 12;
                    gfx.DrawString(section.Title + " (continued)", fonts.Heading, new XSolidBrush(Ink), new XPoint(Margin, y));
                    y = DrawHeader(gfx, section, layout, y + 16);
                }
                if (stripe && !isTotal)
                {
                    gfx.DrawRectangle(new XSolidBrush(XColor.FromArgb(250, 250, 251)), Margin, y, width, rowHeight);
                }
                stripe = !stripe;
                if (isTotal)
                {
                    gfx.DrawLine(new XPen(Ink, 0.8), Margin, y, Margin + width, y);
                }
                var x = Margin;
                for (var c = 0; c < section.Columns.Count; c++)
                {
                    var cellWidth = layout.Widths[c] - PdfTableLayout.Padding;
                    var alignment = section.Columns[c].Kind == ColumnKind.Text || values[c] is string ? XStringFormats.TopLeft : XStringFormats.TopRight;
                    for (var l = 0; l < lines[c].Count; l++)
                    {
                        gfx.DrawString(lines[c][l], font, new XSolidBrush(Ink),
                            new XRect(x + PdfTableLayout.Padding / 2, y + 2.5 + l * layout.LineHeight, cellWidth, layout.LineHeight), alignment);
                    }
                    x += layout.Widths[c];
                }
                y += rowHeight;
            }
        }
        finally
        {
            gfx.Dispose();
        }
    }

    private static double DrawHeader(XGraphics gfx, ReportSection section, PdfTableLayout layout, double y)
    {
        var height = Math.Max(layout.HeaderHeight, 20);
        gfx.DrawRectangle(new XSolidBrush(HeaderFill), Margin, y, layout.Widths.Sum(), height);
        var x = Margin;
        for (var c = 0; c < section.Columns.Count; c++)
        {
            var lines = layout.Header[c];
            var alignment = section.Columns[c].Kind == ColumnKind.Text ? XStringFormats.TopLeft : XStringFormats.TopRight;
            for (var l = 0; l < lines.Count; l++)
            {
                gfx.DrawString(lines[l], layout.BoldFont, new XSolidBrush(Ink),
                    new XRect(x + PdfTableLayout.Padding / 2, y + 4 + l * layout.LineHeight, layout.Widths[c] - PdfTableLayout.Padding, layout.LineHeight), alignment);
            }
            x += layout.Widths[c];
        }
        return y + height;
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
}
