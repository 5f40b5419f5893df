using System.Globalization;
using System.Net;
using AdIntel.Web.Domain;
using AdIntel.Web.Ingestion;
using AdIntel.Web.Tests.Brain.Recommendations;
using AdIntel.Web.Tests.Security;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Tests.Pages.Campaigns;

/// <summary>
/// An ad's page (<c>/campaigns/{id}/adsets/{adSetId}/ads/{adId}</c>): linked from its ad set's rows, it shows the ad's
/// creative and delivery; marketers pause it there with the campaign screens' own handler, viewers only read; another
/// store's ad, or an ad under the wrong ad set, is not found.
/// </summary>
[Collection(LocalAppCollection.Name)]
public sealed class AdPageTests(AppFixture fixture)
{
    [Fact]
    public async Task The_demo_ads_page_shows_its_creative_and_is_linked_from_its_ad_set()
    {
        var app = fixture.SqliteApp;
        var ad = await app.WithDbAsync(app.DemoStoreId, db => db.Ads.AsNoTracking()
            .Join(db.AdCreatives, a => a.Id, c => c.AdId, (a, c) => new { a.Id, a.CampaignId, a.AdSetId, a.Name, c.Headline, c.PrimaryText })
            .OrderBy(a => a.Id).FirstAsync());
        var client = app.CreateClient();
        var path = $"/campaigns/{ad.CampaignId}/adsets/{ad.AdSetId}/ads/{ad.Id}";

        var adSetPage = await client.GetStringAsync($"/campaigns/{ad.CampaignId}/adsets/{ad.AdSetId}?preset=30d");
        Assert.Contains($"href=\"{path}?preset=30d\"", adSetPage, StringComparison.Ordinal);

        var html = await client.GetStringAsync(path + "?preset=90d");
        Assert.Contains("data-testid=\"ad-creative\"", html, StringComparison.Ordinal);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(ad.Headline!), html, StringComparison.Ordinal);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(ad.PrimaryText!), html, StringComparison.Ordinal);
        Assert.Contains($"/api/creatives/{ad.Id}/thumbnail.svg", html, StringComparison.Ordinal);
        Assert.Contains("data-metric=\"roas\"", html, StringComparison.Ordinal);
        Assert.Contains("aria-label=\"Breadcrumb\"", html, StringComparison.Ordinal);
        // The demo owner may pause it: the campaign screens' controls, posting to this page.
        Assert.Contains("data-testid=\"manual-controls\"", html, StringComparison.Ordinal);
        Assert.Contains($"action=\"{path}?preset=90d&amp;handler=Change\"", html, StringComparison.Ordinal);

        var otherAdSet = await app.WithDbAsync(app.DemoStoreId, db => db.AdSets.Where(s => s.Id != ad.AdSetId).Select(s => new { s.Id, s.CampaignId }).FirstAsync());
        using var wrongAdSet = await client.GetAsync($"/campaigns/{otherAdSet.CampaignId}/adsets/{otherAdSet.Id}/ads/{ad.Id}");
        Assert.Equal(HttpStatusCode.NotFound, wrongAdSet.StatusCode);

        var other = await app.CreateStoreAsync(StoreRole.Owner);
        using var foreign = await other.Api.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
    }

    [Fact]
    public async Task A_marketer_pauses_the_ad_from_its_page_and_a_viewer_only_reads_it()
    {
        var local = await fixture.LocalAsync(AppFixture.Sqlite);
        var (store, _, losers, loserAd) = await WinnersAndLosers.CreateAsync(local.App);
        await local.App.WithServiceAsync<AdCreativeWriter, AdCreativeWriteResult>(store.StoreId, writer => writer.UpsertAsync(
            [new IncomingAdCreative($"a-Losing static-{store.StoreId}", "cr-1", CreativeFormats.Image, "Cold feet? Merino socks that stay dry.", "Warm feet, all day",
                null, "SHOP_NOW", null, "https://shop.example.com/socks")], CancellationToken.None));
        var marketer = await local.CreateMemberAsync(store.StoreId, StoreRole.Marketer);
        var viewer = await local.CreateMemberAsync(store.StoreId, StoreRole.Viewer);
        var page = $"/campaigns/{store.CampaignId}/adsets/{losers}/ads/{loserAd}?preset=7d";

        var browser = await local.SignInAsync(marketer.Email);
        var html = await browser.Client.GetStringAsync(page);
        Assert.Contains("Warm feet, all day", html, StringComparison.Ordinal);
        Assert.Contains("Shop now", html, StringComparison.Ordinal);
        Assert.Contains("shop.example.com", html, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"dailyBudget\"", html, StringComparison.Ordinal);

        using var paused = await browser.PostHtmxAsync(page + "&handler=Change", ("scope", "ad"), ("entityId", loserAd.ToString(CultureInfo.InvariantCulture)), ("status", "paused"));
        Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
        var fragment = await paused.Content.ReadAsStringAsync();
        Assert.Contains("Changed by hand. Status ACTIVE → PAUSED.", fragment, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"ad-creative\"", fragment, StringComparison.Ordinal);
        Assert.Equal(EntityStatus.Paused, await local.App.WithDbAsync(store.StoreId, db => db.Ads.Where(a => a.Id == loserAd).Select(a => a.Status).SingleAsync()));

        var viewerBrowser = await local.SignInAsync(viewer.Email);
        var read = await viewerBrowser.Client.GetStringAsync(page);
        Assert.Contains("Warm feet, all day", read, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"manual-controls\"", read, StringComparison.Ordinal);
        using var refused = await viewerBrowser.PostHtmxAsync(page + "&handler=Change", ("scope", "ad"), ("entityId", loserAd.ToString(CultureInfo.InvariantCulture)), ("status", "active"));
        Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);
        Assert.Equal(EntityStatus.Paused, await local.App.WithDbAsync(store.StoreId, db => db.Ads.Where(a => a.Id == loserAd).Select(a => a.Status).SingleAsync()));

        // An ad without a creative yet says where it comes from.
        var winnersAd = await local.App.WithDbAsync(store.StoreId, db => db.Ads.Where(a => a.Id != loserAd).Select(a => new { a.Id, a.AdSetId }).SingleAsync());
        var bare = await browser.Client.GetStringAsync($"/campaigns/{store.CampaignId}/adsets/{winnersAd.AdSetId}/ads/{winnersAd.Id}");
        Assert.Contains("No creative yet", bare, StringComparison.Ordinal);
    }
}
