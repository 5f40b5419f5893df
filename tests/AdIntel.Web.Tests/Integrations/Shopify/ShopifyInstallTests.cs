using System.Net;
using System.Security.Cryptography;
using System.Text;
using AdIntel.Fakes.Shopify;
using AdIntel.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Tests.Integrations.Shopify;

/// <summary>Installing the app through real HTTP against the fake Shopify, and everything a forged or stale callback must not achieve.</summary>
[Collection(AppCollection.Name)]
public sealed class ShopifyInstallTests(AppFixture fixture)
{
    [Theory, MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Install_stores_an_encrypted_expiring_token_and_signs_the_merchant_in_to_the_new_store(string provider)
    {
        await using var host = await ShopifyAppHost.StartAsync(fixture, provider);
        var shop = ShopifyAppHost.NewShop();
        var browser = host.NewBrowser();

        // The install entry keeps its nonce in a short-lived, HttpOnly, SameSite=Lax cookie.
        using (var install = await browser.Client.GetAsync($"/integrations/shopify/install?shop={shop.ToUpperInvariant()}"))
        {
            Assert.Equal(HttpStatusCode.Redirect, install.StatusCode);
            var cookie = Assert.Single(install.Headers.GetValues("Set-Cookie"), c => c.StartsWith("adintel.shopify_install=", StringComparison.Ordinal));
            Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
            var authorize = ShopifyAppHost.Query(install.Headers.Location!);
            Assert.Equal(host.Fake.Shopify.ClientId, authorize.Single(p => p.Key == "client_id").Value);
            Assert.Equal("http://localhost/integrations/shopify/callback", authorize.Single(p => p.Key == "redirect_uri").Value);
            Assert.True(authorize.Single(p => p.Key == "state").Value.Length >= 15);
        }
        var (callback, _) = await host.InstallAsync(browser, shop);
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Equal("/", callback.Headers.Location!.ToString());

        var store = await host.StoreAsync(shop);
        Assert.NotNull(store);
        var connection = await host.ConnectionAsync(shop);
        Assert.NotNull(connection);
        Assert.Equal(store.Id, connection.StoreId);
        Assert.Equal(IntegrationStatuses.Connected, connection.Status);
        Assert.Equal(host.Fake.Shopify.Scopes, connection.Scopes);
        // The stored column is ciphertext; decrypted, it is a token the fake Shopify accepts, expiring in an hour.
        var token = host.Decrypt(connection.EncryptedAccessToken);
        Assert.NotNull(token);
        Assert.DoesNotContain(token, connection.EncryptedAccessToken!, StringComparison.Ordinal);
        Assert.True(FakeShopify.IsValidAccessToken(host.Fake.Shopify, shop, token, DateTimeOffset.UtcNow));
        Assert.InRange(connection.AccessTokenExpiresAtUtc!.Value, DateTime.UtcNow.AddMinutes(55), DateTime.UtcNow.AddMinutes(65));
        var refresh = host.Decrypt(connection.EncryptedRefreshToken);
        Assert.StartsWith("shprt_", refresh, StringComparison.Ordinal);
        Assert.DoesNotContain(refresh!, connection.EncryptedRefreshToken!, StringComparison.Ordinal);
        Assert.NotNull(connection.RefreshTokenExpiresAtUtc);
        Assert.True(await host.App.WithDbAsync(store.Id, db => db.StoreSettings.AnyAsync()));
        Assert.True(await host.App.WithDbAsync(store.Id, db => db.AuditEntries.AnyAsync(a => a.Action == "integration.connected")));

        // Signed in as the new store's owner: the owner-only API answers, for this store.
        using var requests = await browser.Client.GetAsync("/api/compliance-requests");
        Assert.Equal(HttpStatusCode.OK, requests.StatusCode);
        // A fresh browser is not signed in.
        using var anonymous = await host.NewBrowser().Client.GetAsync("/api/compliance-requests");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Theory, MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Forged_stale_foreign_or_refused_callbacks_get_a_clear_page_and_store_nothing(string provider)
    {
        await using var host = await ShopifyAppHost.StartAsync(fixture, provider);
        var shop = ShopifyAppHost.NewShop();
        var secret = host.Secret;

        async Task<(HttpStatusCode Status, string Page)> TryAsync(Func<Uri, string> tamper, bool withCookie = true)
        {
            var browser = host.NewBrowser();
            var callback = await host.ConsentAsync(browser, shop);
            var client = withCookie ? browser.Client : host.NewBrowser().Client;
            using var response = await client.GetAsync("/integrations/shopify/callback" + tamper(callback));
            return (response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        var stale = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

        var cases = new (string Name, Func<Uri, string> Tamper, bool Cookie, HttpStatusCode Status, string Says)[]
        {
            // Another code with Shopify's signature left as it was.
            ("bad hmac", c => c.Query.Replace("code=", "code=f00d", StringComparison.Ordinal), true, HttpStatusCode.Unauthorized, "not signed by Shopify"),
            ("signed with another secret", c => ShopifyAppHost.Signed(ShopifyAppHost.Query(c), "not-the-secret"), true, HttpStatusCode.Unauthorized, "not signed by Shopify"),
            ("no hmac", c => ShopifyAppHost.Signed(ShopifyAppHost.Query(c), secret).Split("&hmac=")[0], true, HttpStatusCode.Unauthorized, "not signed by Shopify"),
            ("stale timestamp", c => ShopifyAppHost.Signed(ShopifyAppHost.Query(c), secret, ("timestamp", stale)), true, HttpStatusCode.BadRequest, "expired"),
            ("wrong state", c => ShopifyAppHost.Signed(ShopifyAppHost.Query(c), secret, ("state", "another-nonce-0123456789")), true, HttpStatusCode.BadRequest, "does not belong"),
            ("no state cookie", c => c.Query, false, HttpStatusCode.BadRequest, "no Shopify connection in progress"),
            ("invalid shop", c => ShopifyAppHost.Signed(ShopifyAppHost.Query(c), secret, ("shop", "evil.example.com")), true, HttpStatusCode.BadRequest, "another shop"),
            ("another shop", c => ShopifyAppHost.Signed(ShopifyAppHost.Query(c), secret, ("shop", "other-shop.myshopify.com")), true, HttpStatusCode.BadRequest, "another shop"),
            ("code Shopify refuses", c => ShopifyAppHost.Signed(ShopifyAppHost.Query(c), secret, ("code", "0907a61c0c8d55e99db179b68161bc00")), true, HttpStatusCode.BadRequest, "Shopify did not accept"),
        };
        foreach (var (name, tamper, cookie, status, says) in cases)
        {
            var (actual, page) = await TryAsync(tamper, cookie);
            Assert.True(status == actual, $"{name}: {actual}");
            Assert.Contains("<!DOCTYPE html>", page, StringComparison.Ordinal);
            Assert.Contains(says, page, StringComparison.Ordinal);
        }

        Assert.Null(await host.StoreAsync(shop));
        Assert.Equal(0, await host.App.WithDbAsync(null, db => db.IntegrationConnections.IgnoreQueryFilters().CountAsync()));
        Assert.Equal(0, await host.App.WithDbAsync(null, db => db.Stores.CountAsync()));

        // The same browser's genuine callback, used once, works; replaying it (the cookie is spent) does not.
        var browser = host.NewBrowser();
        var (first, callback) = await host.InstallAsync(browser, shop);
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        using var replay = await browser.Client.GetAsync(callback.PathAndQuery);
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Equal(1, await host.App.WithDbAsync(null, db => db.IntegrationConnections.IgnoreQueryFilters().CountAsync()));
    }

    [Theory, MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Install_entry_refuses_bad_launches_and_asks_for_a_shop(string provider)
    {
        await using var host = await ShopifyAppHost.StartAsync(fixture, provider);
        var client = host.NewBrowser().Client;

        using var ask = await client.GetAsync("/integrations/shopify/install");
        Assert.Equal(HttpStatusCode.OK, ask.StatusCode);
        Assert.Contains("name=\"shop\"", await ask.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The form's answer is a page that moves on to Shopify (a redirect after a form would break CSP form-action 'self').
        var shop = ShopifyAppHost.NewShop();
        using (var fromForm = await client.GetAsync($"/integrations/shopify/install?shop={shop}&continue=page"))
        {
            Assert.Equal(HttpStatusCode.OK, fromForm.StatusCode);
            var page = await fromForm.Content.ReadAsStringAsync();
            Assert.Contains("http-equiv=\"refresh\"", page, StringComparison.Ordinal);
            Assert.Contains(System.Text.Encodings.Web.HtmlEncoder.Default.Encode(host.Fake.ShopifyShopUrlTemplate.Replace("{shop}", shop, StringComparison.Ordinal) + "/admin/oauth/authorize?"),
                page, StringComparison.Ordinal);
        }

        using var notAShop = await client.GetAsync("/integrations/shopify/install?shop=evil.com%2F%3Cscript%3E");
        Assert.Equal(HttpStatusCode.BadRequest, notAShop.StatusCode);
        Assert.DoesNotContain("<script>", await notAShop.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Shopify's app launch: signed parameters are checked before anything else.
        var launch = new List<KeyValuePair<string, string>>
        {
            new("shop", ShopifyAppHost.NewShop()),
            new("host", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin.shopify.com/store/x"))),
            new("timestamp", DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        using var genuine = await client.GetAsync("/integrations/shopify/install" + ShopifyAppHost.Signed(launch, host.Secret));
        Assert.Equal(HttpStatusCode.Redirect, genuine.StatusCode);
        using var forged = await client.GetAsync("/integrations/shopify/install" + ShopifyAppHost.Signed(launch, "wrong"));
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
    }

    [Theory, MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Embedded_launch_trades_the_session_token_and_a_forged_token_gets_nothing(string provider)
    {
        await using var host = await ShopifyAppHost.StartAsync(fixture, provider);
        var shop = ShopifyAppHost.NewShop();

        string Launch(string idToken) => "/integrations/shopify/install" + ShopifyAppHost.Signed(
        [
            new("embedded", "1"),
            new("host", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin.shopify.com/store/" + shop.Split('.')[0]))),
            new("id_token", idToken),
            new("shop", shop),
            new("timestamp", DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ], host.Secret);

        var forged = host.NewBrowser();
        using (var response = await forged.Client.GetAsync(Launch(SessionToken(host, shop, "not-the-secret"))))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        using (var response = await forged.Client.GetAsync(Launch(SessionToken(host, "other-shop.myshopify.com", host.Secret))))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        Assert.Null(await host.ConnectionAsync(shop));

        var browser = host.NewBrowser();
        using (var response = await browser.Client.GetAsync(Launch(SessionToken(host, shop, host.Secret))))
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        }
        var connection = await host.ConnectionAsync(shop);
        Assert.NotNull(connection);
        Assert.True(FakeShopify.IsValidAccessToken(host.Fake.Shopify, shop, host.Decrypt(connection.EncryptedAccessToken), DateTimeOffset.UtcNow));
        using var signedIn = await browser.Client.GetAsync("/api/compliance-requests");
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);

        // Launching again while the token is usable signs in without trading a new one.
        using (var again = await host.NewBrowser().Client.GetAsync(Launch(SessionToken(host, shop, host.Secret))))
        {
            Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        }
        Assert.Equal(connection.EncryptedAccessToken, (await host.ConnectionAsync(shop))!.EncryptedAccessToken);
    }

    [Theory, MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Disconnect_needs_the_owners_form_token_then_deletes_the_tokens_and_ends_the_shopify_session(string provider)
    {
        await using var host = await ShopifyAppHost.StartAsync(fixture, provider);
        var shop = ShopifyAppHost.NewShop();
        var browser = host.NewBrowser();
        await host.InstallAsync(browser, shop);

        using (var withoutToken = await browser.Client.PostAsync("/integrations/shopify/disconnect", new FormUrlEncodedContent([])))
        {
            Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        }
        Assert.Equal(IntegrationStatuses.Connected, (await host.ConnectionAsync(shop))!.Status);

        var token = await browser.AntiforgeryTokenAsync("/settings");
        using (var disconnect = await browser.Client.PostAsync("/integrations/shopify/disconnect", Security.Browser.Form(token, ("returnUrl", "/settings"))))
        {
            Assert.Equal(HttpStatusCode.Redirect, disconnect.StatusCode);
        }
        var connection = await host.ConnectionAsync(shop);
        Assert.Equal(IntegrationStatuses.Disconnected, connection!.Status);
        Assert.Null(connection.EncryptedAccessToken);
        Assert.Null(connection.EncryptedRefreshToken);
        // In Shopify mode the session belonged to that connection: it is over.
        using var after = await browser.Client.GetAsync("/api/compliance-requests");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task Without_app_credentials_there_is_no_shopify_app_and_webhooks_cannot_be_verified()
    {
        var app = await fixture.HostAsync(AppFixture.Sqlite);
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var install = await client.GetAsync($"/integrations/shopify/install?shop={ShopifyAppHost.NewShop()}");
        Assert.Equal(HttpStatusCode.NotFound, install.StatusCode);
        Assert.Contains("Shopify is not set up", await install.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var webhook = await client.PostAsync("/api/webhooks/shopify", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, webhook.StatusCode);
    }

    [Fact]
    public async Task Demo_mode_never_connects_the_shared_demo_store()
    {
        await using var host = await ShopifyAppHost.StartAsync(fixture, AppFixture.Sqlite, mode: "Demo");
        using var install = await host.NewBrowser().Client.GetAsync($"/integrations/shopify/install?shop={ShopifyAppHost.NewShop()}");
        Assert.Equal(HttpStatusCode.BadRequest, install.StatusCode);
        Assert.Contains("demo mode", await install.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>An App Bridge session token as Shopify mints it.</summary>
    private static string SessionToken(ShopifyAppHost host, string shop, string secret)
    {
        static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = Encode(Encoding.UTF8.GetBytes("""{"alg":"HS256","typ":"JWT"}"""));
        var payload = Encode(Encoding.UTF8.GetBytes(
            $$"""{"iss":"https://{{shop}}/admin","dest":"https://{{shop}}","aud":"{{host.Fake.Shopify.ClientId}}","sub":"42","exp":{{now + 60}},"nbf":{{now}},"iat":{{now}},"jti":"{{Guid.NewGuid()}}","sid":"s1"}"""));
        var signature = Encode(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(header + "." + payload)));
        return header + "." + payload + "." + signature;
    }
}
