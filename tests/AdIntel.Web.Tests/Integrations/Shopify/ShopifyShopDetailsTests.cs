using System.Net;
using AdIntel.Fakes.Shopify;
using AdIntel.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Tests.Integrations.Shopify;

/// <summary>
/// A store created by a Shopify install (Auth:Mode=Shopify) takes the shop's name, currency and time zone from Shopify
/// before its first orders are written, so orders land on the shop's own local days.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ShopifyShopDetailsTests(AppFixture fixture)
{
    [Fact]
    public async Task First_sync_gives_the_installed_store_the_shops_currency_and_time_zone()
    {
        await using var host = await ShopifyAppHost.StartAsync(fixture, AppFixture.Sqlite);
        var shop = ShopifyAppHost.NewShop();
        var now = DateTimeOffset.UtcNow;
        var catalog = new FakeShopifyCatalog { Currency = "EUR", TimeZone = "Europe/Berlin" };
        host.Fake.Shopify.Admin.Seed(shop, catalog);
        var (callback, _) = await host.InstallAsync(host.NewBrowser(), shop);
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        // Created with defaults (USD, America/New_York): the OAuth answer says nothing about the shop.
        var storeId = (await host.StoreAsync(shop))!.Id;

        // The install queued the first sync (a Hangfire job); wait for it.
        await Eventually.HoldsAsync(async () =>
        {
            var failed = await host.App.WithDbAsync(storeId, db => db.SyncRuns.Where(r => r.Status == RunStatuses.Failed).Select(r => r.Error).FirstOrDefaultAsync());
            Assert.True(failed is null, failed);
            return await host.App.WithDbAsync(storeId, db => db.SyncRuns.AnyAsync(r => r.Status == RunStatuses.Succeeded));
        }, "The first sync did not finish", TimeSpan.FromSeconds(60));

        var store = (await host.StoreAsync(shop))!;
        Assert.Equal(("EUR", "Europe/Berlin"), (store.Currency, store.TimeZone));
        Assert.Equal(shop.Split('.')[0], store.Name);
    }
}
