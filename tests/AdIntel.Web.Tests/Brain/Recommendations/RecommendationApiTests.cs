using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AdIntel.Web.Brain.Recommendations;
using AdIntel.Web.Domain;
using AdIntel.Web.Tests.Imports;
using AdIntel.Web.Tests.Infrastructure.Jobs;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AdIntel.Web.Tests.Brain.Recommendations;

/// <summary>
/// <c>/api/overview/recommendations</c>: the contract's envelope and rounding, dismiss, snooze and restore surviving
/// recomputation, sending an action to the approval queue (where the rails judge it again), refusals, and the
/// recomputation after an import and every hour.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class RecommendationApiTests(AppFixture fixture)
{
    private const string Path = "/api/overview/recommendations";

    [Fact]
    public async Task A_campaign_with_automation_off_gets_advice_without_an_action_to_send()
    {
        var (store, _, _, loserAd) = await WinnersAndLosers.CreateAsync(fixture.SqliteApp);
        using var off = await store.Api.PatchAsJsonAsync($"/api/campaigns/{store.CampaignId}", new { automation = "off" });
        Assert.Equal(HttpStatusCode.OK, off.StatusCode);
        await store.ComputeAsync();

        var items = JsonDocument.Parse(await store.Api.GetStringAsync(Path)).RootElement.GetProperty("data").EnumerateArray().ToList();
        var pause = items.Single(i => i.GetProperty("key").GetString() == $"pause:ad:{loserAd}");
        Assert.Equal(JsonValueKind.Null, pause.GetProperty("action").ValueKind);
        Assert.Contains("Automation is off for campaign", pause.GetProperty("reasoning").GetString(), StringComparison.Ordinal);
        Assert.All(items, i => Assert.Equal(JsonValueKind.Null, i.GetProperty("action").ValueKind));
    }

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Lists_the_open_recommendations_in_the_contracts_envelope(string provider)
    {
        var (store, winners, _, loserAd) = await WinnersAndLosers.CreateAsync(await fixture.HostAsync(provider));
        await store.ComputeAsync();

        using var response = await store.Api.GetAsync(Path);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("page").GetProperty("next").ValueKind);
        var items = json.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal([$"pause:ad:{loserAd}", $"scale:ad_set:{winners}"], items.Select(i => i.GetProperty("key").GetString()));
        var scale = items[1];
        Assert.Equal(["key", "type", "priority", "title", "reasoning", "figures", "expectedImpact", "confidence", "entities", "action", "state",
            "snoozedUntil", "approval", "firstSeenAt", "computedAt"], scale.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("scale", "medium", "open"), (scale.GetProperty("type").GetString(), scale.GetProperty("priority").GetString(), scale.GetProperty("state").GetString()));
        // 3150 × 0.568 / 630 = 2.84, to 4 decimals; money to cents.
        var figures = scale.GetProperty("figures").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!);
        Assert.Equal(2.84m, figures["poas"].GetProperty("value").GetDecimal());
        Assert.Equal("ratio", figures["poas"].GetProperty("unit").GetString());
        Assert.StartsWith("last 7 complete days, ", figures["poas"].GetProperty("window").GetString(), StringComparison.Ordinal);
        Assert.Equal(120m, figures["proposedDailyBudget"].GetProperty("value").GetDecimal());
        Assert.All(figures.Values, f => Assert.True(Decimals(f.GetProperty("value")) <= (f.GetProperty("unit").GetString() == "money" ? 2 : 4), f.GetRawText()));
        var impact = scale.GetProperty("expectedImpact");
        Assert.Equal(["expected", "low", "high", "basis"], impact.EnumerateObject().Select(p => p.Name));
        Assert.Equal(163.8m, impact.GetProperty("expected").GetDecimal());
        Assert.True(Decimals(scale.GetProperty("confidence")) <= 4);
        var action = scale.GetProperty("action");
        Assert.Equal(("set_budget", "ad_set", winners, 120m), (action.GetProperty("type").GetString(), action.GetProperty("scope").GetString(),
            action.GetProperty("entityId").GetInt64(), action.GetProperty("amount").GetDecimal()));
        Assert.Equal(JsonValueKind.Null, items[0].GetProperty("action").GetProperty("amount").ValueKind);
        Assert.EndsWith("Z", scale.GetProperty("computedAt").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dismissed_and_snoozed_recommendations_stay_hidden_through_recomputation_until_restored_or_due()
    {
        var (store, winners, _, loserAd) = await WinnersAndLosers.CreateAsync(fixture.SqliteApp);
        await store.ComputeAsync();
        var pause = $"pause:ad:{loserAd}";
        var scale = $"scale:ad_set:{winners}";

        var dismissed = await PostAsync(store, $"{Path}/{pause}/dismiss");
        Assert.Equal("dismissed", dismissed.GetProperty("state").GetString());
        var snoozed = await PostAsync(store, $"{Path}/{scale}/snooze", new { days = 7 });
        Assert.Equal("snoozed", snoozed.GetProperty("state").GetString());
        Assert.InRange(snoozed.GetProperty("snoozedUntil").GetDateTime(), PinnedDate.UtcNow.AddDays(6.9), PinnedDate.UtcNow.AddDays(7.1));

        await store.ComputeAsync();
        Assert.Empty(await KeysAsync(store));
        Assert.Equal([pause], await KeysAsync(store, "dismissed"));
        Assert.Equal([scale], await KeysAsync(store, "snoozed"));

        // The snooze ends: the recommendation is back.
        await store.App.WithDbAsync(store.StoreId, async db =>
        {
            (await db.Recommendations.SingleAsync(r => r.Key == scale)).SnoozedUntilUtc = PinnedDate.UtcNow.AddMinutes(-1);
            await db.SaveChangesAsync();
        });
        Assert.Equal([scale], await KeysAsync(store));

        Assert.Equal("open", (await PostAsync(store, $"{Path}/{pause}/restore")).GetProperty("state").GetString());
        Assert.Equal([pause, scale], await KeysAsync(store));
    }

    [Fact]
    public async Task A_dismissal_is_forgotten_once_its_recommendation_has_been_gone_for_a_week()
    {
        var (store, _, _, loserAd) = await WinnersAndLosers.CreateAsync(fixture.SqliteApp);
        await store.ComputeAsync();
        var pause = $"pause:ad:{loserAd}";
        await PostAsync(store, $"{Path}/{pause}/dismiss");

        // It stops applying (a target CPA above a third of its spend), and comes back within the week: still dismissed.
        await store.PutTargetsAsync(new { cpa = 200 });
        await store.ComputeAsync();
        await store.PutTargetsAsync(new { });
        await store.ComputeAsync();
        Assert.Equal([pause], await KeysAsync(store, "dismissed"));

        // Gone for more than a week: a new occurrence shows again.
        await store.PutTargetsAsync(new { cpa = 200 });
        await store.ComputeAsync();
        await store.App.WithDbAsync(store.StoreId, async db =>
        {
            (await db.Recommendations.SingleAsync(r => r.Key == pause)).ComputedAtUtc = PinnedDate.UtcNow.AddDays(-RecommendationService.DismissalMemoryDays - 1);
            await db.SaveChangesAsync();
        });
        await store.ComputeAsync();
        await store.PutTargetsAsync(new { });
        await store.ComputeAsync();
        Assert.Contains(pause, await KeysAsync(store));
    }

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Sending_an_action_queues_it_for_approval_and_approving_it_passes_the_rails(string provider)
    {
        var (store, winners, _, loserAd) = await WinnersAndLosers.CreateAsync(await fixture.HostAsync(provider));
        await store.ComputeAsync();
        var scale = $"scale:ad_set:{winners}";

        var sent = await PostAsync(store, $"{Path}/{scale}/approval");
        var actionId = sent.GetProperty("approval").GetProperty("actionId").GetInt64();
        Assert.Equal("pending_approval", sent.GetProperty("approval").GetProperty("status").GetString());
        // Nothing ran: the budget is as it was until a person approves.
        Assert.Equal(100m, await BudgetAsync(store, winners));
        var again = await PostAsync(store, $"{Path}/{scale}/approval");
        Assert.Equal(actionId, again.GetProperty("approval").GetProperty("actionId").GetInt64());

        var queued = (await store.GetDataAsync("/api/approvals")).EnumerateArray().Single(a => a.GetProperty("id").GetInt64() == actionId);
        Assert.Equal(("recommendation", "set_budget", winners), (queued.GetProperty("source").GetString(), queued.GetProperty("type").GetString(),
            queued.GetProperty("entityId").GetInt64()));

        using var approve = await store.Api.PostAsync($"/api/approvals/{actionId}/approve", null);
        Assert.Equal(HttpStatusCode.OK, approve.StatusCode);
        Assert.Equal(120m, await BudgetAsync(store, winners));

        // The day's budget rail is used up, so scaling further is no longer recommended; the link shows the outcome.
        await store.ComputeAsync();
        Assert.DoesNotContain(scale, await KeysAsync(store));
        Assert.Contains($"pause:ad:{loserAd}", await KeysAsync(store));
    }

    [Fact]
    public async Task The_rails_judge_a_sent_action_and_refusals_are_clear()
    {
        var (store, _, _, loserAd) = await WinnersAndLosers.CreateAsync(fixture.SqliteApp);
        await store.ComputeAsync();
        var pause = $"pause:ad:{loserAd}";
        // The ad was paused in Ads Manager since the computation: the rails see nothing to do.
        await store.App.WithDbAsync(store.StoreId, async db =>
        {
            (await db.Ads.SingleAsync(a => a.Id == loserAd)).Status = EntityStatus.Paused;
            await db.SaveChangesAsync();
        });

        var refused = await ErrorAsync(await store.Api.PostAsync($"{Path}/{pause}/approval", null), HttpStatusCode.Conflict);
        Assert.Equal("refused_by_rails", refused.GetProperty("code").GetString());
        Assert.Contains("Already paused", refused.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(await store.App.WithDbAsync(store.StoreId, db => db.ActionRecords.ToListAsync()));

        Assert.Equal("not_found", (await ErrorAsync(await store.Api.PostAsync($"{Path}/scale:ad_set:999999/dismiss", null), HttpStatusCode.NotFound))
            .GetProperty("code").GetString());
        Assert.Equal("invalid_snooze", (await ErrorAsync(await store.Api.PostAsJsonAsync($"{Path}/{pause}/snooze", new { days = 0 }),
            HttpStatusCode.UnprocessableEntity)).GetProperty("code").GetString());
        Assert.Equal("bad_request", (await ErrorAsync(await store.Api.PostAsync($"{Path}/{pause}/snooze", null), HttpStatusCode.BadRequest))
            .GetProperty("code").GetString());
        Assert.Equal("bad_request", (await ErrorAsync(await store.Api.GetAsync($"{Path}?state=gone"), HttpStatusCode.BadRequest))
            .GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_recommendation_without_an_action_cannot_be_sent_and_a_viewer_may_only_read()
    {
        var store = await RecommendationTestStore.CreateAsync(fixture.SqliteApp);
        await store.AddDailyOrdersAsync(days: 30, perDay: 1, price: 60m, unitCost: null);
        await store.RebuildFactsAsync();
        await store.ComputeAsync();
        var key = $"fix:product_costs:{store.StoreId}";

        Assert.Equal("no_action", (await ErrorAsync(await store.Api.PostAsync($"{Path}/{key}/approval", null), HttpStatusCode.Conflict))
            .GetProperty("code").GetString());

        var viewer = await fixture.SqliteApp.CreateStoreAsync(StoreRole.Viewer);
        Assert.Equal(HttpStatusCode.OK, (await viewer.Api.GetAsync(Path)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.Api.PostAsync($"{Path}/{key}/dismiss", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.Api.PostAsync($"{Path}/recompute", null)).StatusCode);
    }

    [Fact]
    public async Task An_import_recomputes_the_recommendations_and_the_store_is_in_the_hourly_recomputation()
    {
        var app = fixture.SqliteApp;
        var store = await app.CreateStoreAsync();

        await ImportTestFiles.ImportAsync(store.Api, ImportTestFiles.ShopifyPath, ImportTestFiles.Read(ImportTestFiles.ShopifyOrders));

        await Eventually.HoldsAsync(
            () => app.WithDbAsync(store.StoreId, db => db.StoreSettings.AnyAsync(s => s.RecommendationsComputedAtUtc != null)),
            "the import's facts rebuild led to a computation", describe: app.DescribeJobs);
        Assert.True(await StoreJobDispatcherTests.DispatchedInItsTurnAsync(app.Services.GetRequiredService<RecommendationDispatcher>(), store.StoreId),
            "the hourly recomputation includes the store");
    }

    private static async Task<JsonElement> PostAsync(RecommendationTestStore store, string path, object? body = null)
    {
        using var response = body is null ? await store.Api.PostAsync(path, null) : await store.Api.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path} → {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("data").Clone();
    }

    private static async Task<JsonElement> ErrorAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        using var _ = response;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("error").Clone();
    }

    private static async Task<List<string>> KeysAsync(RecommendationTestStore store, string state = "open") =>
        [.. (await store.GetDataAsync($"{Path}?state={state}")).EnumerateArray().Select(r => r.GetProperty("key").GetString()!)];

    private static Task<decimal?> BudgetAsync(RecommendationTestStore store, long adSetId) =>
        store.App.WithDbAsync(store.StoreId, db => db.AdSets.Where(a => a.Id == adSetId).Select(a => a.DailyBudget).SingleAsync());

    private static int Decimals(JsonElement number)
    {
        var text = number.GetRawText();
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? 0 : text.Length - dot - 1;
    }
}
