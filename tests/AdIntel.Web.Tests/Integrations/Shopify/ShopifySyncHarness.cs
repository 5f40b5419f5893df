using System.Globalization;
using System.Text;
using AdIntel.Fakes;
using AdIntel.Fakes.Shopify;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Integrations;
using AdIntel.Web.Integrations.Sync;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AdIntel.Web.Tests.Integrations.Shopify;

/// <summary>
/// A fake Shopify with a generated shop, an app of its own pointed at it (fresh database of the given provider), and
/// stores connected to that shop with tokens the fake issued — the state right after a merchant connected.
/// </summary>
internal sealed class ShopifySyncHarness : IAsyncDisposable
{
    private ShopifySyncHarness(FakeServer server, AdIntelApp app)
    {
        Server = server;
        App = app;
    }

    public FakeServer Server { get; }
    public AdIntelApp App { get; }
    public FakeShopifyAdmin Admin => Server.Shopify.Admin;

    /// <summary>Every shop of this harness is generated as of this instant, so shops of the same seed hold identical data.</summary>
    public DateTimeOffset Until { get; } = new DateTimeOffset(DateTime.UtcNow.AddMinutes(-10).Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero);

    public static async Task<ShopifySyncHarness> StartAsync(AppFixture fixture, string provider, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var server = await FakeServer.StartAsync();
        var all = new Dictionary<string, string?>
        {
            ["Shopify:ClientId"] = server.Shopify.ClientId,
            ["Shopify:ClientSecret"] = server.Shopify.ClientSecret,
            ["Shopify:ShopUrlTemplate"] = server.ShopifyShopUrlTemplate,
            ["Shopify:Sync:BulkPollInterval"] = "00:00:00.050",
            ["Shopify:Sync:FirstBackOff"] = "00:00:00.050",
            ["Shopify:Sync:MaxBackOff"] = "00:00:00.400",
            ["Shopify:Sync:RequestTimeout"] = "00:00:02",
            ["Shopify:Sync:BatchSize"] = "100",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        var app = await fixture.StartAppAsync(provider, all);
        return new ShopifySyncHarness(server, app);
    }

    /// <summary>A new store connected to a fake shop holding <paramref name="orders"/> generated orders (same seed, same data).</summary>
    public async Task<ConnectedStore> ConnectStoreAsync(int orders, int seed = 42, TimeSpan? tokenLifetime = null, bool expiredInDatabase = false)
    {
        var store = await App.CreateStoreAsync(timeZone: "America/New_York");
        var shop = await App.WithDbAsync(null, db => db.Stores.Where(s => s.Id == store.StoreId).Select(s => s.ShopDomain).SingleAsync());
        var catalog = Admin.Seed(shop, FakeShopifyCatalog.Generate(seed, orders, Until));

        var now = DateTimeOffset.UtcNow;
        var access = "shpat_test_" + Guid.NewGuid().ToString("N");
        var refresh = "shprt_test_" + Guid.NewGuid().ToString("N");
        var expires = now + (tokenLifetime ?? TimeSpan.FromHours(1));
        lock (Server.Shopify)
        {
            Server.Shopify.AccessTokens[access] = new FakeShopifyToken(shop, expires);
            Server.Shopify.RefreshTokens[refresh] = new FakeShopifyRefresh(shop, now.AddDays(90));
        }
        var protector = App.Services.GetRequiredService<IntegrationTokenProtector>();
        await App.WithDbAsync(store.StoreId, async db =>
        {
            db.IntegrationConnections.Add(new IntegrationConnection
            {
                Provider = IntegrationProviders.Shopify,
                ExternalAccountId = shop,
                EncryptedAccessToken = protector.Protect(access),
                AccessTokenExpiresAtUtc = expiredInDatabase ? now.AddMinutes(-1).UtcDateTime : now.AddHours(1).UtcDateTime,
                EncryptedRefreshToken = protector.Protect(refresh),
                RefreshTokenExpiresAtUtc = now.AddDays(90).UtcDateTime,
                Scopes = Server.Shopify.Scopes,
                ConnectedAtUtc = now.UtcDateTime,
                UpdatedAtUtc = now.UtcDateTime,
            });
            await db.SaveChangesAsync();
        });
        return new ConnectedStore(store.StoreId, shop, catalog, access, refresh);
    }

    /// <summary>Runs the store's Shopify sync as the jobs do; returns its run.</summary>
    public async Task<long> SyncAsync(long storeId, SyncMode mode, CancellationToken cancellationToken = default) =>
        await App.Services.GetRequiredService<IntegrationSyncRunner>().RunAsync(storeId, IntegrationProviders.Shopify, mode, cancellationToken)
            ?? throw new InvalidOperationException($"Store {storeId} has no usable Shopify connection.");

    /// <summary>The same sums as <see cref="FakeShopifyCatalog.Totals"/>, from what the store holds.</summary>
    public Task<FakeShopifyTotals> StoredTotalsAsync(long storeId) => App.WithDbAsync(storeId, async db =>
    {
        var orders = await db.Orders.AsNoTracking().ToListAsync();
        var lines = await db.OrderLines.AsNoTracking().ToListAsync();
        var refunds = await db.Refunds.AsNoTracking().ToListAsync();
        var variants = await db.ProductVariants.AsNoTracking().ToListAsync();
        return new FakeShopifyTotals(
            orders.Count,
            orders.Sum(o => o.Total),
            orders.Sum(o => o.GrossSales),
            refunds.Count,
            refunds.Sum(r => r.Amount + r.ShippingRefunded + r.TaxRefunded),
            refunds.Sum(r => r.Amount),
            lines.Sum(l => (l.UnitCost ?? 0m) * l.Quantity),
            lines.Count,
            orders.Where(o => o.CustomerId is not null).Select(o => o.CustomerId).Distinct().Count(),
            variants.Count,
            variants.Sum(v => v.UnitCost ?? 0m));
    });

    /// <summary>Everything a store holds from Shopify, in one canonical text: two stores synced from the same data must match exactly.</summary>
    public Task<string> SnapshotAsync(long storeId) => App.WithDbAsync(storeId, async db =>
    {
        var text = new StringBuilder();
        var orders = await db.LoadLinesAndRefundsAsync(await db.Orders.AsNoTracking().OrderBy(o => o.ExternalId).ToListAsync(), CancellationToken.None);
        var customers = await db.Customers.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.ExternalId);
        var variants = await db.ProductVariants.AsNoTracking().ToDictionaryAsync(v => v.Id, v => v.ExternalId);
        foreach (var o in orders)
        {
            text.Append(CultureInfo.InvariantCulture, $"{o.ExternalId}|{o.Name}|{o.Email}|{(o.CustomerId is { } c ? customers[c] : "-")}|{o.CreatedAtUtc:O}|{o.LocalDate}|{o.UpdatedAtUtc:O}|")
                .Append(CultureInfo.InvariantCulture, $"{o.CancelledAtUtc:O}|{o.IsTest}|{o.FinancialStatus}|{o.GrossSales}|{o.Discounts}|{o.Shipping}|{o.Taxes}|{o.Total}|{o.DiscountCode}\n");
            foreach (var l in o.Lines.OrderBy(l => l.Sku).ThenBy(l => l.Quantity).ThenBy(l => l.UnitPrice))
            {
                text.Append(CultureInfo.InvariantCulture, $"  line {l.Sku}|{l.Title}|{l.Quantity}|{l.UnitPrice}|{l.Discount}|{l.UnitCost}|{(l.VariantId is { } v ? variants[v] : "-")}\n");
            }
            foreach (var r in o.Refunds.OrderBy(r => r.ExternalId))
            {
                text.Append(CultureInfo.InvariantCulture, $"  refund {r.ExternalId}|{r.CreatedAtUtc:O}|{r.LocalDate}|{r.Amount}|{r.ShippingRefunded}|{r.TaxRefunded}\n");
            }
        }
        foreach (var customer in await db.Customers.AsNoTracking().OrderBy(c => c.ExternalId).ToListAsync())
        {
            text.Append(CultureInfo.InvariantCulture, $"customer {customer.ExternalId}|{customer.Email}|{customer.FirstName}|{customer.LastName}|{customer.CreatedAtUtc:O}\n");
        }
        foreach (var variant in await db.ProductVariants.AsNoTracking().OrderBy(v => v.ExternalId).ToListAsync())
        {
            text.Append(CultureInfo.InvariantCulture, $"variant {variant.ExternalId}|{variant.Sku}|{variant.Title}|{variant.Price}|{variant.UnitCost}\n");
        }
        return text.ToString();
    });

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Server.DisposeAsync();
    }
}

internal sealed record ConnectedStore(long StoreId, string Shop, FakeShopifyCatalog Catalog, string AccessToken, string RefreshToken);
