using System.Net;
using AdIntel.Fakes;
using AdIntel.Fakes.Meta;
using AdIntel.Web.Domain;
using AdIntel.Web.Integrations.Meta.Sync;
using AdIntel.Web.Tests.Security;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Tests.Integrations.Meta;

/// <summary>
/// After the ads, the Meta sync reads every ad's creative (paged) and stores its copy from where Meta keeps it: the
/// link ad's story spec, the video ad's video data, and the dynamic creative's asset feed (no top-level copy there).
/// </summary>
[Collection(LocalAppCollection.Name)]
public sealed class MetaCreativesSyncTests(AppFixture fixture)
{
    [Fact]
    public async Task The_sync_stores_each_ads_creative_including_a_dynamic_creatives_asset_feed_copy()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await using var meta = await FakeServer.StartAsync(meta: FakeMetaSample.Create(today, days: 10));
        // Five rows a page: the sample's twelve ads take three pages.
        var settings = new Dictionary<string, string?>(MetaTestKit.Settings(meta)) { ["Meta:PageSize"] = "5" };
        await using var local = await fixture.StartLocalAsync(AppFixture.Sqlite, settings);
        var storeId = await local.CreateStoreAsync();
        var owner = await local.CreateMemberAsync(storeId, StoreRole.Owner);
        var browser = await local.SignInAsync(owner.Email);
        await MetaTestKit.ConnectAsync(browser, meta);
        using var choose = await browser.PostFormAsync("/integrations/meta/account", ("accountId", "100200300"));
        Assert.Equal(HttpStatusCode.Redirect, choose.StatusCode);

        var run = await MetaTestKit.WaitForSyncAsync(local.App, storeId, 1, MetaCreativesSync.SyncName);

        Assert.Equal(RunStatuses.Succeeded, run.Status);
        var stored = await local.App.WithDbAsync(storeId, db => db.AdCreatives.AsNoTracking()
            .Join(db.Ads, c => c.AdId, a => a.Id, (c, a) => new { a.ExternalId, Creative = c }).ToDictionaryAsync(x => x.ExternalId, x => x.Creative));
        var fakeAds = meta.Meta.Objects.Where(o => o.Kind == "ad").ToList();
        Assert.Equal(fakeAds.Count, stored.Count);
        foreach (var ad in fakeAds)
        {
            var creative = stored[ad.Id];
            Assert.Equal(ad.Creative!["id"]!.GetValue<string>(), creative.ExternalId);
            var campaign = meta.Meta.Find(ad.CampaignId!)!.Name;
            var (adSet, number) = (ad.Name[^3], ad.Name[^1]);
            switch (campaign)
            {
                case "Prospecting | Broad":
                    Assert.Equal((CreativeFormats.Image, $"Linen shirts {adSet}.{number}", "Breathable linen for warm days.", "Free shipping over $50", "SHOP_NOW"),
                        (creative.Format, creative.Headline, creative.PrimaryText, creative.Description, creative.CallToAction));
                    break;
                case "Retargeting | Site visitors":
                    Assert.Equal((CreativeFormats.Video, $"Linen, in motion {adSet}.{number}", "See how the fabric moves.", "Shop the summer edit", "LEARN_MORE"),
                        (creative.Format, creative.Headline, creative.PrimaryText, creative.Description, creative.CallToAction));
                    Assert.StartsWith("https://external.xx.fbcdn.net/", creative.ThumbnailUrl, StringComparison.Ordinal);
                    break;
                default:
                    Assert.Equal((CreativeFormats.Dynamic, $"Dynamic title {adSet}.{number}", $"Dynamic body {adSet}.{number}", "Free shipping over $50", "BUY_NOW"),
                        (creative.Format, creative.Headline, creative.PrimaryText, creative.Description, creative.CallToAction));
                    break;
            }
            Assert.Equal($"https://shop.example.com/products/item-{adSet}-{number}", creative.Link);
        }

        // The Creatives page shows Meta's previews, which its Content Security Policy allows from Meta's image CDN only.
        using var page = await browser.GetAsync("/creatives?all=true");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("img-src 'self' data: https://*.fbcdn.net", page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("https://external.xx.fbcdn.net/", await page.Content.ReadAsStringAsync());
        using var elsewhere = await browser.GetAsync("/campaigns");
        Assert.DoesNotContain("fbcdn", elsewhere.Headers.GetValues("Content-Security-Policy").Single());
    }
}
