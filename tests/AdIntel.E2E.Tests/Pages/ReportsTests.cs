using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AdIntel.E2E.Tests.Pages;

/// <summary>The reports pages in Chromium: htmx filters that push the URL, and every download button of every report.</summary>
[Collection(E2ECollection.Name)]
public sealed partial class ReportsTests(E2EFixture app)
{
    public static TheoryData<string, string> Reports => new()
    {
        { "/reports", "summary" },
        { "/reports/creative", "creative" },
        { "/reports/cohorts", "cohorts" },
        { "/reports/benchmarks", "benchmarks" },
    };

    [Theory]
    [MemberData(nameof(Reports))]
    public async Task Each_download_button_downloads_its_format(string path, string report)
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync(path);

        foreach (var (format, signature) in new[] { ("csv", ""), ("xlsx", "PK"), ("pdf", "%PDF") })
        {
            var download = await page.RunAndWaitForDownloadAsync(() => page.Locator($"[data-download=\"{format}\"]").ClickAsync());

            Assert.Matches(new Regex($"^adintel-{report}-\\d{{4}}-\\d{{2}}-\\d{{2}}-\\d{{4}}-\\d{{2}}-\\d{{2}}\\.{format}$"), download.SuggestedFilename);
            var file = await download.PathAsync();
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.True(bytes.Length > 100, $"{format}: {bytes.Length} bytes");
            Assert.StartsWith(signature, System.Text.Encoding.ASCII.GetString(bytes, 0, Math.Min(4, bytes.Length)), StringComparison.Ordinal);
        }
        // Downloading leaves the page as it was.
        await Expect(page).ToHaveURLAsync(new Regex(Regex.Escape(path) + "$"));
    }

    [Fact]
    public async Task Granularity_swaps_the_pnl_in_place_and_the_csv_matches_the_table()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/reports");
        var rows = page.Locator("table.report-table tbody tr");
        await Expect(rows).ToHaveCountAsync(12);
        await page.EvaluateAsync("() => window.__sameDocument = true");

        await page.Locator("[data-granularity=\"week\"]").ClickAsync();

        await Expect(page).ToHaveURLAsync(WeekUrlPattern());
        await Expect(page.Locator("[data-granularity=\"week\"]")).ToHaveAttributeAsync("aria-current", "true");
        Assert.True(await rows.CountAsync() >= 52);
        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"));

        // The totals row of the page and of the downloaded CSV agree on net sales.
        var netSalesOnPage = (await page.Locator("tfoot [data-total=\"Net sales\"]").InnerTextAsync()).Trim();
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-download=\"csv\"]").ClickAsync());
        var lines = await File.ReadAllLinesAsync(await download.PathAsync());
        var header = lines[0].Split(',');
        var total = lines[^1].Split(',');
        Assert.Equal("Total", total[0]);
        var netSalesInCsv = decimal.Parse(total[Array.IndexOf(header, "Net sales")], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(netSalesInCsv.ToString("C", System.Globalization.CultureInfo.GetCultureInfo("en-US")), netSalesOnPage);

        await page.GoBackAsync();
        await Expect(rows).ToHaveCountAsync(12);
    }

    public static TheoryData<string, string[]> BottomLines => new()
    {
        { "/reports", ["Period", "Net sales", "Ad spend", "Profit after ads"] },
        { "/reports/creative", ["Ad", "Spend", "ROAS", "CPA", "Fatigue"] },
    };

    [Theory]
    [MemberData(nameof(BottomLines))]
    public async Task On_a_1366_px_laptop_the_bottom_line_shows_without_scrolling_sideways(string path, string[] headers)
    {
        var page = await app.NewPageAsync(1366, 768);
        await page.GotoAsync(path);

        // The page itself never scrolls sideways; a wide table scrolls inside its own focusable region.
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"));
        var region = page.Locator(".table-wrap:has(table.report-table)");
        await Expect(region).ToHaveAttributeAsync("tabindex", "0");
        await Expect(region).ToHaveAttributeAsync("role", "region");
        foreach (var header in headers)
        {
            var cell = page.Locator("table.report-table thead th", new() { HasTextRegex = new Regex($"^{Regex.Escape(header)}$") });
            var box = await cell.BoundingBoxAsync();
            Assert.NotNull(box);
            Assert.True(box.X >= 0 && box.X + box.Width <= 1366, $"{header} spans {box.X}–{box.X + box.Width} px of a 1366 px window");
        }
    }

    [Fact]
    public async Task On_a_1366_px_laptop_the_cohort_heat_map_shows_every_month()
    {
        var page = await app.NewPageAsync(1366, 768);
        await page.GotoAsync("/reports/cohorts");

        var lastMonth = page.Locator("table.heatmap thead th").Last;
        await Expect(lastMonth).ToHaveTextAsync(new Regex(@"^M\d+$"));
        var box = await lastMonth.BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.True(box.X + box.Width <= 1366, $"{await lastMonth.InnerTextAsync()} ends at {box.X + box.Width} px of a 1366 px window");
    }

    [GeneratedRegex("granularity=week")]
    private static partial Regex WeekUrlPattern();
}
