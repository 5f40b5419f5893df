using System.Net;
using System.Text.RegularExpressions;
using AdIntel.Web.Domain;

namespace AdIntel.Web.Tests.Pages.Campaigns;

[Collection(AppCollection.Name)]
public sealed partial class CampaignsPageTests(AppFixture fixture)
{
    [Fact]
    public async Task Index_renders_the_full_page_and_htmx_gets_only_the_report()
    {
        var app = fixture.SqliteApp;
        var store = await app.CreateStoreAsync(StoreRole.Viewer);
        await KnownCampaigns.SeedAsync(app, store.StoreId);

        var page = await store.Api.GetAsync("/campaigns?" + KnownCampaigns.Range);
        var fragment = await SendAsync(store.Api, "/campaigns?" + KnownCampaigns.Range, ("HX-Request", "true"));
        var restore = await SendAsync(store.Api, "/campaigns?" + KnownCampaigns.Range, ("HX-Request", "true"), ("HX-History-Restore-Request", "true"));

        var pageHtml = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<html", pageHtml, StringComparison.Ordinal);
        Assert.Contains("id=\"report\"", pageHtml, StringComparison.Ordinal);
        Assert.Contains("HX-Request", page.Headers.Vary);

        var fragmentHtml = await fragment.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, fragment.StatusCode);
        Assert.DoesNotContain("<html", fragmentHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("class=\"topbar\"", fragmentHtml, StringComparison.Ordinal);
        Assert.Contains("id=\"report\"", fragmentHtml, StringComparison.Ordinal);
        Assert.Contains("<title>Campaigns · AdIntel</title>", fragmentHtml, StringComparison.Ordinal);
        Assert.Contains("HX-Request", fragment.Headers.Vary);

        Assert.Contains("<html", await restore.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Index_shows_money_ratios_and_dashes_for_empty_ratios()
    {
        var app = fixture.SqliteApp;
        var store = await app.CreateStoreAsync();
        var known = await KnownCampaigns.SeedAsync(app, store.StoreId);

        var html = await store.Api.GetStringAsync("/campaigns?" + KnownCampaigns.Range);

        var prospecting = RowCells(html, known.Prospecting);
        Assert.Equal("$35.00", prospecting["spend"]);
        Assert.Equal("4.00×", prospecting["roas"]);
        Assert.Equal("$11.67", prospecting["cpa"]);
        Assert.Equal("1.25%", prospecting["ctr"]);
        Assert.Equal("1.21", prospecting["frequency"]);
        Assert.Equal("$100.00", prospecting["dailyBudget"]);
        var brand = RowCells(html, known.Brand);
        Assert.Equal("—", brand["roas"]);
        Assert.Equal("—", brand["cpa"]);
        Assert.Equal("$0.00", brand["spend"]);
        Assert.Contains($"href=\"/campaigns/{known.Prospecting}?from=2025-03-01&amp;to=2025-03-03\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sort_links_order_the_rows_and_mark_the_column()
    {
        var app = fixture.SqliteApp;
        var store = await app.CreateStoreAsync();
        var known = await KnownCampaigns.SeedAsync(app, store.StoreId);

        var bySpend = await store.Api.GetStringAsync("/campaigns?" + KnownCampaigns.Range);
        var byNameDesc = await store.Api.GetStringAsync("/campaigns?" + KnownCampaigns.Range + "&sort=name&dir=desc");

        Assert.Equal([known.Prospecting, known.Retargeting, known.Brand], RowIds(bySpend));
        Assert.Equal([known.Retargeting, known.Prospecting, known.Brand], RowIds(byNameDesc));
        Assert.Matches("<th [^>]*class=\"name\" aria-sort=\"descending\"", byNameDesc);
        // Clicking the sorted column again flips it; another column starts at its natural direction.
        Assert.Contains("href=\"/campaigns?from=2025-03-01&amp;to=2025-03-03&amp;sort=name&amp;dir=asc\"", byNameDesc, StringComparison.Ordinal);
        Assert.Contains("href=\"/campaigns?from=2025-03-01&amp;to=2025-03-03&amp;sort=spend&amp;dir=asc\"", bySpend, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drill_down_shows_ad_sets_then_ads_with_breadcrumbs()
    {
        var app = fixture.SqliteApp;
        var store = await app.CreateStoreAsync();
        var known = await KnownCampaigns.SeedAsync(app, store.StoreId);

        var campaign = await store.Api.GetStringAsync($"/campaigns/{known.Retargeting}?{KnownCampaigns.Range}");
        var adSet = await store.Api.GetStringAsync($"/campaigns/{known.Prospecting}/adsets/{known.Broad}?{KnownCampaigns.Range}");

        Assert.Equal([known.Visitors, known.Cart], RowIds(campaign));
        Assert.Contains($"href=\"/campaigns/{known.Retargeting}/adsets/{known.Cart}?from=2025-03-01&amp;to=2025-03-03\"", campaign, StringComparison.Ordinal);
        Assert.Matches("<h1[^>]*>Retargeting</h1>", campaign);

        Assert.Equal([known.Video, known.Static], RowIds(adSet));
        Assert.Contains("class=\"breadcrumbs\"", adSet, StringComparison.Ordinal);
        Assert.Contains($"href=\"/campaigns/{known.Prospecting}?from=2025-03-01&amp;to=2025-03-03\"", adSet, StringComparison.Ordinal);
        Assert.Equal("$30.00", RowCells(adSet, known.Video)["spend"]);
    }

    [Fact]
    public async Task Other_stores_campaign_page_is_not_found()
    {
        var app = fixture.SqliteApp;
        var owner = await app.CreateStoreAsync();
        var known = await KnownCampaigns.SeedAsync(app, owner.StoreId);
        var stranger = await app.CreateStoreAsync();

        var campaign = await stranger.Api.GetAsync($"/campaigns/{known.Prospecting}");
        var adSet = await stranger.Api.GetAsync($"/campaigns/{known.Prospecting}/adsets/{known.Broad}");
        var wrongParent = await owner.Api.GetAsync($"/campaigns/{known.Retargeting}/adsets/{known.Broad}");

        Assert.Equal(HttpStatusCode.NotFound, campaign.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, adSet.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, wrongParent.StatusCode);
    }

    [Fact]
    public async Task Store_without_ad_data_gets_the_empty_state_pointing_to_imports()
    {
        var store = await fixture.SqliteApp.CreateStoreAsync();

        var html = await store.Api.GetStringAsync("/campaigns");

        Assert.Contains("class=\"empty-state\"", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/imports\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<table", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unusable_range_falls_back_to_the_default_and_says_why()
    {
        var store = await fixture.SqliteApp.CreateStoreAsync();

        var response = await store.Api.GetAsync("/campaigns?from=2025-03-09&to=2025-03-01");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("class=\"banner warning\"", html, StringComparison.Ordinal);
        Assert.Matches("data-preset=\"30d\"\\s+aria-current=\"true\"", html);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string url, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }
        return await client.SendAsync(request);
    }

    private static long[] RowIds(string html) =>
        RowPattern().Matches(html).Select(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    /// <summary>The metric cells of one table row, by data-metric key, as displayed.</summary>
    private static Dictionary<string, string> RowCells(string html, long id)
    {
        var start = html.IndexOf($"data-id=\"{id}\">", StringComparison.Ordinal);
        Assert.True(start >= 0, $"row {id} is missing");
        var row = html[start..html.IndexOf("</tr>", start, StringComparison.Ordinal)];
        return CellPattern().Matches(row).ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value.Trim()));
    }

    // Scoped CSS adds an attribute (b-xxxxxxxxxx) to every element of the partial.
    [GeneratedRegex("<tr [^>]*data-id=\"(\\d+)\">")]
    private static partial Regex RowPattern();

    [GeneratedRegex("<td [^>]*class=\"num\" data-metric=\"(\\w+)\"[^>]*>([^<]*)</td>")]
    private static partial Regex CellPattern();
}
