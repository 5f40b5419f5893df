using System.Net.Http.Json;
using System.Text.Json;
using AdIntel.Web.Brain.Recommendations;
using AdIntel.Web.Domain;
using AdIntel.Web.Tests.Metrics;

namespace AdIntel.Web.Tests.Brain.Recommendations;

/// <summary>
/// A store in UTC with one active campaign, built up ad set by ad set with exactly known delivery and orders, whose
/// recommendations a test computes through the real service (rules' snapshot, metrics, rails, tracking health).
/// </summary>
internal sealed class RecommendationTestStore
{
    /// <summary>The payment fees every test store starts with (2.9% + 0.30), for the tests' own margin arithmetic.</summary>
    public const decimal FeePercent = 2.9m;
    public const decimal FeeFixed = 0.30m;

    private RecommendationTestStore(AdIntelApp app, TestStore store, long campaignId)
    {
        App = app;
        Store = store;
        CampaignId = campaignId;
    }

    public AdIntelApp App { get; }
    public TestStore Store { get; }
    public long StoreId => Store.StoreId;
    public HttpClient Api => Store.Api;
    public long CampaignId { get; }

    /// <summary>The store's today (UTC); "N days ago" is a complete day.</summary>
    public static DateOnly Today => DateOnly.FromDateTime(PinnedDate.UtcNow);

    public static async Task<RecommendationTestStore> CreateAsync(AdIntelApp app, StoreRole role = StoreRole.Owner)
    {
        var store = await app.CreateStoreAsync(role);
        var campaignId = await app.WithDbAsync(store.StoreId, async db =>
        {
            var account = new AdAccount { ExternalId = "act_" + store.StoreId, Name = "Account" };
            db.AdAccounts.Add(account);
            await db.SaveChangesAsync();
            var campaign = new Campaign { AdAccountId = account.Id, ExternalId = "c" + store.StoreId, Name = "Prospecting", UpdatedAtUtc = PinnedDate.UtcNow };
            db.Campaigns.Add(campaign);
            await db.SaveChangesAsync();
            return campaign.Id;
        });
        return new RecommendationTestStore(app, store, campaignId);
    }

    public Task<long> AddAdSetAsync(string name, decimal? dailyBudget, int startedDaysAgo = 60, DateTime? lastEditUtc = null) =>
        App.WithDbAsync(StoreId, async db =>
        {
            var adSet = new AdSet
            {
                CampaignId = CampaignId, ExternalId = $"s-{name}-{StoreId}", Name = name, DailyBudget = dailyBudget, StartDate = Today.AddDays(-startedDaysAgo),
                LastSignificantEditAtUtc = lastEditUtc, UpdatedAtUtc = PinnedDate.UtcNow,
            };
            db.AdSets.Add(adSet);
            await db.SaveChangesAsync();
            return adSet.Id;
        });

    public Task<long> AddAdAsync(long adSetId, string name) =>
        App.WithDbAsync(StoreId, async db =>
        {
            var ad = new Ad { AdSetId = adSetId, CampaignId = CampaignId, ExternalId = $"a-{name}-{StoreId}", Name = name, UpdatedAtUtc = PinnedDate.UtcNow };
            db.Ads.Add(ad);
            await db.SaveChangesAsync();
            return ad.Id;
        });

    /// <summary>An ad's delivery on each of the days from <paramref name="fromDaysAgo"/> to <paramref name="toDaysAgo"/> days ago.</summary>
    public Task AddDeliveryAsync(long adId, int fromDaysAgo, int toDaysAgo, Func<DateOnly, Delivery> day) =>
        App.WithDbAsync(StoreId, async db =>
        {
            for (var ago = fromDaysAgo; ago >= toDaysAgo; ago--)
            {
                var date = Today.AddDays(-ago);
                var d = day(date);
                db.AdInsights.Add(new AdInsightDaily
                {
                    AdId = adId, Date = date, Spend = d.Spend, Impressions = d.Impressions, Reach = d.Reach, Frequency = d.Reach == 0 ? 0 : (decimal)d.Impressions / d.Reach,
                    LinkClicks = d.Clicks, Purchases = d.Purchases, PurchaseValue = d.PurchaseValue,
                });
            }
            await db.SaveChangesAsync();
        });

    /// <summary>Guest orders of one line each, <paramref name="perDay"/> a day on each of the last <paramref name="days"/> complete days.</summary>
    public Task AddDailyOrdersAsync(int days, int perDay, decimal price, decimal? unitCost, int firstDaysAgo = 1) =>
        App.AddOrdersAsync(StoreId, [.. Enumerable.Range(firstDaysAgo, days).SelectMany(ago => Enumerable.Range(0, perDay).Select(n =>
            StoreDataBuilder.Order($"o{ago}-{n}-{Guid.NewGuid():N}", Today.AddDays(-ago), null, lines: [StoreDataBuilder.Line(1, price, unitCost)])))]);

    public Task RebuildFactsAsync() => App.RebuildFactsAsync(StoreId);

    /// <summary>Computes now, as the hourly job does, and returns what the engine produced.</summary>
    public Task<IReadOnlyList<Recommendation>> ComputeAsync() =>
        App.WithServiceAsync<RecommendationService, IReadOnlyList<Recommendation>>(StoreId, s => s.ComputeAsync(CancellationToken.None));

    public async Task PutTargetsAsync(object targets)
    {
        using var response = await Api.PutAsJsonAsync("/api/settings/targets", targets);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<JsonElement> GetDataAsync(string path)
    {
        using var response = await Api.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path} → {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("data").Clone();
    }

    /// <summary>What one order of one line at <paramref name="price"/> with <paramref name="cost"/> leaves before ads, with the store's default fees.</summary>
    public static decimal MarginPerOrder(decimal price, decimal cost) => price - cost - (price * FeePercent / 100m + FeeFixed);
}

/// <summary>One day of an ad's delivery.</summary>
internal sealed record Delivery(decimal Spend, long Impressions, long Reach, long Clicks, decimal Purchases, decimal PurchaseValue);
