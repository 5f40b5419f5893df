using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AdIntel.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Tests.Pages.Settings;

/// <summary><c>/api/settings/brand-profile</c> and Settings → Brand: validated, audited, marketers and owners change it, each store its own.</summary>
[Collection(AppCollection.Name)]
public sealed class BrandProfileTests(AppFixture fixture)
{
    [Fact]
    public async Task A_marketer_saves_the_profile_normalized_and_audited_and_another_store_does_not_see_it()
    {
        var store = await fixture.SqliteApp.CreateStoreAsync(StoreRole.Marketer);
        var other = await fixture.SqliteApp.CreateStoreAsync(StoreRole.Owner);

        using var put = await store.Api.PutAsJsonAsync("/api/settings/brand-profile", new
        {
            voice = "  warm, playful ", audience = "Runners", productsToFeature = new[] { "Merino socks", " ", "merino socks", "Trail cap" },
            wordsToAvoid = new[] { "cheap" }, claimsAllowed = new[] { "Made in Portugal" },
        });

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var saved = (await store.Api.GetFromJsonAsync<JsonElement>("/api/settings/brand-profile")).GetProperty("data");
        Assert.Equal("warm, playful", saved.GetProperty("voice").GetString());
        Assert.Equal(["Merino socks", "Trail cap"], saved.GetProperty("productsToFeature").EnumerateArray().Select(p => p.GetString()));
        var audited = await fixture.SqliteApp.WithDbAsync(store.StoreId, db => db.AuditEntries.Where(a => a.Action == "settings.brand_profile_updated").Select(a => a.Summary).ToListAsync());
        Assert.Contains("products to feature (2)", Assert.Single(audited), StringComparison.Ordinal);
        var theirs = (await other.Api.GetFromJsonAsync<JsonElement>("/api/settings/brand-profile")).GetProperty("data");
        Assert.Equal(JsonValueKind.Null, theirs.GetProperty("voice").ValueKind);
        Assert.Empty(theirs.GetProperty("wordsToAvoid").EnumerateArray());
    }

    [Theory]
    [InlineData("voice", null, 422, "at most 300 characters")]
    [InlineData("wordsToAvoid", null, 422, "at most 50 entries")]
    [InlineData("body", "null", 400, null)]
    [InlineData("body", "{not json", 400, null)]
    [InlineData("body", "", 400, null)]
    public async Task Bad_profiles_get_clear_errors_and_nothing_is_saved(string field, string? body, int status, string? message)
    {
        var store = await fixture.SqliteApp.CreateStoreAsync(StoreRole.Owner);
        body ??= field == "voice"
            ? JsonSerializer.Serialize(new { voice = new string('v', 301) })
            : JsonSerializer.Serialize(new { wordsToAvoid = Enumerable.Range(1, 51).Select(i => $"word{i}") });

        using var response = await store.Api.PutAsync("/api/settings/brand-profile", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(status, (int)response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        if (message is not null)
        {
            Assert.Equal("invalid_settings", error.GetProperty("code").GetString());
            Assert.Contains(message, error.GetProperty("details").GetProperty(field).GetString(), StringComparison.Ordinal);
        }
        Assert.Null(await fixture.SqliteApp.WithDbAsync(store.StoreId, db => db.StoreSettings.Select(s => s.BrandWordsToAvoid ?? s.BrandVoice).SingleAsync()));
    }

    [Theory]
    [InlineData(StoreRole.Viewer)]
    [InlineData(StoreRole.Accountant)]
    public async Task Viewers_read_the_profile_but_cannot_change_it(StoreRole role)
    {
        var store = await fixture.SqliteApp.CreateStoreAsync(role);

        using var get = await store.Api.GetAsync("/api/settings/brand-profile");
        using var put = await store.Api.PutAsJsonAsync("/api/settings/brand-profile", new { voice = "bold" });

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
        Assert.Null(await fixture.SqliteApp.WithDbAsync(store.StoreId, db => db.StoreSettings.Select(s => s.BrandVoice).SingleAsync()));
    }

    [Fact]
    public async Task The_settings_page_shows_the_form_and_saves_through_it()
    {
        var client = fixture.SqliteApp.CreateClient();
        var page = await client.GetStringAsync("/settings/brand");
        Assert.Contains("Brand profile", page, StringComparison.Ordinal);
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(token);

        // Without the anti-forgery token the post is refused.
        using var forged = await client.PostAsync("/settings/brand", new FormUrlEncodedContent(new Dictionary<string, string> { ["Input.Voice"] = "bold" }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        using var tooMany = await client.PostAsync("/settings/brand", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Input.Voice"] = "bold", ["Input.ProductsToFeature"] = string.Join("\n", Enumerable.Range(1, 21).Select(i => $"Product {i}")),
        }));
        Assert.Contains("at most 20 entries", await tooMany.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
