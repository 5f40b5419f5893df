using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AdIntel.Web.Domain;
using AdIntel.Web.Metrics;
using AdIntel.Web.Reports.Ltv;
using AdIntel.Web.Tests.Reports.Export;
using AdIntel.Web.Tests.Security;
using ClosedXML.Excel;
using Microsoft.EntityFrameworkCore;
using static AdIntel.Web.Tests.Metrics.StoreDataBuilder;

namespace AdIntel.Web.Tests.Pages.Reports;

/// <summary>What the predicted-LTV tests share: the stored fit of a store, read and written the way its job stores it.</summary>
internal static class StoredLtvFit
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static Task<LtvFitStatus> StatusAsync(AdIntelApp app, long storeId) =>
        app.WithServiceAsync<LtvFits, LtvFitStatus>(storeId, fits => fits.GetAsync(CancellationToken.None));

    public static Task<LtvFit?> RowAsync(AdIntelApp app, long storeId) =>
        app.WithDbAsync(storeId, db => db.LtvFits.AsNoTracking().SingleOrDefaultAsync());

    public static Task WaitUntilStoredAsync(AdIntelApp app, long storeId) =>
        Eventually.HoldsAsync(async () => await StatusAsync(app, storeId) is { Forecast: not null, IsStale: false, IsFitting: false },
            $"store {storeId}'s predicted LTV was never fitted and stored",
            async () => JsonSerializer.Serialize(await RowAsync(app, storeId)) + Environment.NewLine + app.DescribeJobs(), TimeSpan.FromSeconds(60));

    public static Task UpdateAsync(AdIntelApp app, long storeId, Action<LtvFit> change) =>
        app.WithDbAsync(storeId, async db =>
        {
            var row = await db.LtvFits.SingleAsync();
            change(row);
            await db.SaveChangesAsync();
        });
}

/// <summary>
/// The predicted-LTV page on the demo store: it shows the stored fit (never fitting in the request) in plain words, and
/// its CSV, XLSX and PDF downloads carry the same figures.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class LtvPageTests(AppFixture fixture)
{
    [Theory, MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task The_page_reads_the_stored_fit_in_plain_words_and_the_downloads_carry_the_same_figures(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var client = app.CreateClient();
        var storeId = app.DemoStoreId;
        using (var first = await client.GetAsync("/reports/ltv"))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }
        await StoredLtvFit.WaitUntilStoredAsync(app, storeId);
        var original = (await StoredLtvFit.RowAsync(app, storeId))!;
        var fitted = JsonSerializer.Deserialize<LtvForecast>(original.ForecastJson!, StoredLtvFit.Json)!;
        Assert.True(fitted.Customers > 100 && fitted.ExpectedSales > 0 && fitted.ExpectedActiveCustomers > 0, original.ForecastJson);
        // Figures no fit would produce, and dropout at its boundary: if the page or an export fitted the models itself,
        // it would show others.
        var marked = fitted with
        {
            ExpectedSales = 12345.67, ExpectedGrossProfit = 5432.10, ExpectedActiveCustomers = 4321.4, TopDecileShare = 0.6123,
            Purchases = new BgNbdModel(fitted.Purchases.R, fitted.Purchases.Alpha, 0.45e12, 0.55e12),
        };
        await StoredLtvFit.UpdateAsync(app, storeId, row => row.ForecastJson = JsonSerializer.Serialize(marked, StoredLtvFit.Json));
        try
        {
            var currency = (await app.WithServiceAsync<StoreClock, StoreCalendar>(storeId, c => c.GetCalendarAsync(CancellationToken.None))).Currency;
            var format = new MetricFormatter(currency);

            using var response = await client.GetAsync("/reports/ltv");
            var html = await response.Content.ReadAsStringAsync();

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("data-state=\"ready\"", html, StringComparison.Ordinal);
            Assert.Contains($"data-figure=\"expected-sales\">{format.Money(12345.67m)}<", html, StringComparison.Ordinal);
            Assert.Contains($"data-figure=\"expected-gross-profit\">{format.Money(5432.10m)}<", html, StringComparison.Ordinal);
            Assert.Contains("data-figure=\"top-decile-share\">61%<", html, StringComparison.Ordinal);
            Assert.Contains("data-figure=\"likely-active\">4,321<", html, StringComparison.Ordinal);
            Assert.Contains($"Your {fitted.Customers.ToString("N0", CultureInfo.InvariantCulture)} customers", html, StringComparison.Ordinal);
            Assert.Contains("The chance of stopping after a purchase is about the same for every customer: 45%.", html, StringComparison.Ordinal);
            // The parameters sit in a details section, where a and b at the boundary are words, not millions.
            Assert.Contains("class=\"card ltv-details\"", html, StringComparison.Ordinal);
            Assert.Contains(">unbounded<", html, StringComparison.Ordinal);
            Assert.DoesNotContain("data-testid=\"ltv-refreshing\"", html, StringComparison.Ordinal);
            // The request used the stored fit: nothing was fitted or queued.
            var after = (await StoredLtvFit.RowAsync(app, storeId))!;
            Assert.Equal(original.FittedAtUtc, after.FittedAtUtc);
            Assert.Equal(LtvFitStates.Succeeded, after.State);

            async Task<byte[]> ExportAsync(string format)
            {
                using var export = await client.PostAsJsonAsync("/api/reports/export", new { report = "ltv", format });
                Assert.True(export.IsSuccessStatusCode, $"{format}: {(int)export.StatusCode} {await export.Content.ReadAsStringAsync()}");
                return await export.Content.ReadAsByteArrayAsync();
            }

            var csv = ReportWritersTests.ParseRfc4180(Encoding.UTF8.GetString(await ExportAsync("csv")));
            string Csv(string header) => csv[1][csv[0].IndexOf(header)];
            Assert.Equal("12345.67", Csv("Expected sales"));
            Assert.Equal("5432.10", Csv("Expected gross profit"));
            Assert.Equal("4321", Csv("Likely still active"));
            Assert.Equal("0.6123", Csv("Top 10% customers' share of sales"));
            Assert.Equal("0.45", Csv("Chance of stopping after a purchase"));
            Assert.Contains("boundary", Csv("Dropout"), StringComparison.Ordinal);

            using var workbook = new XLWorkbook(new MemoryStream(await ExportAsync("xlsx")));
            var sheet = workbook.Worksheets.First(w => w.Name.StartsWith("Next 12 months", StringComparison.Ordinal));
            var salesColumn = sheet.Row(1).CellsUsed().First(c => c.GetString() == "Expected sales").Address.ColumnNumber;
            Assert.Equal(12345.67, sheet.Cell(2, salesColumn).GetDouble(), 2);

            using var pdf = UglyToad.PdfPig.PdfDocument.Open(await ExportAsync("pdf"));
            var text = string.Join(" ", pdf.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text));
            Assert.Contains(format.Money(12345.67m), text, StringComparison.Ordinal);
            Assert.Contains("unbounded", text, StringComparison.Ordinal);
        }
        finally
        {
            await StoredLtvFit.UpdateAsync(app, storeId, row => row.ForecastJson = original.ForecastJson);
        }
    }
}

/// <summary>
/// Predicted LTV of stores of their own (local accounts): a store without a fit gets one in the background while the
/// page shows progress, an outdated one is shown as refreshing, a fit that cannot be made is explained, and each store
/// sees its own customers.
/// </summary>
[Collection(LocalAppCollection.Name)]
public sealed class LtvFitBackgroundTests(AppFixture fixture)
{
    private static async Task<(AdIntelApp App, long StoreId, Browser Browser)> StoreAsync(AppFixture fixture, int customers, int repeatEvery)
    {
        var local = await fixture.LocalAsync(AppFixture.Sqlite);
        var app = local.App;
        var storeId = await local.CreateStoreAsync();
        var today = DateOnly.FromDateTime(PinnedDate.UtcNow);
        var random = new Random(11);
        var orders = new List<Order>();
        for (var c = 0; c < customers; c++)
        {
            var customer = await app.AddCustomerAsync(storeId, "ltv-" + c);
            var day = today.AddDays(-300 + random.Next(0, 120));
            var purchases = c % repeatEvery == 0 ? 1 : 2 + random.Next(0, 4);
            for (var p = 0; p < purchases && day < today; p++)
            {
                orders.Add(Order($"l{c}-{p}", day, customer, lines: [Line(1, 30 + random.Next(0, 60), 12)]));
                day = day.AddDays(random.Next(10, 60));
            }
        }
        if (orders.Count > 0)
        {
            await app.AddOrdersAsync(storeId, [.. orders]);
            await app.RebuildFactsAsync(storeId);
        }
        var member = await local.CreateMemberAsync(storeId, StoreRole.Accountant);
        return (app, storeId, await local.SignInAsync(member.Email));
    }

    private static async Task<string> BodyAsync(Browser browser)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/reports/ltv");
        // As the page's polling asks: the body alone.
        request.Headers.Add("HX-Request", "true");
        using var response = await browser.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task Without_a_stored_fit_the_page_asks_for_one_shows_progress_and_then_the_stores_own_forecast()
    {
        var (app, storeId, browser) = await StoreAsync(fixture, customers: 80, repeatEvery: 3);
        // The facts rebuild queued a fit; start from a store that has none.
        await StoredLtvFit.WaitUntilStoredAsync(app, storeId);
        var stored = (await StoredLtvFit.RowAsync(app, storeId))!;
        await app.WithDbAsync(storeId, db => db.LtvFits.ExecuteDeleteAsync());

        using (var page = await browser.GetAsync("/reports/ltv"))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }
        // The request asked for a fit and answered at once; the job stores it.
        Assert.NotNull(await StoredLtvFit.RowAsync(app, storeId));
        await Eventually.HoldsAsync(async () => (await BodyAsync(browser)).Contains("data-state=\"ready\"", StringComparison.Ordinal),
            "the page never showed the fitted forecast", async () => await BodyAsync(browser));
        var body = await BodyAsync(browser);
        // This store's 80 customers, not the demo store's thousands.
        Assert.Contains("Your 80 customers are expected to buy", body, StringComparison.Ordinal);
        Assert.DoesNotContain("hx-trigger", body, StringComparison.Ordinal);

        // While a fit runs and nothing is stored, the page says what it is doing and polls.
        await StoredLtvFit.UpdateAsync(app, storeId, row =>
        {
            row.State = LtvFitStates.Running;
            row.Stage = nameof(LtvFitStage.FittingPurchases);
            row.HeartbeatAtUtc = PinnedDate.UtcNow;
            row.ForecastJson = null;
        });
        body = await BodyAsync(browser);
        Assert.Contains("data-state=\"fitting\"", body, StringComparison.Ordinal);
        Assert.Contains("Fitting how often customers buy and when they stop", body, StringComparison.Ordinal);
        Assert.Contains("hx-trigger=\"every 1s\"", body, StringComparison.Ordinal);
        Assert.Contains("max=\"100\" value=\"35\"", body, StringComparison.Ordinal);

        // A forecast of older data, with its refit under way: shown, marked as refreshing.
        await StoredLtvFit.UpdateAsync(app, storeId, row =>
        {
            row.ForecastJson = stored.ForecastJson;
            row.DataVersion = "older data";
        });
        body = await BodyAsync(browser);
        Assert.Contains("data-testid=\"ltv-refreshing\"", body, StringComparison.Ordinal);
        Assert.Contains("Your 80 customers are expected to buy", body, StringComparison.Ordinal);
        Assert.Contains("hx-trigger=\"every 1s\"", body, StringComparison.Ordinal);

        // That fit's process died (no sign of life for longer than Jobs:StaleAfter): the next visit asks again.
        await StoredLtvFit.UpdateAsync(app, storeId, row => row.HeartbeatAtUtc = PinnedDate.UtcNow.AddHours(-1));
        await BodyAsync(browser);
        await StoredLtvFit.WaitUntilStoredAsync(app, storeId);
        Assert.Equal(stored.DataVersion, (await StoredLtvFit.RowAsync(app, storeId))!.DataVersion);
    }

    [Fact]
    public async Task A_store_with_too_few_repeat_customers_is_told_why_in_words()
    {
        var (app, storeId, browser) = await StoreAsync(fixture, customers: 12, repeatEvery: 2);

        await Eventually.HoldsAsync(async () => (await BodyAsync(browser)).Contains("data-state=\"failed\"", StringComparison.Ordinal),
            "the page never said why there is no forecast", async () => await BodyAsync(browser));
        var body = await BodyAsync(browser);
        Assert.Contains("No predicted LTV for this store yet.", body, StringComparison.Ordinal);
        Assert.Contains("the models need at least 10 repeat customers", body, StringComparison.Ordinal);
        Assert.Contains("Fit again", body, StringComparison.Ordinal);
        // The same failure is not retried on every visit: the data did not change.
        var failed = (await StoredLtvFit.RowAsync(app, storeId))!;
        await BodyAsync(browser);
        Assert.Equal(failed.RequestedAtUtc, (await StoredLtvFit.RowAsync(app, storeId))!.RequestedAtUtc);

        var local = await fixture.LocalAsync(AppFixture.Sqlite);
        var api = await local.CreateTokenClientAsync(storeId, StoreRole.Accountant);
        using var export = await api.PostAsJsonAsync("/api/reports/export", new { report = "ltv", format = "csv" });
        Assert.Equal(HttpStatusCode.Conflict, export.StatusCode);
        Assert.Contains("the models need at least 10 repeat customers", await export.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_without_orders_is_asked_for_them_and_nothing_is_fitted()
    {
        var (app, storeId, browser) = await StoreAsync(fixture, customers: 0, repeatEvery: 1);

        var body = await BodyAsync(browser);

        Assert.Contains("data-state=\"empty\"", body, StringComparison.Ordinal);
        Assert.Contains("No orders yet", body, StringComparison.Ordinal);
        Assert.Null(await StoredLtvFit.RowAsync(app, storeId));
    }
}
