using System.Net;
using Microsoft.EntityFrameworkCore;
using static AdIntel.Web.Tests.Imports.ImportTestFiles;

namespace AdIntel.Web.Tests.Imports;

[Collection(AppCollection.Name)]
public sealed class MetaAdsImportTests(AppFixture fixture)
{
    /// <summary>An export without id columns, with Reporting starts/ends, a non-USD spend column and a breakdown (two rows for one ad day).</summary>
    private const string NamesOnlyExport = """
        Reporting starts,Reporting ends,Campaign name,Ad set name,Ad name,Amount spent (EUR),Impressions,Link clicks,Website purchases,Website purchases conversion value,Results
        2024-03-01,2024-03-01,Spring Sale,Lookalike 1%,Video A,10.50,1000,12,1,40.00,1
        2024-03-01,2024-03-01,Spring Sale,Lookalike 1%,Video A,4.50,500,3,,,
        2024-03-02,2024-03-02,Spring Sale,Lookalike 1%,Video A,12.00,1100,9,2,80.00,2
        2024-03-01,2024-03-01,Spring Sale,Broad,Video A,7.25,800,5,0,0,0
        """;

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Import_daily_export_creates_hierarchy_and_daily_insights(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var store = await app.CreateStoreAsync();

        var data = await ImportAsync(store.Api, MetaPath, Read(MetaAds));

        Assert.Equal(10, data.Int("rowsRead"));
        Assert.Equal(9, data.Int("daysImported"));
        Assert.Equal(4, data.Int("campaignsCreated"));
        Assert.Equal(4, data.Int("adSetsCreated"));
        Assert.Equal(4, data.Int("adsCreated"));
        Assert.Equal(10, data.Int("insightsCreated"));
        Assert.Equal(0, data.Int("insightsUpdated"));
        Assert.Equal(0, data.Int("skipped"));
        Assert.Empty(data.Messages("errors"));
        await app.WithDbAsync(store.StoreId, async db =>
        {
            var account = await db.AdAccounts.SingleAsync();
            Assert.Equal("csv-import", account.ExternalId);
            var ad = await db.Ads.SingleAsync(a => a.ExternalId == "6215762744671");
            Assert.Equal("Spring sale image", ad.Name);
            var adSet = await db.AdSets.SingleAsync(s => s.Id == ad.AdSetId);
            Assert.Equal("6215762732871", adSet.ExternalId);
            var campaign = await db.Campaigns.SingleAsync(c => c.Id == ad.CampaignId);
            Assert.Equal(("6215762731271", "Spring Sale", account.Id), (campaign.ExternalId, campaign.Name, campaign.AdAccountId));
            var insight = await db.AdInsights.SingleAsync(i => i.AdId == ad.Id);
            Assert.Equal(new DateOnly(2024, 3, 2), insight.Date);
            Assert.Equal(144m, insight.Spend);
            Assert.Equal((10701L, 242L, 27L), (insight.Impressions, insight.Reach, insight.LinkClicks));
            Assert.Equal(44.2190m, insight.Frequency);
            Assert.Equal((3m, 187.50m), (insight.Purchases, insight.PurchaseValue));
            Assert.Equal(643.63m, (await db.AdInsights.Select(i => i.Spend).ToListAsync()).Sum());
        });
    }

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Import_same_export_twice_changes_nothing_and_corrections_update(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var store = await app.CreateStoreAsync();
        var csv = Read(MetaAds);
        await ImportAsync(store.Api, MetaPath, csv);

        var again = await ImportAsync(store.Api, MetaPath, csv);
        Assert.Equal((0, 0, 0, 10), (again.Int("adsCreated"), again.Int("insightsCreated"), again.Int("insightsUpdated"), again.Int("insightsUnchanged")));

        // Meta restates a day's numbers later: the ad day is updated, not added again.
        var corrected = await ImportAsync(store.Api, MetaPath, csv.Replace(",active,144.,10701,", ",active,150.25,10950,", StringComparison.Ordinal));
        Assert.Equal((0, 1, 9), (corrected.Int("insightsCreated"), corrected.Int("insightsUpdated"), corrected.Int("insightsUnchanged")));
        await app.WithDbAsync(store.StoreId, async db =>
        {
            Assert.Equal(10, await db.AdInsights.CountAsync());
            Assert.Equal(4, await db.Ads.CountAsync());
            var insight = await db.AdInsights.SingleAsync(i => i.Date == new DateOnly(2024, 3, 2));
            Assert.Equal((150.25m, 10950L), (insight.Spend, insight.Impressions));
        });
    }

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Import_names_only_export_derives_stable_ids_and_adds_up_breakdown_rows(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var store = await app.CreateStoreAsync();

        var data = await ImportAsync(store.Api, MetaPath, NamesOnlyExport);

        Assert.Equal((1, 2, 2, 3), (data.Int("campaignsCreated"), data.Int("adSetsCreated"), data.Int("adsCreated"), data.Int("insightsCreated")));
        var warnings = data.Messages("warnings").Select(w => w.Message).ToList();
        Assert.Contains(warnings, w => w.Contains("added up", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("EUR", StringComparison.Ordinal));
        await app.WithDbAsync(store.StoreId, async db =>
        {
            var ads = await db.Ads.ToListAsync();
            Assert.All(ads, a => Assert.Matches("^name:[0-9a-f]{24}$", a.ExternalId));
            // The same ad name in two ad sets is two ads.
            Assert.Equal(2, ads.Select(a => a.ExternalId).Distinct().Count());
            var firstDay = await db.AdInsights.Where(i => i.Date == new DateOnly(2024, 3, 1)).ToListAsync();
            var summed = Assert.Single(firstDay, i => i.Spend == 15m);
            Assert.Equal((1500L, 15L, 1m, 40m), (summed.Impressions, summed.LinkClicks, summed.Purchases, summed.PurchaseValue));
        });

        var again = await ImportAsync(store.Api, MetaPath, NamesOnlyExport);
        Assert.Equal((0, 0, 0, 3), (again.Int("adsCreated"), again.Int("insightsCreated"), again.Int("insightsUpdated"), again.Int("insightsUnchanged")));
    }

    [Fact]
    public async Task Import_bad_row_rejects_its_ad_day_with_the_line_and_keeps_the_rest()
    {
        var store = await fixture.SqliteApp.CreateStoreAsync();
        var csv = NamesOnlyExport.Replace("4.50,500", "4.5O,500", StringComparison.Ordinal).Replace("12.00,1100", "12.00,-5", StringComparison.Ordinal);

        var data = await ImportAsync(store.Api, MetaPath, csv);

        var errors = data.Messages("errors");
        Assert.Equal([3, 4], errors.Select(e => e.Line));
        Assert.Contains("Amount spent “4.5O” is not an amount", errors[0].Message);
        Assert.Contains("other rows for 2024-03-01 were not imported", errors[0].Message);
        Assert.Contains("Impressions", errors[1].Message);
        Assert.Equal(3, data.Int("skipped"));
        Assert.Equal(1, data.Int("insightsCreated"));
    }

    [Fact]
    public async Task Import_without_daily_breakdown_is_refused_with_how_to_export()
    {
        var store = await fixture.SqliteApp.CreateStoreAsync();
        const string monthly = """
            Reporting starts,Reporting ends,Campaign name,Ad set name,Ad name,Amount spent (USD)
            2024-03-01,2024-03-31,Spring Sale,Broad,Video A,310.00
            """;

        using var response = await UploadAsync(store.Api, MetaPath, monthly);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var error = await ErrorAsync(response);
        Assert.Equal("not_daily_breakdown", error.GetProperty("code").GetString());
        Assert.Contains("By time → Day", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Import_shopify_file_as_meta_ads_says_which_import_it_belongs_to()
    {
        var store = await fixture.SqliteApp.CreateStoreAsync();

        using var response = await UploadAsync(store.Api, MetaPath, Read(ShopifyOrders));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var error = await ErrorAsync(response);
        Assert.Equal("missing_columns", error.GetProperty("code").GetString());
        Assert.Contains("Shopify orders export", error.GetProperty("message").GetString());
    }
}
