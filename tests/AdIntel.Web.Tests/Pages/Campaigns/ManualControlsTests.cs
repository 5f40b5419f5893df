using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AdIntel.Web.Domain;
using AdIntel.Web.Tests.Brain.Recommendations;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Tests.Pages.Campaigns;

/// <summary>
/// Pause, enable and budget changes by hand, on the campaign pages and through <c>PATCH /api/campaigns|adsets|ads/{id}</c>:
/// applied on the ad platform through the actions executor, recorded and audited as the person's, undone; a budget
/// beyond the daily rail waits for a confirmation that says why the rail exists.
/// </summary>
[Collection(LocalAppCollection.Name)]
public sealed class ManualControlsTests(AppFixture fixture)
{
    [Fact]
    public async Task A_marketer_pauses_an_ad_and_halves_a_budget_from_the_api_confirms_the_big_change_and_undoes_both()
    {
        var local = await fixture.LocalAsync(AppFixture.Sqlite);
        var (store, winners, _, loserAd) = await WinnersAndLosers.CreateAsync(local.App);

        using var paused = await store.Api.PatchAsJsonAsync($"/api/ads/{loserAd}", new { status = "paused" });
        var pause = await DataAsync(paused, HttpStatusCode.OK);
        Assert.Equal(("ACTIVE", "PAUSED"), (pause.GetProperty("before").GetProperty("status").GetString(), pause.GetProperty("after").GetProperty("status").GetString()));
        Assert.Equal(EntityStatus.Paused, await AdStatusAsync(store, loserAd));

        // Halving is beyond the default 20 % a day: nothing changes until confirmed, and the answer says why.
        using var unconfirmed = await store.Api.PatchAsJsonAsync($"/api/adsets/{winners}", new { budgetChangePercent = -50 });
        var error = await ErrorAsync(unconfirmed, HttpStatusCode.Conflict);
        Assert.Equal("confirmation_required", error.GetProperty("code").GetString());
        Assert.Contains("-50%", error.GetProperty("message").GetString());
        Assert.Contains("learning phase", error.GetProperty("message").GetString());
        Assert.Equal(100m, await BudgetAsync(store, winners));

        using var confirmed = await store.Api.PatchAsJsonAsync($"/api/adsets/{winners}", new { budgetChangePercent = -50, confirm = true });
        var halve = await DataAsync(confirmed, HttpStatusCode.OK);
        Assert.Equal((100m, 50m), (halve.GetProperty("before").GetProperty("dailyBudget").GetDecimal(), halve.GetProperty("after").GetProperty("dailyBudget").GetDecimal()));
        Assert.Equal(50m, await BudgetAsync(store, winners));

        var actions = await local.App.WithDbAsync(store.StoreId, db => db.ActionRecords.AsNoTracking().OrderBy(a => a.Id).ToListAsync());
        Assert.All(actions, a => Assert.Equal(("person", ActionStatuses.Executed), (a.Source, a.Status)));
        Assert.All(actions, a => Assert.NotNull(a.DecidedBy));
        Assert.Equal(2, await local.App.WithDbAsync(store.StoreId, db => db.AuditEntries.CountAsync(e => e.Action == "action.executed")));

        foreach (var undo in new[] { pause, halve })
        {
            using var undone = await store.Api.PostAsync(undo.GetProperty("undo").GetString(), null);
            Assert.Equal(HttpStatusCode.OK, undone.StatusCode);
        }
        Assert.Equal(EntityStatus.Active, await AdStatusAsync(store, loserAd));
        Assert.Equal(100m, await BudgetAsync(store, winners));
    }

    [Fact]
    public async Task Changes_that_cannot_be_made_get_a_clear_error_and_change_nothing()
    {
        var local = await fixture.LocalAsync(AppFixture.Sqlite);
        var (store, winners, _, loserAd) = await WinnersAndLosers.CreateAsync(local.App);
        var other = await WinnersAndLosers.CreateAsync(local.App);

        Assert.Equal("invalid_change", (await ErrorAsync(await store.Api.PatchAsJsonAsync($"/api/ads/{loserAd}", new { }), HttpStatusCode.UnprocessableEntity)).GetProperty("code").GetString());
        Assert.Contains("\"active\" or \"paused\"", (await ErrorAsync(await store.Api.PatchAsJsonAsync($"/api/ads/{loserAd}", new { status = "sleeping" }), HttpStatusCode.UnprocessableEntity)).GetProperty("message").GetString());
        Assert.Equal("invalid_change", (await ErrorAsync(await store.Api.PatchAsJsonAsync($"/api/adsets/{winners}", new { dailyBudget = -5 }), HttpStatusCode.UnprocessableEntity)).GetProperty("code").GetString());
        Assert.Equal("invalid_change", (await ErrorAsync(await store.Api.PatchAsJsonAsync($"/api/adsets/{winners}", new { dailyBudget = 90, status = "paused" }), HttpStatusCode.UnprocessableEntity)).GetProperty("code").GetString());
        var noBudget = await ErrorAsync(await store.Api.PatchAsJsonAsync($"/api/ads/{loserAd}", new { dailyBudget = 20 }), HttpStatusCode.Conflict);
        Assert.Contains("no daily budget of its own", noBudget.GetProperty("message").GetString());
        using var broken = new HttpRequestMessage(HttpMethod.Patch, $"/api/ads/{loserAd}") { Content = new StringContent("{\"status\":", System.Text.Encoding.UTF8, "application/json") };
        Assert.Equal(HttpStatusCode.BadRequest, (await store.Api.SendAsync(broken)).StatusCode);
        // Another store's ad set is not found, and stays as it was.
        Assert.Equal(HttpStatusCode.NotFound, (await store.Api.PatchAsJsonAsync($"/api/adsets/{other.Winners}", new { status = "paused" })).StatusCode);

        Assert.Equal(EntityStatus.Active, await AdStatusAsync(store, loserAd));
        Assert.Equal(100m, await BudgetAsync(store, winners));
        Assert.Equal(100m, await BudgetAsync(other.Store, other.Winners));
        Assert.Equal(0, await local.App.WithDbAsync(store.StoreId, db => db.ActionRecords.CountAsync()));
    }

    [Fact]
    public async Task On_the_ad_set_page_a_marketer_pauses_an_ad_undoes_it_and_confirms_a_big_budget_change_while_a_viewer_sees_no_controls()
    {
        var local = await fixture.LocalAsync(AppFixture.Sqlite);
        var (store, winners, _, loserAd) = await WinnersAndLosers.CreateAsync(local.App);
        var marketer = await local.CreateMemberAsync(store.StoreId, StoreRole.Marketer);
        var viewer = await local.CreateMemberAsync(store.StoreId, StoreRole.Viewer);
        var browser = await local.SignInAsync(marketer.Email);
        var page = $"/campaigns/{store.CampaignId}/adsets/{winners}?preset=7d";

        var html = await browser.Client.GetStringAsync(page);
        Assert.Contains("data-testid=\"manual-controls\"", html, StringComparison.Ordinal);
        Assert.Contains("name=\"dailyBudget\"", html, StringComparison.Ordinal);

        using var paused = await browser.PostHtmxAsync(page + "&handler=Change", ("scope", "ad"), ("entityId", loserAd.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("status", "paused"));
        var fragment = await paused.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
        Assert.DoesNotContain("<html", fragment, StringComparison.Ordinal);
        Assert.Contains("Changed by hand. Status ACTIVE → PAUSED.", fragment, StringComparison.Ordinal);
        Assert.Equal(EntityStatus.Paused, await AdStatusAsync(store, loserAd));
        var actionId = await local.App.WithDbAsync(store.StoreId, db => db.ActionRecords.Select(a => a.Id).SingleAsync());
        Assert.Contains($"name=\"actionId\" value=\"{actionId}\"", fragment, StringComparison.Ordinal);

        using var undone = await browser.PostHtmxAsync(page + "&handler=Undo", ("actionId", actionId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Contains("Undone:", await undone.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(EntityStatus.Active, await AdStatusAsync(store, loserAd));

        using var big = await browser.PostHtmxAsync(page + "&handler=Change", ("scope", "ad_set"), ("entityId", winners.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("dailyBudget", "200"));
        var asked = await big.Content.ReadAsStringAsync();
        Assert.Contains("Apply anyway", asked, StringComparison.Ordinal);
        Assert.Equal(100m, await BudgetAsync(store, winners));
        using var applied = await browser.PostHtmxAsync(page + "&handler=Change", ("scope", "ad_set"), ("entityId", winners.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("dailyBudget", "200"), ("confirm", "true"));
        Assert.Contains("Budget 100.00 → 200.00", await applied.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(200m, await BudgetAsync(store, winners));

        var viewerBrowser = await local.SignInAsync(viewer.Email);
        Assert.DoesNotContain("data-testid=\"manual-controls\"", await viewerBrowser.Client.GetStringAsync(page), StringComparison.Ordinal);
        using var refused = await viewerBrowser.PostHtmxAsync(page + "&handler=Change", ("scope", "ad"), ("entityId", loserAd.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("status", "paused"));
        Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);
        Assert.Equal(EntityStatus.Active, await AdStatusAsync(store, loserAd));
    }

    private static Task<string> AdStatusAsync(RecommendationTestStore store, long adId) =>
        store.App.WithDbAsync(store.StoreId, db => db.Ads.Where(a => a.Id == adId).Select(a => a.Status).SingleAsync());

    private static Task<decimal?> BudgetAsync(RecommendationTestStore store, long adSetId) =>
        store.App.WithDbAsync(store.StoreId, db => db.AdSets.Where(a => a.Id == adSetId).Select(a => a.DailyBudget).SingleAsync());

    private static async Task<JsonElement> DataAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("data").Clone();
    }

    private static async Task<JsonElement> ErrorAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("error").Clone();
    }
}
