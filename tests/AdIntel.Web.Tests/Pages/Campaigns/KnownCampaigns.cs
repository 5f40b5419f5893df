using AdIntel.Web.Domain;

namespace AdIntel.Web.Tests.Pages.Campaigns;

/// <summary>
/// A small ad account with hand-checked numbers over <see cref="From"/>..<see cref="To"/>:
/// <list type="bullet">
/// <item>Prospecting (active, campaign budget 100/day): ad set "Broad" with ads "Video" (30 spend, 3000 impressions,
/// 2300 reach, 50 clicks, 3 purchases, 140 value) and "Static" (5 spend, 1000 impressions, 1000 reach, nothing else).</item>
/// <item>Retargeting (paused, no campaign budget): ad sets "Visitors" (paused, 40/day; 7 spend, 500 impressions,
/// 400 reach, 5 clicks) and "Cart" (active, 25/day; only delivered before the range).</item>
/// <item>Brand (active): no delivery at all.</item>
/// </list>
/// </summary>
public sealed record KnownCampaigns(long Prospecting, long Retargeting, long Brand, long Broad, long Visitors, long Cart, long Video, long Static)
{
    public const string From = "2025-03-01";
    public const string To = "2025-03-03";
    public const string Range = "from=" + From + "&to=" + To;

    public static async Task<KnownCampaigns> SeedAsync(AdIntelApp app, long storeId)
    {
        var now = PinnedDate.UtcNow;
        return await app.WithDbAsync(storeId, async db =>
        {
            var account = new AdAccount { ExternalId = "act_" + storeId, Name = "Main account" };
            db.AdAccounts.Add(account);
            await db.SaveChangesAsync();

            var prospecting = new Campaign { AdAccountId = account.Id, ExternalId = $"{storeId}01", Name = "Prospecting", DailyBudget = 100m, Objective = "OUTCOME_SALES", UpdatedAtUtc = now };
            var retargeting = new Campaign { AdAccountId = account.Id, ExternalId = $"{storeId}02", Name = "Retargeting", Status = EntityStatus.Paused, UpdatedAtUtc = now };
            var brand = new Campaign { AdAccountId = account.Id, ExternalId = $"{storeId}03", Name = "Brand", UpdatedAtUtc = now };
            db.Campaigns.AddRange(prospecting, retargeting, brand);
            await db.SaveChangesAsync();

            var broad = new AdSet { CampaignId = prospecting.Id, ExternalId = $"{storeId}11", Name = "Broad", UpdatedAtUtc = now };
            var visitors = new AdSet { CampaignId = retargeting.Id, ExternalId = $"{storeId}12", Name = "Visitors", Status = EntityStatus.Paused, DailyBudget = 40m, UpdatedAtUtc = now };
            var cart = new AdSet { CampaignId = retargeting.Id, ExternalId = $"{storeId}13", Name = "Cart", DailyBudget = 25m, UpdatedAtUtc = now };
            db.AdSets.AddRange(broad, visitors, cart);
            await db.SaveChangesAsync();

            var video = new Ad { AdSetId = broad.Id, CampaignId = prospecting.Id, ExternalId = $"{storeId}21", Name = "Video", CreativeType = "video", UpdatedAtUtc = now };
            var still = new Ad { AdSetId = broad.Id, CampaignId = prospecting.Id, ExternalId = $"{storeId}22", Name = "Static", CreativeType = "image", UpdatedAtUtc = now };
            var visitorsAd = new Ad { AdSetId = visitors.Id, CampaignId = retargeting.Id, ExternalId = $"{storeId}23", Name = "Reminder", UpdatedAtUtc = now };
            var cartAd = new Ad { AdSetId = cart.Id, CampaignId = retargeting.Id, ExternalId = $"{storeId}24", Name = "Cart offer", UpdatedAtUtc = now };
            db.Ads.AddRange(video, still, visitorsAd, cartAd);
            await db.SaveChangesAsync();

            db.AdInsights.AddRange(
                Day(video.Id, "2025-03-01", 10m, 1000, 800, 20, 1m, 50m),
                Day(video.Id, "2025-03-02", 20m, 2000, 1500, 30, 2m, 90m),
                Day(video.Id, "2025-03-04", 99m, 9000, 9000, 90, 9m, 999m),
                Day(still.Id, "2025-03-01", 5m, 1000, 1000, 0, 0m, 0m),
                Day(visitorsAd.Id, "2025-03-02", 7m, 500, 400, 5, 0m, 0m),
                Day(cartAd.Id, "2025-02-28", 100m, 4000, 3000, 40, 4m, 400m));
            await db.SaveChangesAsync();
            return new KnownCampaigns(prospecting.Id, retargeting.Id, brand.Id, broad.Id, visitors.Id, cart.Id, video.Id, still.Id);
        });
    }

    public static AdInsightDaily Day(long adId, string date, decimal spend, long impressions, long reach, long clicks, decimal purchases, decimal value) => new()
    {
        AdId = adId,
        Date = DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture),
        Spend = spend,
        Impressions = impressions,
        Reach = reach,
        Frequency = reach == 0 ? 0 : Math.Round((decimal)impressions / reach, 4),
        LinkClicks = clicks,
        Purchases = purchases,
        PurchaseValue = value,
    };
}
