using AdIntel.Web.Domain;
using static AdIntel.Web.Tests.Brain.Recommendations.RecommendationTestStore;

namespace AdIntel.Web.Tests.Brain.Recommendations;

/// <summary>
/// A store with 2 orders a day over the last 30 days (one line at 100 that cost 40: a margin of 56.80 per order with
/// the default fees) and two ad sets over the last 10 days: Winners (budget 100), an ad spending 90 a day for 9
/// purchases worth 450; Losers (budget 50), an ad spending 45 a day without a purchase. Its recommendations are a
/// pause of the losing ad and a budget raise of Winners.
/// </summary>
internal sealed record WinnersAndLosers(RecommendationTestStore Store, long Winners, long Losers, long LoserAd)
{
    public const decimal Price = 100m;
    public const decimal Cost = 40m;

    public static async Task<WinnersAndLosers> CreateAsync(AdIntelApp app, decimal loserPurchasesOnThirdDay = 0, StoreRole role = StoreRole.Owner)
    {
        var store = await RecommendationTestStore.CreateAsync(app, role);
        await store.AddDailyOrdersAsync(days: 30, perDay: 2, Price, Cost);
        var winners = await store.AddAdSetAsync("Winners", 100m);
        var losers = await store.AddAdSetAsync("Losers", 50m);
        var winnerAd = await store.AddAdAsync(winners, "Winning video");
        var loserAd = await store.AddAdAsync(losers, "Losing static");
        await store.AddDeliveryAsync(winnerAd, 10, 1, _ => new Delivery(90m, 9000, 4000, 120, 9, 450m));
        await store.AddDeliveryAsync(loserAd, 10, 1, day => new Delivery(45m, 6000, 3000, 20, day == Today.AddDays(-3) ? loserPurchasesOnThirdDay : 0, 0m));
        await store.RebuildFactsAsync();
        return new WinnersAndLosers(store, winners, losers, loserAd);
    }
}
