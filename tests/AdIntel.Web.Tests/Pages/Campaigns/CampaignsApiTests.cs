using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AdIntel.Web.Domain;

namespace AdIntel.Web.Tests.Pages.Campaigns;

[Collection(AppCollection.Name)]
public sealed class CampaignsApiTests(AppFixture fixture)
{
    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task List_sums_the_range_and_derives_the_ratios(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var store = await app.CreateStoreAsync(StoreRole.Viewer);
        var known = await KnownCampaigns.SeedAsync(app, store.StoreId);

        var json = await store.Api.GetFromJsonAsync<JsonElement>("/api/campaigns?" + KnownCampaigns.Range);

        var items = json.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(JsonValueKind.Null, json.GetProperty("page").GetProperty("next").ValueKind);
        Assert.Equal(["Prospecting", "Retargeting", "Brand"], items.Select(i => i.GetProperty("name").GetString()));

        var prospecting = items[0];
        Assert.Equal(known.Prospecting, prospecting.GetProperty("id").GetInt64());
        Assert.Equal($"{store.StoreId}01", prospecting.GetProperty("externalId").GetString());
        Assert.Equal("active", prospecting.GetProperty("status").GetString());
        Assert.Equal(100m, prospecting.GetProperty("dailyBudget").GetDecimal());
        Assert.Equal("campaign", prospecting.GetProperty("budgetLevel").GetString());
        Assert.Equal(35m, prospecting.GetProperty("spend").GetDecimal());
        Assert.Equal(4000, prospecting.GetProperty("impressions").GetInt64());
        Assert.Equal(3300, prospecting.GetProperty("reach").GetInt64());
        Assert.Equal(50, prospecting.GetProperty("linkClicks").GetInt64());
        Assert.Equal(0.0125m, prospecting.GetProperty("ctr").GetDecimal());
        Assert.Equal(0.70m, prospecting.GetProperty("cpc").GetDecimal());
        Assert.Equal(8.75m, prospecting.GetProperty("cpm").GetDecimal());
        Assert.Equal(1.2121m, prospecting.GetProperty("frequency").GetDecimal());
        Assert.Equal(3m, prospecting.GetProperty("purchases").GetDecimal());
        Assert.Equal(140m, prospecting.GetProperty("purchaseValue").GetDecimal());
        Assert.Equal(4m, prospecting.GetProperty("roas").GetDecimal());
        Assert.Equal(11.67m, prospecting.GetProperty("cpa").GetDecimal());

        var retargeting = items[1];
        Assert.Equal("paused", retargeting.GetProperty("status").GetString());
        Assert.Equal(25m, retargeting.GetProperty("dailyBudget").GetDecimal());
        Assert.Equal("ad_set", retargeting.GetProperty("budgetLevel").GetString());
        Assert.Equal(7m, retargeting.GetProperty("spend").GetDecimal());
        Assert.Equal(0m, retargeting.GetProperty("roas").GetDecimal());
        Assert.Equal(JsonValueKind.Null, retargeting.GetProperty("cpa").ValueKind);

        var brand = items[2];
        Assert.Equal(0m, brand.GetProperty("spend").GetDecimal());
        foreach (var ratio in new[] { "ctr", "cpc", "cpm", "frequency", "roas", "cpa" })
        {
            Assert.Equal(JsonValueKind.Null, brand.GetProperty(ratio).ValueKind);
        }
        Assert.Equal(JsonValueKind.Null, brand.GetProperty("dailyBudget").ValueKind);
    }

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Estimated_profit_and_poas_apply_the_overviews_margin_and_sort_like_the_other_columns(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var client = app.CreateClient();
        var overview = (await client.GetFromJsonAsync<JsonElement>("/api/overview?preset=30d")).GetProperty("data");
        var kpis = overview.GetProperty("kpis");
        // The overview's definition: purchase value × contribution margin per unit of total sales − spend.
        var marginPerSale = kpis.GetProperty("contributionMargin").GetDecimal() / kpis.GetProperty("totalSales").GetDecimal();

        var campaigns = (await client.GetFromJsonAsync<JsonElement>("/api/campaigns?preset=30d&sort=estimatedProfit")).GetProperty("data")
            .EnumerateArray().ToList();

        var delivering = campaigns.Where(c => c.GetProperty("spend").GetDecimal() > 0).ToList();
        Assert.True(delivering.Count >= 3, "the demo store has campaigns delivering in the last 30 days");
        foreach (var campaign in delivering)
        {
            var spend = campaign.GetProperty("spend").GetDecimal();
            var value = campaign.GetProperty("purchaseValue").GetDecimal();
            var profit = value * marginPerSale - spend;
            Assert.InRange(campaign.GetProperty("estimatedProfit").GetDecimal(), profit - 0.01m, profit + 0.01m);
            var poas = value * marginPerSale / spend;
            Assert.InRange(campaign.GetProperty("poas").GetDecimal(), poas - 0.0051m, poas + 0.0051m);
        }
        var profits = delivering.Select(c => c.GetProperty("estimatedProfit").GetDecimal()).ToList();
        Assert.Equal(profits.OrderByDescending(p => p), profits);
        Assert.Contains(profits, p => p < 0);
        Assert.Contains(profits, p => p > 0);

        // The table shows both columns, a losing campaign's profit in the loss colour.
        var html = await client.GetStringAsync("/campaigns?preset=30d&sort=estimatedProfit");
        Assert.Contains("data-sort=\"estimatedProfit\"", html, StringComparison.Ordinal);
        Assert.Contains("data-sort=\"poas\"", html, StringComparison.Ordinal);
        Assert.Contains("class=\"num loss\" data-metric=\"estimatedProfit\"", html, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Campaign_detail_ad_sets_and_ads_roll_up_to_the_same_totals(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var store = await app.CreateStoreAsync(StoreRole.Viewer);
        var known = await KnownCampaigns.SeedAsync(app, store.StoreId);

        var campaign = (await store.Api.GetFromJsonAsync<JsonElement>($"/api/campaigns/{known.Prospecting}?{KnownCampaigns.Range}")).GetProperty("data");
        var adSets = (await store.Api.GetFromJsonAsync<JsonElement>($"/api/campaigns/{known.Prospecting}/adsets?{KnownCampaigns.Range}")).GetProperty("data");
        var ads = (await store.Api.GetFromJsonAsync<JsonElement>($"/api/campaigns/{known.Prospecting}/ads?{KnownCampaigns.Range}")).GetProperty("data");

        Assert.Equal("Prospecting", campaign.GetProperty("name").GetString());
        Assert.Equal(35m, campaign.GetProperty("spend").GetDecimal());
        Assert.Equal(1, campaign.GetProperty("adSetCount").GetInt32());
        Assert.Equal(2, campaign.GetProperty("adCount").GetInt32());
        Assert.Equal(KnownCampaigns.From, campaign.GetProperty("period").GetProperty("from").GetString());
        Assert.Equal(KnownCampaigns.To, campaign.GetProperty("period").GetProperty("to").GetString());

        var broad = Assert.Single(adSets.EnumerateArray());
        Assert.Equal(known.Broad, broad.GetProperty("id").GetInt64());
        Assert.Equal(known.Prospecting, broad.GetProperty("campaignId").GetInt64());
        Assert.Equal(35m, broad.GetProperty("spend").GetDecimal());
        Assert.Equal(11.67m, broad.GetProperty("cpa").GetDecimal());
        Assert.Equal(JsonValueKind.Null, broad.GetProperty("dailyBudget").ValueKind);

        var byName = ads.EnumerateArray().ToDictionary(a => a.GetProperty("name").GetString()!);
        Assert.Equal(["Video", "Static"], ads.EnumerateArray().Select(a => a.GetProperty("name").GetString()));
        Assert.Equal(30m, byName["Video"].GetProperty("spend").GetDecimal());
        Assert.Equal(known.Broad, byName["Video"].GetProperty("adSetId").GetInt64());
        Assert.Equal("video", byName["Video"].GetProperty("creativeType").GetString());
        Assert.Equal(0m, byName["Static"].GetProperty("ctr").GetDecimal());
        Assert.Equal(JsonValueKind.Null, byName["Static"].GetProperty("cpc").ValueKind);
        Assert.Equal(0m, byName["Static"].GetProperty("roas").GetDecimal());
        Assert.Equal(JsonValueKind.Null, byName["Static"].GetProperty("cpa").ValueKind);
    }

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Another_stores_campaign_is_not_found(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var owner = await app.CreateStoreAsync();
        var known = await KnownCampaigns.SeedAsync(app, owner.StoreId);
        var stranger = await app.CreateStoreAsync();

        foreach (var path in new[] { "", "/adsets", "/ads" })
        {
            var response = await stranger.Api.GetAsync($"/api/campaigns/{known.Prospecting}{path}");

            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
            Assert.Equal("not_found", error.GetProperty("code").GetString());
        }
        var list = await stranger.Api.GetFromJsonAsync<JsonElement>("/api/campaigns");
        Assert.Empty(list.GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task Sort_orders_by_any_column_with_empty_ratios_last()
    {
        var app = fixture.SqliteApp;
        var store = await app.CreateStoreAsync();
        await KnownCampaigns.SeedAsync(app, store.StoreId);

        async Task<string[]> NamesAsync(string query) =>
            (await store.Api.GetFromJsonAsync<JsonElement>($"/api/campaigns?{KnownCampaigns.Range}&{query}"))
                .GetProperty("data").EnumerateArray().Select(i => i.GetProperty("name").GetString()!).ToArray();

        Assert.Equal(["Brand", "Prospecting", "Retargeting"], await NamesAsync("sort=name"));
        Assert.Equal(["Retargeting", "Prospecting", "Brand"], await NamesAsync("sort=name&dir=desc"));
        Assert.Equal(["Brand", "Retargeting", "Prospecting"], await NamesAsync("sort=spend&dir=asc"));
        Assert.Equal(["Prospecting", "Brand", "Retargeting"], await NamesAsync("sort=cpa"));
        Assert.Equal(["Retargeting", "Prospecting", "Brand"], await NamesAsync("sort=cpm&dir=desc"));
    }

    [Theory]
    [InlineData("sort=banana", "bad_request")]
    [InlineData("sort=spend&dir=sideways", "bad_request")]
    [InlineData("from=2025-03-05&to=2025-03-01", "invalid_date_range")]
    [InlineData("from=yesterday&to=2025-03-01", "invalid_date_range")]
    [InlineData("preset=1y", "invalid_date_range")]
    public async Task Bad_query_answers_400_with_the_reason(string query, string code)
    {
        var store = await fixture.SqliteApp.CreateStoreAsync();

        var response = await store.Api.GetAsync("/api/campaigns?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
    }

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Ad_set_is_learning_below_50_purchases_a_week_or_after_a_recent_edit_and_limited_when_old(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var store = await app.CreateStoreAsync();
        var yesterday = DateOnly.FromDateTime(PinnedDate.UtcNow).AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var campaignId = await app.WithDbAsync(store.StoreId, async db =>
        {
            var account = new AdAccount { ExternalId = "act_learning", Name = "Account" };
            db.AdAccounts.Add(account);
            await db.SaveChangesAsync();
            var campaign = new Campaign { AdAccountId = account.Id, ExternalId = "c-learning", Name = "Scaling", UpdatedAtUtc = PinnedDate.UtcNow };
            db.Campaigns.Add(campaign);
            await db.SaveChangesAsync();
            var sets = new[]
            {
                new AdSet { CampaignId = campaign.Id, ExternalId = "s-few", Name = "Few purchases", StartDate = new DateOnly(2025, 1, 1), UpdatedAtUtc = PinnedDate.UtcNow },
                new AdSet { CampaignId = campaign.Id, ExternalId = "s-new", Name = "New", StartDate = DateOnly.FromDateTime(PinnedDate.UtcNow).AddDays(-3), UpdatedAtUtc = PinnedDate.UtcNow },
                new AdSet { CampaignId = campaign.Id, ExternalId = "s-many", Name = "Many purchases", UpdatedAtUtc = PinnedDate.UtcNow },
                new AdSet { CampaignId = campaign.Id, ExternalId = "s-edited", Name = "Edited", UpdatedAtUtc = PinnedDate.UtcNow, LastSignificantEditAtUtc = PinnedDate.UtcNow.AddHours(-5) },
                new AdSet { CampaignId = campaign.Id, ExternalId = "s-paused", Name = "Paused", Status = EntityStatus.Paused, UpdatedAtUtc = PinnedDate.UtcNow },
            };
            db.AdSets.AddRange(sets);
            await db.SaveChangesAsync();
            var purchases = new[] { 10m, 10m, 60m, 60m, 0m };
            for (var i = 0; i < sets.Length; i++)
            {
                var ad = new Ad { AdSetId = sets[i].Id, CampaignId = campaign.Id, ExternalId = "a" + i, Name = "Ad " + i, UpdatedAtUtc = PinnedDate.UtcNow };
                db.Ads.Add(ad);
                await db.SaveChangesAsync();
                db.AdInsights.Add(KnownCampaigns.Day(ad.Id, yesterday, 100m, 10_000, 8_000, 100, purchases[i], purchases[i] * 40m));
            }
            await db.SaveChangesAsync();
            return campaign.Id;
        });

        var adSets = (await store.Api.GetFromJsonAsync<JsonElement>($"/api/campaigns/{campaignId}/adsets")).GetProperty("data");

        var states = adSets.EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!,
            s => (Learning: s.GetProperty("learning").GetBoolean(), Limited: s.GetProperty("learningLimited").GetBoolean()));
        Assert.Equal((true, true), states["Few purchases"]);
        Assert.Equal((true, false), states["New"]);
        Assert.Equal((false, false), states["Many purchases"]);
        Assert.Equal((true, false), states["Edited"]);
        Assert.Equal((false, false), states["Paused"]);
    }
}
