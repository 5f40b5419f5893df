using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using ClosedXML.Excel;
using static AdIntel.Web.Tests.Metrics.StoreDataBuilder;

namespace AdIntel.Web.Tests.Reports.Export;

/// <summary>
/// Names that a spreadsheet would run as formulas (CSV injection) come back from the real export endpoints as text:
/// quoted-prefixed in CSV, plain strings in Excel; amounts stay numbers, negative ones too.
/// </summary>
[Collection(AppCollection.Name)]
public sealed partial class FormulaInjectionTests(AppFixture fixture)
{
    /// <summary>Every character OWASP lists as starting a formula: = + - @, tab and carriage return.</summary>
    public static readonly string[] Payloads =
    [
        "=HYPERLINK(\"http://evil.test\",\"x\")",
        "+cmd|' /C calc'!A0",
        "@SUM(1,2)",
        "-2+3+cmd|' /C calc'!A0",
        "\t=1+2",
        "\r=1+2",
        "=cmd|' /C notepad'!'A1'",
    ];

    [Fact]
    public async Task Report_exports_neutralise_formulas_in_text_and_keep_negative_amounts_numbers()
    {
        var app = fixture.SqliteApp;
        var store = await app.CreateStoreAsync();
        await app.WithDbAsync(store.StoreId, async db =>
        {
            db.Stores.Single(s => s.Id == store.StoreId).Name = Payloads[0];
            await db.SaveChangesAsync();
        });
        var ads = await app.AddCampaignsAsync(store.StoreId, Payloads);
        await app.AddInsightsAsync(store.StoreId, [.. ads.Values.Select(ad => Insight(ad, new DateOnly(2025, 1, 10), 120, 0, impressions: 1000))]);
        await app.RebuildFactsAsync(store.StoreId);

        var creative = ReportWritersTests.ParseRfc4180(await ExportAsync(store.Api, "creative", "csv"));
        var header = creative[0];
        var adNames = creative.Skip(1).Select(r => r[header.IndexOf("Ad")]).Where(n => n != "Total").ToList();
        var campaigns = creative.Skip(1).Select(r => r[header.IndexOf("Campaign")]).Where(n => n != "").ToList();
        Assert.Equal(Payloads.Select(p => "'" + p + " ad").Order(StringComparer.Ordinal), adNames.Order(StringComparer.Ordinal));
        Assert.Equal(Payloads.Select(p => "'" + p).Order(StringComparer.Ordinal), campaigns.Order(StringComparer.Ordinal));
        Assert.All(creative.Skip(1).Where(r => r[0] != "Total"), r => Assert.Equal("120.00", r[header.IndexOf("Spend")]));
        Assert.Equal("840.00", creative[^1][header.IndexOf("Spend")]);

        // Spend without sales: the P&L's profit after ads is a negative amount, written as a plain number.
        var summary = ReportWritersTests.ParseRfc4180(await ExportAsync(store.Api, "summary", "csv"));
        var negatives = summary.SelectMany(r => r).Where(f => f.StartsWith('-') || f.StartsWith("'-", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(negatives);
        Assert.All(negatives, f => Assert.Matches(NegativeAmount(), f));

        using var workbook = new XLWorkbook(new MemoryStream(await ExportBytesAsync(store.Api, "creative", "xlsx")));
        var cells = workbook.Worksheets.SelectMany(w => w.CellsUsed()).ToList();
        Assert.DoesNotContain(cells, c => c.HasFormula && c.FormulaA1.Contains("cmd", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(cells, c => c.HasFormula && !c.FormulaA1.StartsWith("SUM(", StringComparison.Ordinal) && !c.FormulaA1.StartsWith("IF(", StringComparison.Ordinal));
        foreach (var payload in Payloads)
        {
            // XML reads a carriage return back as a line feed.
            var cell = Assert.Single(cells, c => c.GetString() == payload.Replace('\r', '\n') + " ad");
            Assert.Equal(XLDataType.Text, cell.DataType);
        }
        Assert.Contains(cells, c => c.GetString() == Payloads[0] && c.DataType == XLDataType.Text && !c.HasFormula);
    }

    private static async Task<string> ExportAsync(HttpClient api, string report, string format)
    {
        using var response = await api.PostAsJsonAsync("/api/reports/export", new { report, format, from = "2025-01-01", to = "2025-01-31" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<byte[]> ExportBytesAsync(HttpClient api, string report, string format)
    {
        using var response = await api.PostAsJsonAsync("/api/reports/export", new { report, format, from = "2025-01-01", to = "2025-01-31" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync();
    }

    [GeneratedRegex(@"^-\d+\.\d{2}$")]
    private static partial Regex NegativeAmount();
}
