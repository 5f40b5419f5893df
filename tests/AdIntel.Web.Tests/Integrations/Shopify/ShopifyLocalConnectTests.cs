using System.Net;
using AdIntel.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Tests.Integrations.Shopify;

/// <summary>
/// Auth:Mode=Local: a signed-in owner connects Shopify to the current store. A store takes a shop when it never had a
/// Shopify connection (it then takes the shop's domain) or when it is that same shop again; never a second shop, and
/// never a shop another store holds.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ShopifyLocalConnectTests(AppFixture fixture)
{
    [Theory, MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task An_owner_connects_the_current_store_and_it_cannot_take_a_second_shop(string provider)
    {
        await using var host = await ShopifyAppHost.StartAsync(fixture, provider, mode: "Local");
        var local = host.Local!;
        var storeId = await local.CreateStoreAsync();
        var owner = await local.CreateMemberAsync(storeId, StoreRole.Owner);
        var browser = await local.SignInAsync(owner.Email);
        var shop = ShopifyAppHost.NewShop();

        var (response, _) = await host.InstallAsync(browser, shop);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var connection = await host.ConnectionAsync(shop);
        Assert.Equal(storeId, connection!.StoreId);
        Assert.Equal(shop, (await host.StoreAsync(shop))!.ShopDomain);
        Assert.Equal(1, await host.App.WithDbAsync(null, db => db.Stores.CountAsync(s => s.ShopDomain == shop)));
        var audit = await host.App.WithDbAsync(storeId, db => db.AuditEntries.SingleAsync(a => a.Action == "integration.connected"));
        Assert.Equal(owner.Email, audit.Actor);

        // Connecting the same shop again refreshes the tokens; another shop is refused before Shopify is asked.
        Assert.Equal(HttpStatusCode.Redirect, (await host.InstallAsync(browser, shop)).Response.StatusCode);
        using var second = await browser.Client.GetAsync($"/integrations/shopify/install?shop={ShopifyAppHost.NewShop()}");
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains("cannot take", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Another store's owner cannot take this shop.
        var otherStore = await local.CreateStoreAsync();
        var otherOwner = await local.CreateMemberAsync(otherStore, StoreRole.Owner);
        var otherBrowser = await local.SignInAsync(otherOwner.Email);
        using var taken = await otherBrowser.Client.GetAsync($"/integrations/shopify/install?shop={shop}");
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        Assert.Equal(1, await host.App.WithDbAsync(null, db => db.IntegrationConnections.IgnoreQueryFilters().CountAsync()));
    }

    [Theory, MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Only_a_signed_in_owner_may_connect_and_the_callback_belongs_to_who_started_it(string provider)
    {
        await using var host = await ShopifyAppHost.StartAsync(fixture, provider, mode: "Local");
        var local = host.Local!;
        var storeId = await local.CreateStoreAsync();
        var shop = ShopifyAppHost.NewShop();

        // Signed out: to the sign-in page, coming back to the install with the shop.
        using (var anonymous = await local.NewBrowser().Client.GetAsync($"/integrations/shopify/install?shop={shop}"))
        {
            Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
            Assert.StartsWith("/account/sign-in", anonymous.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
            Assert.Contains(Uri.EscapeDataString(shop), anonymous.Headers.Location!.Query, StringComparison.Ordinal);
        }
        var marketer = await local.SignInAsync((await local.CreateMemberAsync(storeId, StoreRole.Marketer)).Email);
        using (var refused = await marketer.Client.GetAsync($"/integrations/shopify/install?shop={shop}"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        // The owner starts; a different account's browser replaying Shopify's answer gets nothing.
        var owner = await local.SignInAsync((await local.CreateMemberAsync(storeId, StoreRole.Owner)).Email);
        var callback = await host.ConsentAsync(owner, shop);
        using (var other = await marketer.Client.GetAsync(callback.PathAndQuery))
        {
            Assert.Equal(HttpStatusCode.BadRequest, other.StatusCode);
        }
        Assert.Null(await host.ConnectionAsync(shop));
    }
}
