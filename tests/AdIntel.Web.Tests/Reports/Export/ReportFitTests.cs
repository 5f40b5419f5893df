using System.Text.RegularExpressions;
using AdIntel.Web.Metrics;
using AdIntel.Web.Reports;
using AdIntel.Web.Reports.Export;
using PdfSharp.Drawing;

namespace AdIntel.Web.Tests.Reports.Export;

/// <summary>The demo store's reports as people read them: PDFs that never cut a value, whole counts, grouped thousands.</summary>
[Collection(AppCollection.Name)]
public sealed partial class ReportFitTests(AppFixture fixture)
{
    public static TheoryData<string, string> Reports => new()
    {
        { ReportNames.Creative, "90d" },
        { ReportNames.Summary, ReportRequest.Last12Months },
        { ReportNames.Cohorts, ReportRequest.Last12Months },
        { ReportNames.Benchmarks, "90d" },
    };

    private async Task<ReportDocument> DocumentAsync(string report, string preset)
    {
        var app = await fixture.HostAsync(AppFixture.Sqlite);
        var today = await app.WithServiceAsync<StoreClock, DateOnly>(app.DemoStoreId, clock => clock.GetTodayAsync(CancellationToken.None));
        Assert.True(ReportRequest.TryParse(report, null, null, preset, null, null, null, today, out var query, out var error), error?.Message);
        return await app.WithServiceAsync<ReportService, ReportDocument>(app.DemoStoreId, reports => reports.DocumentAsync(query, CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Reports))]
    public async Task The_pdf_shows_every_cell_whole(string report, string preset)
    {
        var document = await DocumentAsync(report, preset);
        var format = new MetricFormatter(document.Currency);
        Assert.Contains(document.Sections, s => s.Rows.Count > 0);

        // The layout: every cell's lines hold all of its text, each line within its column.
        PdfFonts.EnsureInstalled();
        using var measure = XGraphics.CreateMeasureContext(new XSize(842, 595), XGraphicsUnit.Point, XPageDirection.Downwards);
        foreach (var section in document.Sections)
        {
            var cells = PdfReportWriter.Cells(section, format);
            var layout = PdfTableLayout.Fit(measure, section, cells.Select(r => r.Texts).ToList(), 842 - 72);
            Assert.InRange(layout.FontSize, PdfTableLayout.SmallestFontSize, PdfTableLayout.LargestFontSize);
            foreach (var (_, texts, isTotal) in cells)
            {
                for (var c = 0; c < texts.Count; c++)
                {
                    var lines = layout.Lines(c, texts[c], isTotal);
                    var room = layout.Widths[c] - PdfTableLayout.Padding;
                    Assert.Equal(texts[c].Replace(" ", "", StringComparison.Ordinal), string.Concat(lines).Replace(" ", "", StringComparison.Ordinal));
                    Assert.All(lines, line => Assert.True(measure.MeasureString(line, isTotal ? layout.BoldFont : layout.Font).Width <= room + 0.01,
                        $"{section.Title}/{section.Columns[c].Header}: \"{line}\" is wider than its column"));
                    if (section.Columns[c].Kind != ColumnKind.Text)
                    {
                        Assert.True(lines.Count == 1, $"{section.Columns[c].Header}: \"{texts[c]}\" broke over {lines.Count} lines");
                    }
                }
            }
        }

        // The file: no ellipsis in any table, and every number, date and amount readable as written.
        using var stream = new MemoryStream();
        new PdfReportWriter().Write(document, stream);
        using var pdf = UglyToad.PdfPig.PdfDocument.Open(stream.ToArray());
        var words = pdf.GetPages().Skip(1).SelectMany(p => p.GetWords()).Select(w => w.Text).ToHashSet(StringComparer.Ordinal);
        Assert.DoesNotContain(words, w => w.Contains('…', StringComparison.Ordinal));
        foreach (var section in document.Sections)
        {
            foreach (var (values, texts, _) in PdfReportWriter.Cells(section, format))
            {
                for (var c = 0; c < texts.Count; c++)
                {
                    if (section.Columns[c].Kind != ColumnKind.Text && ReportValues.IsNumeric(values[c]))
                    {
                        Assert.True(words.Contains(texts[c]), $"{section.Title}/{section.Columns[c].Header}: \"{texts[c]}\" is not in the PDF whole");
                    }
                }
            }
        }
    }

    [Fact]
    public async Task Creative_counts_are_whole_and_totals_have_thousands_separators()
    {
        var document = await DocumentAsync(ReportNames.Creative, "90d");
        var format = new MetricFormatter(document.Currency);
        var ads = document.Sections.Single();
        var totals = ads.Totals!;
        foreach (var header in new[] { "Impressions", "Reach (Σ daily)", "Link clicks", "Purchases" })
        {
            var c = ads.Columns.ToList().FindIndex(column => column.Header == header);
            Assert.Equal(ColumnKind.Count, ads.Columns[c].Kind);
            Assert.All(ads.Rows, row => Assert.Matches(GroupedInteger(), ReportValues.Display(ColumnKind.Count, row[c], format)));
            Assert.Matches(GroupedInteger(), ReportValues.Display(ColumnKind.Count, totals[c], format));
        }
        var impressions = ads.Columns.ToList().FindIndex(column => column.Header == "Impressions");
        Assert.True(ReportValues.ToDecimal(totals[impressions]!) >= 1000, "the demo store's impressions run into thousands");
        Assert.Contains(",", ReportValues.Display(ColumnKind.Count, totals[impressions], format), StringComparison.Ordinal);
        var spend = ads.Columns.ToList().FindIndex(column => column.Header == "Spend");
        Assert.Matches(GroupedMoney(), ReportValues.Display(ColumnKind.Money, totals[spend], format));
    }

    [Fact]
    public void Display_groups_thousands_and_shows_counts_whole()
    {
        var usd = new MetricFormatter("USD");
        Assert.Equal("473", ReportValues.Display(ColumnKind.Count, 473.00m, usd));
        Assert.Equal("1,192,034", ReportValues.Display(ColumnKind.Count, 1_192_034L, usd));
        Assert.Equal("12,345.68", ReportValues.Display(ColumnKind.Number, 12_345.678m, usd));
        Assert.Equal("$1,234,567.89", ReportValues.Display(ColumnKind.Money, 1_234_567.891m, usd));
        // The CSV stays machine-readable: no grouping, counts as integers.
        Assert.Equal("473", ReportValues.Invariant(ColumnKind.Count, 473.00m));
        Assert.Equal("12345.68", ReportValues.Invariant(ColumnKind.Number, 12_345.678m));
    }

    [Fact]
    public async Task The_pages_show_the_bottom_line_first()
    {
        var summary = (await DocumentAsync(ReportNames.Summary, ReportRequest.Last12Months)).Sections.Single();
        Assert.Equal(["Period", "Net sales", "Gross profit", "Contribution margin", "Ad spend", "Profit after ads"],
            summary.PageOrder.Take(6).Select(c => summary.Columns[c].Header));
        var creative = (await DocumentAsync(ReportNames.Creative, "30d")).Sections.Single();
        Assert.Equal(["Ad", "Spend", "Purchases", "ROAS", "CPA", "Fatigue"], creative.PageOrder.Take(6).Select(c => creative.Columns[c].Header));
        // Every column still shows once.
        Assert.Equal(Enumerable.Range(0, creative.Columns.Count), creative.PageOrder.Order());
    }

    [GeneratedRegex(@"^\d{1,3}(,\d{3})*$")]
    private static partial Regex GroupedInteger();

    [GeneratedRegex(@"^-?\$\d{1,3}(,\d{3})*\.\d{2}$")]
    private static partial Regex GroupedMoney();
}
