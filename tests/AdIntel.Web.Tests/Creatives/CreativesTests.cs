using System.Net;
using AdIntel.Web.Domain;
using AdIntel.Web.Ingestion;
using AdIntel.Web.Pages.Creatives;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Tests.Creatives;

/// <summary>
/// Creatives as first-class data: the demo store has one for every ad, the Creatives page shows the signed-in store's
/// creatives as cards (never another store's), and thumbnails are drawn by the app for its own store's ads only.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class CreativesTests(AppFixture fixture)
{
    [Fact]
    public async Task The_demo_store_has_a_creative_with_copy_for_every_ad()
    {
        var app = fixture.SqliteApp;
        var (ads, creatives) = await app.WithDbAsync(app.DemoStoreId, async db =>
            (await db.Ads.CountAsync(), await db.AdCreatives.AsNoTracking().ToListAsync()));
        var orphans = await app.WithDbAsync(app.DemoStoreId, db => db.Ads.CountAsync(a => !db.AdCreatives.Any(c => c.AdId == a.Id)));

        Assert.True(ads > 0);
        Assert.Equal(0, orphans);
        Assert.Equal(ads, creatives.Count);
        Assert.All(creatives, c =>
        {
            Assert.False(string.IsNullOrWhiteSpace(c.PrimaryText));
            Assert.False(string.IsNullOrWhiteSpace(c.Headline));
            Assert.DoesNotContain("{{", c.Headline, StringComparison.Ordinal);
            Assert.NotNull(c.CallToAction);
            Assert.Contains(c.Format, CreativeFormats.All);
            Assert.StartsWith("https://demo-outfitters.myshopify.com/", c.Link, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task The_page_shows_the_stores_creatives_as_cards_and_never_another_stores()
    {
        var app = fixture.SqliteApp;
        var store = await app.CreateStoreAsync(StoreRole.Viewer);
        var headline = "Own headline " + Guid.NewGuid().ToString("N")[..8];
        await WriteAdWithCreativeAsync(app, store.StoreId, headline);
        var demoHeadline = await app.WithDbAsync(app.DemoStoreId, db => db.AdCreatives.Select(c => c.Headline).FirstAsync());

        var own = await store.Api.GetStringAsync("/creatives?all=true");
        Assert.Contains(headline, own);
        Assert.Contains("Shop now", own);
        Assert.DoesNotContain(demoHeadline!, own);
        Assert.DoesNotContain("Demo Outfitters", own);

        var demo = await app.CreateClient().GetStringAsync("/creatives?preset=90d");
        Assert.Contains("class=\"card creative-card\"", demo);
        Assert.Contains("/thumbnail.svg", demo);
        Assert.Contains("ROAS", demo);
        Assert.DoesNotContain(headline, demo);

        using var badFormat = await store.Api.GetAsync("/creatives?format=gif");
        Assert.Equal(HttpStatusCode.BadRequest, badFormat.StatusCode);
        Assert.Contains("Unknown format", await badFormat.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_thumbnail_is_an_svg_drawn_by_the_app_and_another_stores_ad_is_not_found()
    {
        var app = fixture.SqliteApp;
        var demoAd = await app.WithDbAsync(app.DemoStoreId, db => db.Ads.OrderBy(a => a.Id).Select(a => new { a.Id, a.Name }).FirstAsync());

        using var response = await app.CreateClient().GetAsync(CreativeThumbnail.Path(demoAd.Id));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("private", response.Headers.CacheControl?.ToString());
        var svg = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("<svg", svg, StringComparison.Ordinal);
        Assert.Contains(System.Security.SecurityElement.Escape(demoAd.Name), svg);
        Assert.DoesNotContain("http://", svg.Replace("http://www.w3.org/2000/svg", "", StringComparison.Ordinal), StringComparison.Ordinal);

        var other = await app.CreateStoreAsync(StoreRole.Viewer);
        using var foreign = await other.Api.GetAsync(CreativeThumbnail.Path(demoAd.Id));
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
    }

    private static async Task WriteAdWithCreativeAsync(AdIntelApp app, long storeId, string headline)
    {
        var account = new IncomingAdAccount("act_555", "Own account", "USD");
        await app.WithServiceAsync<MetaAdsWriter, AdStructureWriteResult>(storeId, writer => writer.UpsertStructureAsync(new IncomingAdStructure(
            [account], [new IncomingCampaign("c-1", account.ExternalId, "Own campaign", null)], [new IncomingAdSet("s-1", "c-1", "Own ad set", null)],
            [new IncomingAd("a-1", "s-1", "Own ad", null)]), CancellationToken.None));
        var written = await app.WithServiceAsync<AdCreativeWriter, AdCreativeWriteResult>(storeId, writer => writer.UpsertAsync(
            [new IncomingAdCreative("a-1", "cr-1", CreativeFormats.Image, "Own primary text", headline, "Own description", "SHOP_NOW", null,
                "https://shop.example.com/own")], CancellationToken.None));
        Assert.Equal(1, written.Created);
        var again = await app.WithServiceAsync<AdCreativeWriter, AdCreativeWriteResult>(storeId, writer => writer.UpsertAsync(
            [new IncomingAdCreative("a-1", "cr-1", CreativeFormats.Image, "Own primary text", headline, "Own description", "SHOP_NOW", null,
                "https://shop.example.com/own")], CancellationToken.None));
        Assert.Equal(1, again.Unchanged);
    }
}
