using System.Net;
using AdIntel.Web.Tests.Metrics;
using static AdIntel.Web.Tests.Metrics.StoreDataBuilder;

namespace AdIntel.Web.Tests.Pages.Overview;

[Collection(AppCollection.Name)]
public sealed class OverviewPageTests(AppFixture fixture)
{
    private static readonly DateOnly Day = new(2025, 6, 1);

    /// <summary>A store with one order and two campaigns on 2025-06-01: one that earns its spend back, one that does not.</summary>
    private static async Task<TestStore> StoreWithDataAsync(AdIntelApp app)
    {
        var store = await app.CreateStoreAsync();
        var customer = await app.AddCustomerAsync(store.StoreId, "pat");
        await app.AddOrdersAsync(store.StoreId, Order("1", Day, customer, shipping: 10, lines: [Line(2, 100, 40)]));
        var ads = await app.AddCampaignsAsync(store.StoreId, "Winners", "Losers");
        await app.AddInsightsAsync(store.StoreId,
            Insight(ads["Winners"], Day, 20, 210),
            Insight(ads["Losers"], Day, 50, 10));
        await app.RebuildFactsAsync(store.StoreId);
        return store;
    }

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Get_without_htmx_renders_the_full_page_with_cards_chart_and_campaigns(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var store = await StoreWithDataAsync(app);

        var response = await store.Api.GetAsync("/?from=2025-06-01&to=2025-06-01");
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<html", html);
        Assert.Contains("HX-Request", response.Headers.Vary);
        Assert.Contains("id=\"overview\"", html);
        // Total sales 200 + 10 shipping; spend 70; MER 3.00; the formula is on hover and in accessible text.
        Assert.Contains("$210.00", html);
        Assert.Contains("$70.00", html);
        Assert.Contains("3.00×", html);
        Assert.Contains("title=\"Total sales ÷ marketing spend\"", html);
        Assert.Contains("Formula: Total sales ÷ marketing spend.", html);
        Assert.Contains("<svg class=\"chart\"", html);
        Assert.Contains("<details class=\"chart-table\"", html);
        var best = html.IndexOf("<caption>Best</caption>", StringComparison.Ordinal);
        var worst = html.IndexOf("<caption>Worst</caption>", StringComparison.Ordinal);
        Assert.InRange(html.IndexOf("Winners", StringComparison.Ordinal), best, worst);
        Assert.True(html.IndexOf("Losers", StringComparison.Ordinal) > worst);
        Assert.Contains("Meta-attributed purchase value", html);
    }

    [Fact]
    public async Task Get_from_htmx_renders_only_the_body_fragment()
    {
        var app = await fixture.HostAsync(AppFixture.Sqlite);
        var store = await StoreWithDataAsync(app);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/?from=2025-06-01&to=2025-06-01");
        request.Headers.Add("HX-Request", "true");

        var response = await store.Api.SendAsync(request);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("<html", html);
        Assert.DoesNotContain("<h1>Overview</h1>", html);
        Assert.Contains("class=\"kpi-grid\"", html);
        Assert.Contains("$210.00", html);
        Assert.Contains("HX-Request", response.Headers.Vary);
    }

    [Fact]
    public async Task Get_from_htmx_history_restore_renders_the_full_page()
    {
        var app = await fixture.HostAsync(AppFixture.Sqlite);
        var store = await StoreWithDataAsync(app);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/?preset=7d");
        request.Headers.Add("HX-Request", "true");
        request.Headers.Add("HX-History-Restore-Request", "true");

        var html = await (await store.Api.SendAsync(request)).Content.ReadAsStringAsync();

        Assert.Contains("<html", html);
    }

    [Fact]
    public async Task Get_offers_presets_as_links_and_custom_dates_as_a_get_form_enhanced_by_htmx()
    {
        var app = await fixture.HostAsync(AppFixture.Sqlite);
        var store = await StoreWithDataAsync(app);

        var html = await store.Api.GetStringAsync("/?preset=90d");

        Assert.Contains("href=\"/?preset=7d\" hx-get=\"/?preset=7d\" hx-target=\"#overview\" hx-push-url=\"true\"", html);
        Assert.Matches("<a href=\"/\\?preset=90d\"[^>]*aria-current=\"true\"", html);
        Assert.DoesNotMatch("<a href=\"/\\?preset=7d\"[^>]*aria-current", html);
        Assert.Contains("<form class=\"range-form\" method=\"get\" action=\"/\" hx-get=\"/\" hx-target=\"#overview\" hx-push-url=\"true\">", html);
        Assert.Contains("name=\"from\"", html);
    }

    [Fact]
    public async Task Get_for_a_store_without_data_shows_the_empty_state_linking_to_imports()
    {
        var app = await fixture.HostAsync(AppFixture.Sqlite);
        var store = await app.CreateStoreAsync();

        var html = await store.Api.GetStringAsync("/");

        Assert.Contains("empty-state", html);
        Assert.Contains("href=\"/imports\"", html);
        Assert.DoesNotContain("kpi-grid", html);
    }

    [Fact]
    public async Task Get_with_a_bad_date_answers_400_and_says_what_is_wrong()
    {
        var app = await fixture.HostAsync(AppFixture.Sqlite);
        var store = await StoreWithDataAsync(app);

        var response = await store.Api.GetAsync("/?from=2025-06-09&to=2025-06-01");
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("role=\"alert\"", html);
        Assert.Contains("from (2025-06-09) is after to (2025-06-01).", html);
        Assert.Contains("<form class=\"range-form\"", html);
    }
}
