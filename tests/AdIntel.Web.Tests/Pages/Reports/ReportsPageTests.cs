using System.Net;
using System.Text.Json;

namespace AdIntel.Web.Tests.Pages.Reports;

/// <summary>The report pages render their tables, swap only their body for htmx, refuse bad dates and say so, and show an empty state.</summary>
[Collection(AppCollection.Name)]
public sealed class ReportsPageTests(AppFixture fixture)
{
    [Theory]
    [InlineData("/reports", "Net sales")]
    [InlineData("/reports?granularity=week", "Week of")]
    [InlineData("/reports/creative", "Fatigue")]
    [InlineData("/reports/cohorts?basis=revenue", "Revenue LTV per customer")]
    [InlineData("/reports/benchmarks?vertical=apparel", "WordStream")]
    public async Task Report_pages_show_their_report(string url, string expected)
    {
        var app = await fixture.HostAsync(AppFixture.Sqlite);

        using var response = await app.CreateClient().GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains(expected, html, StringComparison.Ordinal);
        Assert.Contains("href=\"/reports\"", html, StringComparison.Ordinal);
        Assert.Contains("__RequestVerificationToken", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pnl_page_shows_the_same_totals_as_the_api()
    {
        var app = await fixture.HostAsync(AppFixture.Sqlite);
        var client = app.CreateClient();
        using var json = JsonDocument.Parse(await client.GetStringAsync("/api/reports/summary?preset=12m"));
        var netSales = json.RootElement.GetProperty("data").GetProperty("totals").GetProperty("netSales").GetDecimal();

        var html = await client.GetStringAsync("/reports?preset=12m");

        Assert.Contains($"data-total=\"Net sales\">\n                      {netSales.ToString("C", System.Globalization.CultureInfo.GetCultureInfo("en-US"))}", html.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Htmx_filter_requests_get_only_the_report_body()
    {
        var app = await fixture.HostAsync(AppFixture.Sqlite);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/reports?preset=lm&granularity=week");
        request.Headers.Add("HX-Request", "true");

        using var response = await app.CreateClient().SendAsync(request);

        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("<html", html, StringComparison.Ordinal);
        Assert.Contains("data-granularity=\"week\" aria-current=\"true\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_dates_are_refused_with_a_message_on_the_page()
    {
        var app = await fixture.HostAsync(AppFixture.Sqlite);

        using var response = await app.CreateClient().GetAsync("/reports/cohorts?from=2025-02-30&to=2025-03-01");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("is not a date in the form YYYY-MM-DD", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_without_data_sees_the_empty_state()
    {
        var app = await fixture.HostAsync(AppFixture.Sqlite);
        var store = await app.CreateStoreAsync();

        var html = await store.Api.GetStringAsync("/reports");

        Assert.Contains("No sales or ad data yet", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-download", html, StringComparison.Ordinal);
    }
}
