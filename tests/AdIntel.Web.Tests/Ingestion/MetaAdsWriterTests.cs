using AdIntel.Web.Domain;
using AdIntel.Web.Ingestion;
using Microsoft.EntityFrameworkCore;
using static AdIntel.Web.Tests.Imports.ImportTestFiles;

namespace AdIntel.Web.Tests.Ingestion;

/// <summary>
/// The Ads Manager export and the Meta sync write through the one <see cref="MetaAdsWriter"/>: entities the export
/// created are the sync's, and a range of days the sync holds whole is exactly Meta's afterwards.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class MetaAdsWriterTests(AppFixture fixture)
{
    private const string Campaign = "6215304559271";
    private const string AdSet = "6215304564071";
    private const string Ad = "6215304566671";

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Entities_from_an_export_are_taken_over_by_the_sync_and_its_range_replaces_their_days(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var store = await app.CreateStoreAsync();
        var csv = Read(MetaAds);
        await ImportAsync(store.Api, MetaPath, csv);

        // The sync of account act_42, which holds the export's retargeting campaign: Meta's settings for it, and its days
        // of 4–6 March: the 4th in two rows (a report across a change of attribution) adding up to the export's numbers,
        // the 5th restated, the 6th gone.
        var start = new DateOnly(2024, 2, 20);
        var (structure, insights) = await app.WithServiceAsync<MetaAdsWriter, (AdStructureWriteResult, InsightWriteResult)>(store.StoreId, async writer =>
        {
            var written = await writer.UpsertStructureAsync(new IncomingAdStructure(
                [new IncomingAdAccount("act_42", "Outfitters", "USD")],
                [new IncomingCampaign(Campaign, "act_42", "Retargeting - 30d", new AdDelivery(EntityStatus.Paused, null, start))],
                [new IncomingAdSet(AdSet, Campaign, "Site visitors 30d", new AdDelivery(EntityStatus.Active, 40m, start))],
                [new IncomingAd(Ad, AdSet, "Tote carousel", new AdDelivery(EntityStatus.Active, null, start))]), CancellationToken.None);
            var days = await writer.UpsertInsightsAsync(
            [
                new IncomingAdInsightDay { AdExternalId = Ad, Date = new DateOnly(2024, 3, 4), Spend = 30m, Impressions = 1500, Reach = 300, LinkClicks = 6, Purchases = 1, PurchaseValue = 45m },
                new IncomingAdInsightDay { AdExternalId = Ad, Date = new DateOnly(2024, 3, 4), Spend = 25.26m, Impressions = 1075, Reach = 154, LinkClicks = 4 },
                new IncomingAdInsightDay { AdExternalId = Ad, Date = new DateOnly(2024, 3, 5), Spend = 60m, Impressions = 2537, Reach = 235, LinkClicks = 13 },
            ], new InsightRange("act_42", new DateOnly(2024, 3, 4), new DateOnly(2024, 3, 6)), CancellationToken.None);
            return (written, days);
        });

        Assert.Equal(new AdStructureWriteResult(0, 0, 0), structure);
        Assert.Equal(new InsightWriteResult(Created: 0, Updated: 1, Unchanged: 1, Deleted: 1, UnknownAds: 0), insights);
        await AssertSyncedAsync();
        await app.WithDbAsync(store.StoreId, async db =>
        {
            var adId = await db.Ads.Where(a => a.ExternalId == Ad).Select(a => a.Id).SingleAsync();
            var days = await db.AdInsights.AsNoTracking().Where(i => i.AdId == adId).OrderBy(i => i.Date).ToListAsync();
            Assert.Equal([(new DateOnly(2024, 3, 4), 55.26m, 5.6718m), (new DateOnly(2024, 3, 5), 60m, 10.7957m)],
                days.Select(d => (d.Date, d.Spend, d.Frequency)));
            // The export's other campaigns are in no range the sync held: their days are untouched.
            Assert.Equal(9, await db.AdInsights.CountAsync());
        });

        // The export again: its days come back, but the campaign stays in the synced account with Meta's settings.
        var again = await ImportAsync(store.Api, MetaPath, csv);

        Assert.Equal((0, 1, 1, 8), (again.Int("campaignsCreated"), again.Int("insightsCreated"), again.Int("insightsUpdated"), again.Int("insightsUnchanged")));
        await AssertSyncedAsync();

        async Task AssertSyncedAsync() => await app.WithDbAsync(store.StoreId, async db =>
        {
            var campaign = await db.Campaigns.AsNoTracking().SingleAsync(c => c.ExternalId == Campaign);
            var account = await db.AdAccounts.AsNoTracking().SingleAsync(a => a.Id == campaign.AdAccountId);
            Assert.Equal(("act_42", "Outfitters", EntityStatus.Paused, start), (account.ExternalId, account.Name, campaign.Status, campaign.StartDate));
            var adSet = await db.AdSets.AsNoTracking().SingleAsync(s => s.ExternalId == AdSet);
            Assert.Equal((40m, campaign.Id), (adSet.DailyBudget, adSet.CampaignId));
            // Meta's budget differs from none: the learning phase restarts.
            Assert.NotNull(adSet.LastSignificantEditAtUtc);
            Assert.Equal(4, await db.Campaigns.CountAsync());
        });
    }
}
