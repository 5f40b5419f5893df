using AdIntel.Web.Domain;
using AdIntel.Web.Rules.Expressions;
using AdIntel.Web.Rules.Snapshots;

namespace AdIntel.Web.Tests.Rules.Snapshots;

/// <summary>
/// Window metrics, attributes and roll-ups of snapshots over a small store with known delivery (New York time, so
/// store days and UTC days differ). Data runs up to 2026-03-14; most assertions are as of 2026-03-10 11:00 local, so
/// the later rows must not leak into them (what backtests rely on).
/// </summary>
[Collection(AppCollection.Name)]
public sealed class RuleSnapshotBuilderTests(AppFixture fixture)
{
    private static readonly DateTimeOffset LoadedAsOf = new(2026, 3, 14, 15, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset AsOf = new(2026, 3, 10, 15, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = new(2026, 3, 10);

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task SnapshotAt_computes_every_window_as_the_contract_defines(string provider)
    {
        var (history, ids) = await LoadAsync(provider);
        var snapshot = history.SnapshotAt(AsOf);
        var ad = snapshot.Find(RuleScope.Ad, ids.AdWithDailyDelivery)!;

        Assert.Equal(Today, snapshot.Today);
        Assert.Equal(4, ad.Value("spend_today"));
        Assert.Equal(10, ad.Value("spend_yesterday"));
        Assert.Equal(70, ad.Value("spend_7d"));
        Assert.Equal(74, ad.Value("spend_7d_incl_today"));
        Assert.Equal(30, ad.Value("spend_3d"));
        Assert.Equal(300, ad.Value("spend_30d"));
        Assert.Equal(374, ad.Value("spend_lifetime"));
        Assert.Equal(14, ad.Value("purchases_7d"));
        Assert.Equal(3, ad.Value("roas_7d"));
        Assert.Equal(5, ad.Value("cpa_7d"));
        Assert.Equal(0.02, ad.Value("ctr_7d"));
        Assert.Equal(10, ad.Value("cpm_7d"));
        Assert.Equal(0.5, ad.Value("cpc_7d"));
        Assert.Equal(2, ad.Value("frequency_7d"));
        Assert.Equal(0, ad.Value("roas_today"));
        Assert.Equal(37, ad.Value("age_days"));
        Assert.Equal(38, ad.History.Count);
        Assert.Equal(Today, ad.History[^1].Date);
    }

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task SnapshotAt_gives_null_for_zero_denominators_and_entities_without_delivery(string provider)
    {
        var (history, ids) = await LoadAsync(provider);
        var snapshot = history.SnapshotAt(AsOf);
        var pausedAd = snapshot.Find(RuleScope.Ad, ids.PausedAd)!;
        var silentAd = snapshot.Find(RuleScope.Ad, ids.AdWithoutDelivery)!;

        Assert.Equal(0, pausedAd.Value("spend_yesterday"));
        Assert.Null(pausedAd.Value("roas_yesterday"));
        Assert.Null(pausedAd.Value("frequency_yesterday"));
        Assert.Equal(0, pausedAd.Value("ctr_yesterday"));
        Assert.Equal("PAUSED", pausedAd.Status);
        Assert.Equal(0, silentAd.Value("spend_7d"));
        Assert.Null(silentAd.Value("roas_7d"));
        Assert.Null(silentAd.Value("age_days"));
        Assert.Empty(silentAd.History);
    }

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task SnapshotAt_rolls_ads_up_to_ad_sets_campaigns_and_the_account(string provider)
    {
        var (history, ids) = await LoadAsync(provider);
        var snapshot = history.SnapshotAt(AsOf);

        Assert.Equal(4, snapshot.Entities(RuleScope.Ad).Count);
        Assert.Equal(2, snapshot.Entities(RuleScope.AdSet).Count);
        Assert.Equal(2, snapshot.Entities(RuleScope.Campaign).Count);
        var campaign = snapshot.Find(RuleScope.Campaign, ids.CampaignWithAdSetBudgets)!;
        Assert.Equal(70, campaign.Value("spend_7d"));
        Assert.Equal(147, campaign.Value("spend_14d"));
        var account = Assert.Single(snapshot.Entities(RuleScope.Account));
        Assert.Equal(70 + 140, account.Value("spend_7d"));
        Assert.Equal(ids.Account, account.Id);
        Assert.Equal("act_1", account.ExternalId);
    }

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task SnapshotAt_derives_budgets_learning_and_age_from_the_hierarchy(string provider)
    {
        var (history, ids) = await LoadAsync(provider);
        var snapshot = history.SnapshotAt(AsOf);

        // Ad set with its own budget and 14 purchases in 7 days: learning.
        var adSet = snapshot.Find(RuleScope.AdSet, ids.AdSetWithBudget)!;
        Assert.Equal(100, adSet.DailyBudget);
        Assert.Equal(1, adSet.Value("in_learning"));
        Assert.Equal(68, adSet.Value("age_days"));
        // Ad set of a CBO campaign: the campaign's budget; 70 purchases but edited 10 hours ago: learning.
        var cboAdSet = snapshot.Find(RuleScope.AdSet, ids.CboAdSet)!;
        Assert.Equal(300, cboAdSet.DailyBudget);
        Assert.Equal(70, cboAdSet.Value("purchases_7d"));
        Assert.Equal(1, cboAdSet.Value("in_learning"));
        // Ads take their ad set's budget and learning state.
        Assert.Equal(100, snapshot.Find(RuleScope.Ad, ids.AdWithDailyDelivery)!.DailyBudget);
        Assert.Equal(300, snapshot.Find(RuleScope.Ad, ids.CboAd)!.DailyBudget);
        Assert.Equal(1, snapshot.Find(RuleScope.Ad, ids.CboAd)!.Value("in_learning"));
        // Campaign without a budget: the sum of its active ad sets'; the account: the sum of its active campaigns'.
        Assert.Equal(100, snapshot.Find(RuleScope.Campaign, ids.CampaignWithAdSetBudgets)!.DailyBudget);
        Assert.Equal(400, Assert.Single(snapshot.Entities(RuleScope.Account)).DailyBudget);

        // Four days later the edit is 106 hours old and the window holds 70 purchases again: out of learning.
        var later = history.SnapshotAt(LoadedAsOf);
        Assert.Equal(0, later.Find(RuleScope.AdSet, ids.CboAdSet)!.Value("in_learning"));
        Assert.Equal(34, later.Find(RuleScope.Ad, ids.AdWithDailyDelivery)!.Value("spend_7d"));
    }

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task SnapshotAt_estimates_poas_and_nc_roas_from_the_store_profit_of_the_window(string provider)
    {
        var (history, ids) = await LoadAsync(provider);
        var ad = history.SnapshotAt(AsOf).Find(RuleScope.Ad, ids.AdWithDailyDelivery)!;

        // Store, Mar 3-9: total sales 7,000, contribution margin 7 × (1,000 − 400 COGS − 2.9% − 10 × 0.30 fees) = 3,976,
        // new customers' net sales 1,750. The ad: purchase value 210 on spend 70.
        Assert.Equal(210 * (3976.0 / 7000) / 70, ad.Value("poas_7d")!.Value, 10);
        Assert.Equal(210 * (1750.0 / 7000) / 70, ad.Value("nc_roas_7d")!.Value, 10);
        Assert.Null(ad.Value("poas_today"));
    }

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task SnapshotAt_uses_the_store_day_not_the_utc_day(string provider)
    {
        var (history, ids) = await LoadAsync(provider);

        // 02:00 UTC on the 11th is 22:00 on the 10th in New York.
        var snapshot = history.SnapshotAt(new DateTimeOffset(2026, 3, 11, 2, 0, 0, TimeSpan.Zero));

        Assert.Equal(Today, snapshot.Today);
        Assert.Equal(4, snapshot.Find(RuleScope.Ad, ids.AdWithDailyDelivery)!.Value("spend_today"));
    }

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Compiled_rules_evaluate_over_snapshot_rows(string provider)
    {
        var (history, ids) = await LoadAsync(provider);
        var snapshot = history.SnapshotAt(AsOf);
        var rule = RuleExpressionCompiler.Default.CompileCondition("roas_7d >= 3 and spend_7d < 100 and in_learning and status == 'active'");

        var matches = snapshot.Entities(RuleScope.Ad).Where(a => rule.Evaluate(a.Values)).Select(a => a.Id).ToList();

        Assert.Equal([ids.AdWithDailyDelivery], matches);
        Assert.Equal(3.0, snapshot.Find(RuleScope.Ad, ids.AdWithDailyDelivery)!.Value("roas_7d"));
    }

    private sealed record Ids(long Account, long CampaignWithAdSetBudgets, long AdSetWithBudget, long CboAdSet,
        long AdWithDailyDelivery, long PausedAd, long CboAd, long AdWithoutDelivery);

    private async Task<(DeliveryHistory History, Ids Ids)> LoadAsync(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var store = await app.CreateStoreAsync(timeZone: "America/New_York");
        var ids = await app.WithDbAsync(store.StoreId, async db =>
        {
            var account = new AdAccount { ExternalId = "act_1", Name = "Main account" };
            db.AdAccounts.Add(account);
            await db.SaveChangesAsync();
            var plain = new Campaign { AdAccountId = account.Id, ExternalId = "c1", Name = "Prospecting" };
            var cbo = new Campaign { AdAccountId = account.Id, ExternalId = "c2", Name = "Retargeting CBO", DailyBudget = 300 };
            db.Campaigns.AddRange(plain, cbo);
            await db.SaveChangesAsync();
            var withBudget = new AdSet { CampaignId = plain.Id, ExternalId = "s1", Name = "Broad", DailyBudget = 100, StartDate = new DateOnly(2026, 1, 1) };
            var cboSet = new AdSet { CampaignId = cbo.Id, ExternalId = "s2", Name = "Visitors 30d", LastSignificantEditAtUtc = AsOf.UtcDateTime.AddHours(-10) };
            db.AdSets.AddRange(withBudget, cboSet);
            await db.SaveChangesAsync();
            var daily = new Ad { AdSetId = withBudget.Id, CampaignId = plain.Id, ExternalId = "a1", Name = "Video 1" };
            var paused = new Ad { AdSetId = withBudget.Id, CampaignId = plain.Id, ExternalId = "a2", Name = "Image 2", Status = EntityStatus.Paused };
            var cboAd = new Ad { AdSetId = cboSet.Id, CampaignId = cbo.Id, ExternalId = "a3", Name = "Carousel 3" };
            var silent = new Ad { AdSetId = cboSet.Id, CampaignId = cbo.Id, ExternalId = "a4", Name = "Draft 4" };
            db.Ads.AddRange(daily, paused, cboAd, silent);
            await db.SaveChangesAsync();

            for (var day = new DateOnly(2026, 2, 1); day < Today; day = day.AddDays(1))
            {
                db.AdInsights.Add(Insight(daily.Id, day, spend: 10, impressions: 1000, reach: 500, clicks: 20, purchases: 2, value: 30));
            }
            db.AdInsights.Add(Insight(daily.Id, Today, spend: 4, impressions: 400, reach: 300, clicks: 8, purchases: 0, value: 0));
            db.AdInsights.Add(Insight(paused.Id, Today.AddDays(-1), spend: 0, impressions: 100, reach: 0, clicks: 0, purchases: 0, value: 0));
            db.AdInsights.Add(Insight(paused.Id, Today.AddDays(-8), spend: 7, impressions: 300, reach: 200, clicks: 3, purchases: 0, value: 0));
            for (var day = Today.AddDays(-7); day <= new DateOnly(2026, 3, 14); day = day.AddDays(1))
            {
                db.AdInsights.Add(Insight(cboAd.Id, day, spend: 20, impressions: 2000, reach: 1000, clicks: 40, purchases: 10, value: 100));
            }
            for (var day = Today.AddDays(-7); day < Today; day = day.AddDays(1))
            {
                db.DailyFacts.Add(new DailyStoreFacts
                {
                    Date = day, Orders = 10, GrossSales = 1000, OrderTotals = 1000, Cogs = 400, LineItems = 10, LineItemsWithCost = 10,
                    NewCustomers = 3, NewCustomerNetSales = 250,
                });
            }
            await db.SaveChangesAsync();
            return new Ids(account.Id, plain.Id, withBudget.Id, cboSet.Id, daily.Id, paused.Id, cboAd.Id, silent.Id);
        });
        var history = await app.WithServiceAsync<RuleSnapshotBuilder, DeliveryHistory>(store.StoreId, b => b.LoadAsync(LoadedAsOf, CancellationToken.None));
        return (history, ids);
    }

    private static AdInsightDaily Insight(long adId, DateOnly date, decimal spend, long impressions, long reach, long clicks, decimal purchases, decimal value) => new()
    {
        AdId = adId, Date = date, Spend = spend, Impressions = impressions, Reach = reach, LinkClicks = clicks, Purchases = purchases, PurchaseValue = value,
        Frequency = reach == 0 ? 0 : (decimal)impressions / reach,
    };
}
