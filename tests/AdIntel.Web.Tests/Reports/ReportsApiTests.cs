using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AdIntel.Web.Tests.Reports.Export;
using ClosedXML.Excel;
using static AdIntel.Web.Tests.Metrics.StoreDataBuilder;

namespace AdIntel.Web.Tests.Reports;

/// <summary>The reports API and exports on both providers: the P&amp;L against the overview, cohorts on a hand-computed store, errors.</summary>
[Collection(AppCollection.Name)]
public sealed class ReportsApiTests(AppFixture fixture)
{
    private static readonly string[] PnlKeys =
        ["grossSales", "discounts", "returns", "netSales", "shipping", "taxes", "cogs", "grossProfit", "contributionMargin", "adSpend", "profitAfterAds"];

    private static async Task<JsonElement> DataAsync(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("data").Clone();
    }

    [Theory, MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Summary_totals_equal_the_overview_for_the_same_days(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var client = app.CreateClient();
        var overview = await DataAsync(await client.GetAsync("/api/overview?preset=90d"));
        var from = overview.GetProperty("period").GetProperty("from").GetString();
        var to = overview.GetProperty("period").GetProperty("to").GetString();

        var summary = await DataAsync(await client.GetAsync($"/api/reports/summary?from={from}&to={to}&granularity=week"));

        var totals = summary.GetProperty("totals");
        foreach (var key in PnlKeys)
        {
            Assert.Equal(overview.GetProperty("kpis").GetProperty(key).GetDecimal(), totals.GetProperty(key).GetDecimal());
        }
        Assert.Equal(overview.GetProperty("kpis").GetProperty("grossSales").GetDecimal(),
            summary.GetProperty("rows").EnumerateArray().Sum(r => r.GetProperty("grossSales").GetDecimal()));
        Assert.True(overview.GetProperty("kpis").GetProperty("grossSales").GetDecimal() > 0);
        Assert.Equal("week", summary.GetProperty("granularity").GetString());
    }

    [Theory, MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Exports_carry_the_summarys_numbers_in_every_format(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var client = app.CreateClient();
        var summary = await DataAsync(await client.GetAsync("/api/reports/summary?preset=12m"));
        var from = summary.GetProperty("period").GetProperty("from").GetString()!;
        var to = summary.GetProperty("period").GetProperty("to").GetString()!;
        var netSales = summary.GetProperty("totals").GetProperty("netSales").GetDecimal();
        var profitAfterAds = summary.GetProperty("totals").GetProperty("profitAfterAds").GetDecimal();
        var months = summary.GetProperty("rows").GetArrayLength();
        Assert.Equal(12, months);

        async Task<HttpResponseMessage> ExportAsync(string format) =>
            await client.PostAsJsonAsync("/api/reports/export", new { report = "summary", format, from, to });

        using var csvResponse = await ExportAsync("csv");
        Assert.Equal("text/csv", csvResponse.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"adintel-summary-{from}-{to}.csv", csvResponse.Content.Headers.ContentDisposition!.FileNameStar ?? csvResponse.Content.Headers.ContentDisposition.FileName);
        var records = ReportWritersTests.ParseRfc4180(Encoding.UTF8.GetString(await csvResponse.Content.ReadAsByteArrayAsync()));
        Assert.Equal(months + 2, records.Count);
        var netColumn = records[0].IndexOf("Net sales");
        Assert.Equal(netSales, decimal.Parse(records[^1][netColumn], CultureInfo.InvariantCulture));
        Assert.Equal(profitAfterAds, decimal.Parse(records[^1][records[0].IndexOf("Profit after ads")], CultureInfo.InvariantCulture));

        using var xlsxResponse = await ExportAsync("xlsx");
        using var workbook = new XLWorkbook(new MemoryStream(await xlsxResponse.Content.ReadAsByteArrayAsync()));
        var sheet = workbook.Worksheet(2);
        var totalRow = months + 2;
        Assert.Equal("Total", sheet.Cell(totalRow, 1).GetString());
        Assert.True(sheet.Cell(totalRow, netColumn + 1).HasFormula);
        Assert.Equal(netSales, Math.Round((decimal)Convert.ToDouble(sheet.Cell(totalRow, netColumn + 1).Value, CultureInfo.InvariantCulture), 2));

        using var pdfResponse = await ExportAsync("pdf");
        Assert.Equal("application/pdf", pdfResponse.Content.Headers.ContentType!.MediaType);
        using var pdf = UglyToad.PdfPig.PdfDocument.Open(await pdfResponse.Content.ReadAsByteArrayAsync());
        var text = string.Join(" ", pdf.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text));
        Assert.Contains(netSales.ToString("C", CultureInfo.GetCultureInfo("en-US")), text, StringComparison.Ordinal);
        Assert.Contains("Demo", text, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Every_report_exports_in_every_format(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var client = app.CreateClient();
        foreach (var report in new[] { "summary", "creative", "cohorts", "benchmarks" })
        {
            foreach (var format in new[] { "csv", "xlsx", "pdf" })
            {
                using var response = await client.PostAsJsonAsync("/api/reports/export", new { report, format, preset = "90d" });
                Assert.True(response.IsSuccessStatusCode, $"{report}/{format}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 100, $"{report}/{format} is empty");
            }
        }
    }

    /// <summary>
    /// Jan 2025 cohort: Ann (first order Jan 10: 2 × 50 − 10 discount, cost 2 × 20; March 5: 60, cost 25, 15 refunded March 20)
    /// and Ben (Jan 25: 80, cost 30; Feb 14: 40, cost 10). Feb cohort: Cleo (Feb 3: 100, cost 40; a cancelled March order).
    /// A guest order and a test-only customer stay out. Ad spend 120 in January, 90 in February (no other marketing).
    /// Jan: 2 customers, CAC 60; revenue per customer 85 → 105 → 127.50, gross profit 50 → 65 → 75, so payback in month 1;
    /// retention 100% → 50% → 50% → 0%. Feb: 1 customer, CAC 90, gross profit 60 and no repeat: never paid back.
    /// </summary>
    [Theory, MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Cohorts_match_a_hand_computed_store(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var store = await app.CreateStoreAsync();
        var id = store.StoreId;
        var ann = await app.AddCustomerAsync(id, "ann");
        var ben = await app.AddCustomerAsync(id, "ben");
        var cleo = await app.AddCustomerAsync(id, "cleo");
        var dora = await app.AddCustomerAsync(id, "dora");
        var annMarch = Order("2", new DateOnly(2025, 3, 5), ann, lines: [Line(1, 60, 25)]);
        annMarch.Refunds.Add(Refund("r1", new DateOnly(2025, 3, 20), 15));
        await app.AddOrdersAsync(id,
            Order("1", new DateOnly(2025, 1, 10), ann, discounts: 10, lines: [Line(2, 50, 20)]),
            annMarch,
            Order("3", new DateOnly(2025, 1, 25), ben, lines: [Line(1, 80, 30)]),
            Order("4", new DateOnly(2025, 2, 14), ben, lines: [Line(1, 40, 10)]),
            Order("5", new DateOnly(2025, 2, 3), cleo, lines: [Line(1, 100, 40)]),
            Order("6", new DateOnly(2025, 3, 1), cleo, cancelled: true, lines: [Line(1, 300, 100)]),
            Order("7", new DateOnly(2025, 1, 12), null, lines: [Line(1, 500, 100)]),
            Order("8", new DateOnly(2025, 1, 5), dora, isTest: true, lines: [Line(1, 70, 10)]));
        var ads = await app.AddCampaignsAsync(id, "Prospecting");
        await app.AddInsightsAsync(id, Insight(ads["Prospecting"], new DateOnly(2025, 1, 10), 120, 0), Insight(ads["Prospecting"], new DateOnly(2025, 2, 3), 90, 0));
        await app.RebuildFactsAsync(id);

        var data = await DataAsync(await store.Api.GetAsync("/api/reports/cohorts?from=2025-01-01&to=2025-02-28&basis=revenue"));

        Assert.Equal("revenue", data.GetProperty("basis").GetString());
        var cohorts = data.GetProperty("cohorts").EnumerateArray().ToList();
        Assert.Equal(2, cohorts.Count);
        var jan = cohorts[0];
        Assert.Equal("2025-01-01", jan.GetProperty("month").GetString());
        Assert.Equal(2, jan.GetProperty("customers").GetInt32());
        Assert.Equal(60m, jan.GetProperty("cac").GetDecimal());
        Assert.Equal(1, jan.GetProperty("paybackMonth").GetInt32());
        var janMonths = jan.GetProperty("months").EnumerateArray().ToList();
        Assert.Equal([1m, 0.5m, 0.5m, 0m], janMonths.Take(4).Select(m => m.GetProperty("retention").GetDecimal()));
        Assert.Equal([85m, 105m, 127.5m, 127.5m], janMonths.Take(4).Select(m => m.GetProperty("ltv").GetDecimal()));
        Assert.Equal([50m, 65m, 75m, 75m], janMonths.Take(4).Select(m => m.GetProperty("grossProfitPerCustomer").GetDecimal()));
        var feb = cohorts[1];
        Assert.Equal(1, feb.GetProperty("customers").GetInt32());
        Assert.Equal(90m, feb.GetProperty("cac").GetDecimal());
        Assert.Equal(JsonValueKind.Null, feb.GetProperty("paybackMonth").ValueKind);
        var febMonths = feb.GetProperty("months").EnumerateArray().ToList();
        Assert.Equal([1, 0], febMonths.Take(2).Select(m => m.GetProperty("activeCustomers").GetInt32()));
        Assert.Equal([100m, 100m], febMonths.Take(2).Select(m => m.GetProperty("ltv").GetDecimal()));

        // The CSV export is the same grid, one record per cohort and month.
        using var csv = await store.Api.PostAsJsonAsync("/api/reports/export", new { report = "cohorts", format = "csv", from = "2025-01-01", to = "2025-02-28" });
        var records = ReportWritersTests.ParseRfc4180(await csv.Content.ReadAsStringAsync());
        var header = records[0];
        var janM2 = records.Single(r => r[0] == "2025-01-01" && r[1] == "2");
        Assert.Equal("127.50", janM2[header.IndexOf("Revenue per customer (cumulative)")]);
        Assert.Equal("75.00", janM2[header.IndexOf("Gross profit per customer (cumulative)")]);
        Assert.Equal("0.5", janM2[header.IndexOf("Retention")]);
        Assert.Equal("60.00", janM2[header.IndexOf("CAC")]);
    }

    [Theory, MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task A_new_store_gets_empty_reports_not_errors(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var store = await app.CreateStoreAsync();

        var summary = await DataAsync(await store.Api.GetAsync("/api/reports/summary?preset=12m"));
        Assert.Equal(12, summary.GetProperty("rows").GetArrayLength());
        Assert.Equal(0m, summary.GetProperty("totals").GetProperty("netSales").GetDecimal());
        Assert.Empty((await DataAsync(await store.Api.GetAsync("/api/reports/creative"))).GetProperty("ads").EnumerateArray());
        Assert.Empty((await DataAsync(await store.Api.GetAsync("/api/reports/cohorts"))).GetProperty("cohorts").EnumerateArray());
        Assert.All((await DataAsync(await store.Api.GetAsync("/api/reports/benchmarks"))).GetProperty("benchmarks").EnumerateArray(),
            b => Assert.Equal("not_comparable", b.GetProperty("verdict").GetString()));
        using var model = await store.Api.GetAsync("/api/reports/ltv-model");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, model.StatusCode);
        Assert.Contains("insufficient_data", await model.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var pdf = await store.Api.PostAsJsonAsync("/api/reports/export", new { report = "summary", format = "pdf" });
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
    }

    [Theory]
    [InlineData("GET", "/api/reports/summary?from=2025-02-30&to=2025-03-01", null, 400, "invalid_date_range")]
    [InlineData("GET", "/api/reports/summary?from=2025-03-01&to=2025-02-01", null, 400, "invalid_date_range")]
    [InlineData("GET", "/api/reports/summary?granularity=quarter", null, 400, "invalid_granularity")]
    [InlineData("GET", "/api/reports/cohorts?basis=margin", null, 400, "invalid_basis")]
    [InlineData("GET", "/api/reports/benchmarks?vertical=crypto", null, 400, "invalid_vertical")]
    [InlineData("GET", "/api/reports/ltv-model?calibrationEnd=yesterday", null, 400, "invalid_date_range")]
    [InlineData("GET", "/api/reports/ltv-model?unit=month", null, 400, "bad_request")]
    [InlineData("POST", "/api/reports/export", """{"report":"balance-sheet","format":"csv"}""", 422, "unknown_report")]
    [InlineData("POST", "/api/reports/export", """{"report":"summary","format":"docx"}""", 422, "unsupported_format")]
    [InlineData("POST", "/api/reports/export", """{"report":"summary","format":"csv","from":"2025-01-01","to":"nope"}""", 400, "invalid_date_range")]
    [InlineData("POST", "/api/reports/export", """{"report":"summary",""", 400, "bad_request")]
    public async Task Bad_requests_get_the_error_envelope(string method, string url, string? body, int status, string code)
    {
        var app = await fixture.HostAsync(AppFixture.Sqlite);
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await app.CreateClient().SendAsync(request);

        Assert.Equal(status, (int)response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = json.RootElement.GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
    }

    [Theory, MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Ltv_model_fits_the_demo_store_and_lists_customer_outlooks(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var client = app.CreateClient();

        var model = await DataAsync(await client.GetAsync("/api/reports/ltv-model?unit=week"));

        foreach (var parameter in new[] { "r", "alpha", "a", "b", "p", "q", "v" })
        {
            Assert.True(model.GetProperty(parameter).GetDouble() > 0, parameter);
        }
        Assert.True(model.GetProperty("logLikelihood").GetDouble() < 0);
        Assert.True(model.GetProperty("repeatCustomers").GetInt32() > 10);
        Assert.True(model.GetProperty("customers").GetInt32() > model.GetProperty("repeatCustomers").GetInt32());

        using var page = await client.GetAsync("/api/reports/ltv-model/customers?unit=week&horizon=52&limit=50");
        using var json = JsonDocument.Parse(await page.Content.ReadAsStringAsync());
        var customers = json.RootElement.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(50, customers.Count);
        Assert.All(customers, c =>
        {
            var alive = c.GetProperty("probabilityAlive").GetDouble();
            Assert.InRange(alive, 0, 1);
            Assert.True(c.GetProperty("expectedPurchases").GetDouble() >= 0);
        });
        Assert.Equal("50", json.RootElement.GetProperty("page").GetProperty("next").GetString());
    }

    /// <summary>
    /// A store whose customers are all a few months old has no observed first-year LTV; the overview then shows the
    /// BG/NBD + Gamma-Gamma prediction (basis "predicted"), at least the first order's gross profit.
    /// </summary>
    [Theory, MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Overview_ltv_of_a_young_store_is_predicted_by_the_model(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var store = await app.CreateStoreAsync();
        var today = DateOnly.FromDateTime(PinnedDate.UtcNow);
        var random = new Random(7);
        var orders = new List<AdIntel.Web.Domain.Order>();
        for (var c = 0; c < 60; c++)
        {
            var customer = await app.AddCustomerAsync(store.StoreId, "young-" + c);
            var day = today.AddDays(-120 + random.Next(0, 60));
            var purchases = c % 3 == 0 ? 1 : 1 + random.Next(1, 4);
            for (var p = 0; p < purchases; p++)
            {
                orders.Add(Order($"y{c}-{p}", day, customer, lines: [Line(1, 40 + random.Next(0, 40), 15)]));
                day = day.AddDays(random.Next(5, 25));
                if (day >= today)
                {
                    break;
                }
            }
        }
        await app.AddOrdersAsync(store.StoreId, [.. orders]);
        await app.RebuildFactsAsync(store.StoreId);

        var overview = await DataAsync(await store.Api.GetAsync("/api/overview?preset=90d"));

        var kpis = overview.GetProperty("kpis");
        Assert.Equal("predicted", kpis.GetProperty("ltvBasis").GetString());
        Assert.True(kpis.GetProperty("ltv").GetDecimal() > 25m, kpis.GetProperty("ltv").ToString());
    }
}
