using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using AdIntel.Web.Domain;

namespace AdIntel.Web.Tests.Pages.Settings;

[Collection(AppCollection.Name)]
public sealed partial class SettingsTests(AppFixture fixture)
{
    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task PutCosts_as_marketer_saves_and_get_returns_them(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var store = await app.CreateStoreAsync(StoreRole.Marketer);

        var put = await store.Api.PutAsJsonAsync("/api/settings/costs",
            new { paymentFeePercent = 2.5, paymentFeeFixed = 0.25, shippingCostPerOrder = 6.4, otherMarketingCostPerMonth = 3000 });
        var get = await store.Api.GetFromJsonAsync<JsonElement>("/api/settings/costs");

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var data = get.GetProperty("data");
        Assert.Equal(2.5m, data.GetProperty("paymentFeePercent").GetDecimal());
        Assert.Equal(6.4m, data.GetProperty("shippingCostPerOrder").GetDecimal());
        Assert.Equal(3000m, data.GetProperty("otherMarketingCostPerMonth").GetDecimal());
    }

    [Fact]
    public async Task New_store_gets_the_default_payment_fees()
    {
        var store = await fixture.SqliteApp.CreateStoreAsync(StoreRole.Viewer);

        var data = (await store.Api.GetFromJsonAsync<JsonElement>("/api/settings")).GetProperty("data").GetProperty("costs");

        Assert.Equal(2.9m, data.GetProperty("paymentFeePercent").GetDecimal());
        Assert.Equal(0.30m, data.GetProperty("paymentFeeFixed").GetDecimal());
    }

    [Fact]
    public async Task PutCosts_as_viewer_is_forbidden()
    {
        var store = await fixture.SqliteApp.CreateStoreAsync(StoreRole.Viewer);

        var put = await store.Api.PutAsJsonAsync("/api/settings/costs",
            new { paymentFeePercent = 1, paymentFeeFixed = 0, shippingCostPerOrder = 0, otherMarketingCostPerMonth = 0 });

        Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
    }

    [Theory]
    [InlineData("{\"paymentFeePercent\": 45, \"paymentFeeFixed\": 0, \"shippingCostPerOrder\": 0, \"otherMarketingCostPerMonth\": 0}", 422, "invalid_settings")]
    [InlineData("{\"paymentFeePercent\": \"lots\"}", 400, "bad_request")]
    [InlineData("{not json", 400, "bad_request")]
    public async Task PutCosts_with_bad_body_answers_a_clear_error(string body, int status, string code)
    {
        var store = await fixture.SqliteApp.CreateStoreAsync(StoreRole.Owner);

        var response = await store.Api.PutAsync("/api/settings/costs", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(status, (int)response.StatusCode);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(code, json.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Api_token_created_on_the_page_works_until_revoked()
    {
        var browser = fixture.SqliteApp.CreateClient();
        var page = await browser.GetStringAsync("/settings/api-tokens");
        var antiforgery = RequestToken().Match(page).Groups[1].Value;

        var create = await browser.PostAsync("/settings/api-tokens?handler=Create", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Name"] = "nightly export",
            ["Input.Role"] = nameof(StoreRole.Accountant),
            ["__RequestVerificationToken"] = antiforgery,
        }));
        var created = await create.Content.ReadAsStringAsync();
        var secret = NewToken().Match(created).Groups[1].Value;

        Assert.Equal(HttpStatusCode.OK, create.StatusCode);
        Assert.StartsWith("adi_", secret);
        var api = fixture.SqliteApp.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/settings")).StatusCode);

        var id = long.Parse(TokenRowId().Match(created).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var revoke = await browser.PostAsync($"/settings/api-tokens?handler=Revoke&id={id}",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = antiforgery }));
        Assert.True(revoke.IsSuccessStatusCode || revoke.StatusCode == HttpStatusCode.Redirect);

        var after = await api.GetAsync("/api/settings");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Equal("unauthorized", (await after.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Post_without_antiforgery_token_is_refused()
    {
        var response = await fixture.SqliteApp.CreateClient().PostAsync("/settings",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["Input.PaymentFeePercent"] = "1" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex RequestToken();

    [GeneratedRegex("data-testid=\"new-token\">([^<]+)<")]
    private static partial Regex NewToken();

    [GeneratedRegex("id=\"token-(\\d+)\"")]
    private static partial Regex TokenRowId();
}
