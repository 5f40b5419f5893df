using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AdIntel.Web.Domain;

namespace AdIntel.Web.Tests.Integrations.Shopify;

/// <summary>The original product's auth paths: <c>/api/auth/shopify</c> and its callback (aliases of the app's install flow) and <c>/api/auth/shopify/me</c>.</summary>
[Collection(AppCollection.Name)]
public sealed class ShopifyAuthApiTests(AppFixture fixture)
{
    [Fact]
    public async Task Api_install_refuses_a_missing_or_bad_shop_and_installs_a_good_one_through_the_api_callback()
    {
        await using var host = await ShopifyAppHost.StartAsync(fixture, AppFixture.Sqlite);
        var browser = host.NewBrowser();

        using (var missing = await browser.Client.GetAsync("/api/auth/shopify"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
            var error = (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
            Assert.Equal("bad_request", error.GetProperty("code").GetString());
            Assert.Contains("?shop=", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }
        using (var bad = await browser.Client.GetAsync("/api/auth/shopify?shop=evil.example.com"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            var error = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
            Assert.Equal("invalid_shop", error.GetProperty("code").GetString());
            Assert.Contains(".myshopify.com", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.Client.GetAsync("/api/auth/shopify/me")).StatusCode);

        var shop = ShopifyAppHost.NewShop();
        Uri authorize;
        using (var install = await browser.Client.GetAsync($"/api/auth/shopify?shop={shop}"))
        {
            Assert.Equal(HttpStatusCode.Redirect, install.StatusCode);
            authorize = install.Headers.Location!;
        }
        Assert.StartsWith(host.Fake.ShopifyShopUrlTemplate.Replace("{shop}", shop, StringComparison.Ordinal) + "/admin/oauth/authorize?", authorize.ToString(), StringComparison.Ordinal);
        Assert.Equal("http://localhost/api/auth/shopify/callback", ShopifyAppHost.Query(authorize).Single(p => p.Key == "redirect_uri").Value);

        // The fake Shopify consents and sends the browser back to the API callback, which the install's own code handles.
        using var shopify = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var consent = await shopify.GetAsync(authorize);
        var callback = consent.Headers.Location!;
        Assert.Equal("/api/auth/shopify/callback", callback.AbsolutePath);
        using (var back = await browser.Client.GetAsync(callback.PathAndQuery))
        {
            Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
            Assert.Equal("/", back.Headers.Location!.ToString());
        }
        var store = await host.StoreAsync(shop);
        Assert.NotNull(store);
        Assert.Equal(IntegrationStatuses.Connected, (await host.ConnectionAsync(shop))!.Status);

        var me = (await browser.Client.GetFromJsonAsync<JsonElement>("/api/auth/shopify/me")).GetProperty("data");
        Assert.Equal("shopify", me.GetProperty("person").GetProperty("kind").GetString());
        Assert.Equal(shop, me.GetProperty("person").GetProperty("name").GetString());
        Assert.Equal(store.Id, me.GetProperty("store").GetProperty("id").GetInt64());
        Assert.Equal("owner", me.GetProperty("role").GetString());
        Assert.Equal(shop, me.GetProperty("shop").GetProperty("domain").GetString());
        Assert.Equal("connected", me.GetProperty("shop").GetProperty("connection").GetString());
    }

    [Fact]
    public async Task Me_names_the_person_store_and_role_of_a_session_and_of_a_token()
    {
        var local = await fixture.LocalAsync(AppFixture.Sqlite);
        var storeId = await local.CreateStoreAsync("Acme Outdoor");
        var marketer = await local.CreateMemberAsync(storeId, StoreRole.Marketer);
        var browser = await local.SignInAsync(marketer.Email);

        var session = (await browser.Client.GetFromJsonAsync<JsonElement>("/api/auth/shopify/me")).GetProperty("data");
        Assert.Equal("account", session.GetProperty("person").GetProperty("kind").GetString());
        Assert.Equal(marketer.Email, session.GetProperty("person").GetProperty("email").GetString());
        Assert.Equal(storeId, session.GetProperty("store").GetProperty("id").GetInt64());
        Assert.Equal("Acme Outdoor", session.GetProperty("store").GetProperty("name").GetString());
        Assert.Equal("marketer", session.GetProperty("role").GetString());
        Assert.Equal("not_connected", session.GetProperty("shop").GetProperty("connection").GetString());
        Assert.EndsWith(".myshopify.com", session.GetProperty("shop").GetProperty("domain").GetString(), StringComparison.Ordinal);

        // A viewer's token made by an owner acts as a viewer, and names its person.
        var owner = await local.CreateMemberAsync(storeId, StoreRole.Owner);
        var token = await local.CreateTokenClientAsync(storeId, StoreRole.Viewer, owner);
        var viaToken = (await token.GetFromJsonAsync<JsonElement>("/api/auth/shopify/me")).GetProperty("data");
        Assert.Equal("token", viaToken.GetProperty("person").GetProperty("kind").GetString());
        Assert.Equal(owner.Email, viaToken.GetProperty("person").GetProperty("email").GetString());
        Assert.Equal("tests Viewer", viaToken.GetProperty("person").GetProperty("token").GetString());
        Assert.Equal("viewer", viaToken.GetProperty("role").GetString());
        Assert.Equal(storeId, viaToken.GetProperty("store").GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task Api_install_says_so_when_no_shopify_app_is_configured()
    {
        using var response = await fixture.SqliteApp.CreateClient().GetAsync("/api/auth/shopify?shop=acme.myshopify.com");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("shopify_not_configured", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString());
    }
}
