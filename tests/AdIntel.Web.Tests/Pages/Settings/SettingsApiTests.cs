using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AdIntel.Web.Domain;
using AdIntel.Web.Tests.Security;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Tests.Pages.Settings;

/// <summary><c>GET /api/settings</c> (every section) and <c>/api/settings/community</c> (the pooled-benchmarks opt-in).</summary>
[Collection(AppCollection.Name)]
public sealed class SettingsApiTests(AppFixture fixture)
{
    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Get_settings_has_every_section_as_its_own_endpoint_answers(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var store = await app.CreateStoreAsync(StoreRole.Owner);
        // Some values away from the defaults, so a section read from the wrong place would show.
        await store.Api.PutAsJsonAsync("/api/settings/costs", new { paymentFeePercent = 2.2, paymentFeeFixed = 0.2, shippingCostPerOrder = 4.5, otherMarketingCostPerMonth = 900 });
        await store.Api.PutAsJsonAsync("/api/settings/targets", new { mer = 4.5, poas = 2 });
        await store.Api.PutAsJsonAsync("/api/settings/community", new { benchmarks = true });
        await store.Api.PutAsJsonAsync("/api/settings/brand-profile", new { voice = "warm", wordsToAvoid = new[] { "cheap" } });

        var all = (await store.Api.GetFromJsonAsync<JsonElement>("/api/settings")).GetProperty("data");

        string[] sections = ["costs", "targets", "automation", "notifications", "community", "integrations", "brand"];
        Assert.Equal(sections.Order(), all.EnumerateObject().Select(p => p.Name).Order());
        foreach (var section in sections)
        {
            var path = section == "brand" ? "brand-profile" : section;
            var own = (await store.Api.GetFromJsonAsync<JsonElement>($"/api/settings/{path}")).GetProperty("data");
            Assert.True(own.GetRawText() == all.GetProperty(section).GetRawText(), $"{section}: {all.GetProperty(section)} vs {own}");
        }
        Assert.Equal(4.5m, all.GetProperty("costs").GetProperty("shippingCostPerOrder").GetDecimal());
        Assert.Equal(4.5m, all.GetProperty("targets").GetProperty("mer").GetDecimal());
        Assert.True(all.GetProperty("community").GetProperty("benchmarks").GetBoolean());
        Assert.Equal("cheap", all.GetProperty("brand").GetProperty("wordsToAvoid")[0].GetString());
    }

    [Fact]
    public async Task Community_is_off_by_default_and_an_owner_turns_it_on_and_off_audited()
    {
        var store = await fixture.SqliteApp.CreateStoreAsync(StoreRole.Owner);
        Assert.False((await store.Api.GetFromJsonAsync<JsonElement>("/api/settings/community")).GetProperty("data").GetProperty("benchmarks").GetBoolean());

        using var on = await store.Api.PutAsJsonAsync("/api/settings/community", new { benchmarks = true });
        Assert.Equal(HttpStatusCode.OK, on.StatusCode);
        Assert.True((await on.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data").GetProperty("benchmarks").GetBoolean());
        // Saying it again changes nothing and is not audited twice.
        await store.Api.PutAsJsonAsync("/api/settings/community", new { benchmarks = true });
        using var off = await store.Api.PutAsJsonAsync("/api/settings/community", new { benchmarks = false });
        Assert.False((await off.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data").GetProperty("benchmarks").GetBoolean());

        var audited = await fixture.SqliteApp.WithDbAsync(store.StoreId, db => db.AuditEntries.Where(a => a.Action == "settings.community_updated")
            .OrderBy(a => a.Id).Select(a => a.Summary).ToListAsync());
        Assert.Collection(audited, a => Assert.StartsWith("Opted in", a, StringComparison.Ordinal), a => Assert.StartsWith("Opted out", a, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{}", 422, "invalid_settings")]
    [InlineData("{\"benchmarks\": null}", 422, "invalid_settings")]
    [InlineData("{\"benchmarks\": \"yes\"}", 400, "bad_request")]
    [InlineData("{not json", 400, "bad_request")]
    [InlineData("null", 400, "bad_request")]
    public async Task Put_community_with_a_bad_body_answers_a_clear_error_and_changes_nothing(string body, int status, string code)
    {
        var store = await fixture.SqliteApp.CreateStoreAsync(StoreRole.Owner);

        using var response = await store.Api.PutAsync("/api/settings/community", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(status, (int)response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.False(await fixture.SqliteApp.WithDbAsync(store.StoreId, db => db.StoreSettings.Select(s => s.CommunityBenchmarks).SingleAsync()));
    }

    [Theory]
    [InlineData(StoreRole.Viewer)]
    [InlineData(StoreRole.Accountant)]
    [InlineData(StoreRole.Marketer)]
    public async Task Only_an_owner_may_change_community_sharing(StoreRole role)
    {
        var store = await fixture.SqliteApp.CreateStoreAsync(role);

        Assert.Equal(HttpStatusCode.OK, (await store.Api.GetAsync("/api/settings/community")).StatusCode);
        using var put = await store.Api.PutAsJsonAsync("/api/settings/community", new { benchmarks = true });

        Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
        Assert.Equal("forbidden", (await put.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString());
        Assert.False(await fixture.SqliteApp.WithDbAsync(store.StoreId, db => db.StoreSettings.Select(s => s.CommunityBenchmarks).SingleAsync()));
    }

    [Fact]
    public async Task The_community_page_lets_an_owner_but_not_a_marketer_change_sharing()
    {
        var local = await fixture.LocalAsync(AppFixture.Sqlite);
        var storeId = await local.CreateStoreAsync();
        var marketer = await local.SignInAsync((await local.CreateMemberAsync(storeId, StoreRole.Marketer)).Email);
        var owner = await local.SignInAsync((await local.CreateMemberAsync(storeId, StoreRole.Owner)).Email);

        var page = await marketer.Client.GetStringAsync("/settings/community");
        Assert.Contains("Only an owner can change this", page, StringComparison.Ordinal);
        using (var refused = await marketer.PostFormAsync("/settings/community", ("Share", "true")))
        {
            Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
            Assert.Equal("/Error?status=403", refused.Headers.Location?.OriginalString);
        }
        // Without the antiforgery token the form is refused.
        using (var forged = await owner.Client.PostAsync("/settings/community", new FormUrlEncodedContent([KeyValuePair.Create("Share", "true")])))
        {
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        }
        Assert.False(await local.App.WithDbAsync(storeId, db => db.StoreSettings.Select(s => s.CommunityBenchmarks).SingleAsync()));

        using var saved = await owner.PostFormAsync("/settings/community", ("Share", "true"));
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.True(await local.App.WithDbAsync(storeId, db => db.StoreSettings.Select(s => s.CommunityBenchmarks).SingleAsync()));
    }
}
