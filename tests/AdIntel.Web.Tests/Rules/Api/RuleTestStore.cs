using System.Net.Http.Json;
using System.Text.Json;
using AdIntel.Web.Domain;

namespace AdIntel.Web.Tests.Rules.Api;

/// <summary>
/// A store with a small, known ad account: one campaign with two ad sets (budgets 100 and 50) and their ads, and daily
/// delivery over the last 10 days shaped so that some entities clearly lose money and others clearly win.
/// </summary>
internal sealed record RuleTestStore(TestStore Store, long CampaignId, long WinnerAdSetId, long LoserAdSetId, long WinnerAdId, long LoserAdId)
{
    public HttpClient Api => Store.Api;

    public static async Task<RuleTestStore> CreateAsync(AdIntelApp app, StoreRole role = StoreRole.Owner)
    {
        var store = await app.CreateStoreAsync(role);
        var today = DateOnly.FromDateTime(PinnedDate.UtcNow);
        var ids = await app.WithDbAsync(store.StoreId, async db =>
        {
            var now = PinnedDate.UtcNow;
            var account = new AdAccount { ExternalId = "act_" + store.StoreId, Name = "Account" };
            db.AdAccounts.Add(account);
            await db.SaveChangesAsync();
            var campaign = new Campaign { AdAccountId = account.Id, ExternalId = $"c{store.StoreId}", Name = "Prospecting", UpdatedAtUtc = now };
            db.Campaigns.Add(campaign);
            await db.SaveChangesAsync();
            var winner = new AdSet { CampaignId = campaign.Id, ExternalId = $"w{store.StoreId}", Name = "Winners", DailyBudget = 100m, UpdatedAtUtc = now, StartDate = today.AddDays(-60) };
            var loser = new AdSet { CampaignId = campaign.Id, ExternalId = $"l{store.StoreId}", Name = "Losers", DailyBudget = 50m, UpdatedAtUtc = now, StartDate = today.AddDays(-60) };
            db.AdSets.AddRange(winner, loser);
            await db.SaveChangesAsync();
            var winnerAd = new Ad { AdSetId = winner.Id, CampaignId = campaign.Id, ExternalId = $"wa{store.StoreId}", Name = "Winning video", UpdatedAtUtc = now };
            var loserAd = new Ad { AdSetId = loser.Id, CampaignId = campaign.Id, ExternalId = $"la{store.StoreId}", Name = "Losing static", UpdatedAtUtc = now };
            db.Ads.AddRange(winnerAd, loserAd);
            await db.SaveChangesAsync();
            for (var d = 1; d <= 10; d++)
            {
                var date = today.AddDays(-d);
                db.AdInsights.Add(new AdInsightDaily { AdId = winnerAd.Id, Date = date, Spend = 90m, Impressions = 9000, Reach = 4000, LinkClicks = 120, Purchases = 9, PurchaseValue = 450m });
                db.AdInsights.Add(new AdInsightDaily { AdId = loserAd.Id, Date = date, Spend = 45m, Impressions = 6000, Reach = 3000, LinkClicks = 20, Purchases = 0, PurchaseValue = 0m });
            }
            await db.SaveChangesAsync();
            return (campaign.Id, winner.Id, loser.Id, winnerAd.Id, loserAd.Id);
        });
        return new RuleTestStore(store, ids.Item1, ids.Item2, ids.Item3, ids.Item4, ids.Item5);
    }

    /// <summary>
    /// Sets the store's automation settings (everything automatic unless told otherwise), through <paramref name="api"/>
    /// when given: with local accounts the store's own token has no member and is refused.
    /// </summary>
    public async Task SetAutomationAsync(string mode = "auto_all", bool killSwitch = false, int cooldownHours = 24, decimal maxBudgetChange = 20, HttpClient? api = null)
    {
        using var response = await (api ?? Api).PutAsJsonAsync("/api/settings/automation", new
        {
            automationMode = mode, killSwitch, maxBudgetChangePercentPerDay = maxBudgetChange, cooldownHours, maxActionsPerRun = 10, maxActionsPerDay = 30,
            minSpend = 50, minImpressions = 1000, minPurchasesForScaleUp = 3, trackingBreakerEnabled = true, trackingDropPercent = 50,
        });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<JsonElement> CreateRuleAsync(object rule)
    {
        using var response = await Api.PostAsJsonAsync("/api/rules", rule);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("data").Clone();
    }

    public async Task<JsonElement> PostAsync(string path, object? body = null)
    {
        using var response = await Api.PostAsJsonAsync(path, body ?? new { });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path} → {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("data").Clone();
    }

    public async Task<JsonElement> GetAsync(string path)
    {
        using var response = await Api.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path} → {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("data").Clone();
    }
}
