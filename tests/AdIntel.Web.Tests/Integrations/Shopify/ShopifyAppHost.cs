using System.Net;
using AdIntel.Fakes;
using AdIntel.Fakes.Shopify;
using AdIntel.Web.Domain;
using AdIntel.Web.Integrations;
using AdIntel.Web.Integrations.Shopify;
using AdIntel.Web.Integrations.Shopify.App;
using AdIntel.Web.Tests.Security;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AdIntel.Web.Tests.Integrations.Shopify;

/// <summary>
/// A fake Shopify on a real port and an app (from <see cref="AppFixture"/>, on a fresh database) configured as its
/// Shopify app — the only difference from production is the shop URL template. Helpers drive the merchant's browser
/// through the install and deliver webhooks the way the fake Shopify does.
/// </summary>
public sealed class ShopifyAppHost : IAsyncDisposable
{
    private ShopifyAppHost(FakeServer fake, AdIntelApp app, LocalApp? local)
    {
        Fake = fake;
        App = app;
        Local = local;
        Webhooks = new FakeShopifyWebhooks(fake.Shopify, app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false }))
        {
            RetryDelays = [TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100)],
        };
    }

    public FakeServer Fake { get; }

    public AdIntelApp App { get; }

    /// <summary>Set when the app runs with Auth:Mode=Local.</summary>
    public LocalApp? Local { get; }

    public FakeShopifyWebhooks Webhooks { get; }

    public static Uri WebhookUrl { get; } = new("http://localhost/api/webhooks/shopify");

    public string Secret => Fake.Shopify.ClientSecret;

    /// <summary>
    /// Starts the fake and an app in <paramref name="mode"/> (Shopify or Local) on <paramref name="provider"/>, with
    /// <paramref name="extraSettings"/> over the defaults.
    /// </summary>
    public static async Task<ShopifyAppHost> StartAsync(AppFixture fixture, string provider, string mode = "Shopify",
        IReadOnlyDictionary<string, string?>? extraSettings = null)
    {
        var fake = await FakeServer.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Auth:Mode"] = mode,
            ["Shopify:ClientId"] = fake.Shopify.ClientId,
            ["Shopify:ClientSecret"] = fake.Shopify.ClientSecret,
            ["Shopify:ShopUrlTemplate"] = fake.ShopifyShopUrlTemplate,
        };
        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        if (mode == "Local")
        {
            var local = await fixture.StartLocalAsync(provider, settings);
            return new ShopifyAppHost(fake, local.App, local);
        }
        return new ShopifyAppHost(fake, await fixture.StartAppAsync(provider, settings), null);
    }

    public static string NewShop() => $"shop-{Guid.NewGuid().ToString("N")[..10]}.myshopify.com";

    /// <summary>A browser on the app: keeps cookies, does not follow redirects.</summary>
    public Browser NewBrowser() => new(App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));

    /// <summary>
    /// The merchant installs: the app's install entry redirects to the fake's consent screen, which redirects back to the
    /// callback. Returns the callback's answer, and the callback URL Shopify sent (for tests that tamper with it).
    /// </summary>
    public async Task<(HttpResponseMessage Response, Uri Callback)> InstallAsync(Browser browser, string shop)
    {
        var callback = await ConsentAsync(browser, shop);
        return (await browser.Client.GetAsync(callback.PathAndQuery), callback);
    }

    /// <summary>Starts the install and lets the fake Shopify consent; returns where Shopify sends the browser back to.</summary>
    public async Task<Uri> ConsentAsync(Browser browser, string shop)
    {
        using var install = await browser.Client.GetAsync($"/integrations/shopify/install?shop={shop}");
        Assert.Equal(HttpStatusCode.Redirect, install.StatusCode);
        var authorize = install.Headers.Location!;
        Assert.StartsWith(Fake.ShopifyShopUrlTemplate.Replace("{shop}", shop, StringComparison.Ordinal) + "/admin/oauth/authorize?", authorize.ToString(), StringComparison.Ordinal);
        using var shopify = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var consent = await shopify.GetAsync(authorize);
        Assert.Equal(HttpStatusCode.Redirect, consent.StatusCode);
        return consent.Headers.Location!;
    }

    /// <summary>The query pairs of a URL, in order.</summary>
    public static List<KeyValuePair<string, string>> Query(Uri url) =>
        [.. QueryHelpers.ParseQuery(url.Query).Select(p => KeyValuePair.Create(p.Key, p.Value.ToString()))];

    /// <summary>A query with <paramref name="changes"/> applied and signed as Shopify signs it (with <paramref name="secret"/>).</summary>
    public static string Signed(IEnumerable<KeyValuePair<string, string>> query, string secret, params (string Key, string? Value)[] changes)
    {
        var pairs = query.Where(p => p.Key != "hmac").ToDictionary(p => p.Key, p => p.Value);
        foreach (var (key, value) in changes)
        {
            if (value is null)
            {
                pairs.Remove(key);
            }
            else
            {
                pairs[key] = value;
            }
        }
        pairs["hmac"] = ShopifySignatures.SignQuery(pairs, secret);
        return QueryHelpers.AddQueryString("", pairs.ToDictionary(p => p.Key, p => (string?)p.Value));
    }

    /// <summary>The store's Shopify connection, read without the store filter (null when there is none).</summary>
    public Task<IntegrationConnection?> ConnectionAsync(string shop) =>
        App.WithDbAsync(null, db => db.IntegrationConnections.IgnoreQueryFilters().AsNoTracking()
            .SingleOrDefaultAsync(c => c.Provider == IntegrationProviders.Shopify && c.ExternalAccountId == shop));

    public Task<Store?> StoreAsync(string shop) => App.WithDbAsync(null, db => db.Stores.AsNoTracking().SingleOrDefaultAsync(s => s.ShopDomain == shop));

    public string? Decrypt(string? encrypted) => App.Services.GetRequiredService<IntegrationTokenProtector>().Unprotect(encrypted);

    /// <summary>A store of its own with an API client (owner) and a connected Shopify connection to <paramref name="shop"/>, as if installed.</summary>
    public async Task<TestStore> ConnectedStoreAsync(string shop, string timeZone = "UTC")
    {
        var store = await App.CreateStoreAsync(StoreRole.Owner, timeZone);
        var protector = App.Services.GetRequiredService<IntegrationTokenProtector>();
        await App.WithDbAsync(null, async db =>
        {
            var row = await db.Stores.AsTracking().SingleAsync(s => s.Id == store.StoreId);
            row.ShopDomain = shop;
            await db.SaveChangesAsync();
        });
        await App.WithDbAsync(store.StoreId, async db =>
        {
            db.IntegrationConnections.Add(new IntegrationConnection
            {
                Provider = IntegrationProviders.Shopify,
                ExternalAccountId = shop,
                EncryptedAccessToken = protector.Protect("shpat_test"),
                ConnectedAtUtc = DateTime.UtcNow,
                UpdatedAtUtc = DateTime.UtcNow,
            });
            await db.SaveChangesAsync();
        });
        return store;
    }

    /// <summary>Waits for the daily-facts rebuild that order webhooks request after they are answered.</summary>
    public Task FactsIdleAsync(long storeId) => App.Services.GetRequiredService<ShopifyFactsRefresher>().IdleAsync(storeId);

    public Task<FakeWebhookEvent> SendAsync(string topic, string shop, string payload) => Webhooks.SendAsync(WebhookUrl, topic, shop, payload);

    public async ValueTask DisposeAsync()
    {
        var postgres = App.Services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["Database:Provider"] == AppFixture.Postgres;
        if (Local is not null)
        {
            await Local.DisposeAsync();
        }
        else
        {
            await App.DisposeAsync();
        }
        await Fake.DisposeAsync();
        if (postgres)
        {
            // Each host has its own database (the app's and Hangfire's pools): their idle connections would otherwise
            // count against the server's limit for the rest of the run. Connections in use elsewhere are not touched.
            Npgsql.NpgsqlConnection.ClearAllPools();
        }
    }
}
