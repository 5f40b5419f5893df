using System.Net;
using System.Text;
using System.Text.Json;
using AdIntel.Fakes.Shopify;
using AdIntel.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Tests.Integrations.Shopify;

/// <summary>Webhooks delivered by the fake Shopify as Shopify delivers them: verified, deduplicated, applied once, reflected in the numbers.</summary>
[Collection(AppCollection.Name)]
public sealed class ShopifyWebhookTests(AppFixture fixture)
{
    private static readonly DateTimeOffset OrderedAt = new(2026, 3, 10, 15, 0, 0, TimeSpan.Zero);

    /// <summary>A known order: 2 × 25.00, shipping 5.00, tax 4.00 (total 59.00), with a customer.</summary>
    public static FakeOrder NewOrder(long id, FakeCustomer? customer = null, int quantity = 2, DateTimeOffset? updatedAt = null)
    {
        var product = new FakeProduct { Id = 632910392, Title = "Tee" };
        var variant = new FakeVariant { Id = 808950810, InventoryItemId = 39072856, Product = product, Title = "M", Sku = "TEE-M", Price = 25m, UnitCost = 10m };
        var order = new FakeOrder
        {
            Id = id,
            Name = "#" + (id % 10000).ToString(System.Globalization.CultureInfo.InvariantCulture),
            Currency = "USD",
            Email = customer?.Email,
            Customer = customer,
            CreatedAt = OrderedAt,
            UpdatedAt = updatedAt ?? OrderedAt.AddMinutes(1),
            SourceName = "web",
            FinancialStatus = "PAID",
            Shipping = 5m,
            Tax = 4m,
        };
        order.Lines.Add(new FakeLineItem { Id = id + 1, Variant = variant, Sku = variant.Sku, Name = "Tee - M", Quantity = quantity, Price = 25m });
        return order;
    }

    public static FakeCustomer NewCustomer(long id) => new()
    {
        Id = id,
        Email = $"jane.{id}@example.com",
        FirstName = "Jane",
        LastName = "Doe",
        CreatedAt = OrderedAt.AddDays(-30),
    };

    /// <summary>The overview's March 2026 numbers, once the facts rebuild the webhooks asked for has run.</summary>
    private static async Task<JsonElement> OverviewAsync(ShopifyAppHost host, long storeId, HttpClient api)
    {
        await host.FactsIdleAsync(storeId);
        using var response = await api.GetAsync("/api/overview?from=2026-03-01&to=2026-03-31");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("data").GetProperty("kpis").Clone();
    }

    private static async Task<HttpResponseMessage> PostAsync(ShopifyAppHost host, string topic, string shop, string body, string? hmac, string eventId)
    {
        var client = host.App.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/shopify") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (hmac is not null)
        {
            request.Headers.Add("X-Shopify-Hmac-Sha256", hmac);
        }
        request.Headers.Add("X-Shopify-Topic", topic);
        request.Headers.Add("X-Shopify-Shop-Domain", shop);
        request.Headers.Add("X-Shopify-Webhook-Id", Guid.NewGuid().ToString());
        request.Headers.Add("X-Shopify-Event-Id", eventId);
        return await client.SendAsync(request);
    }

    [Theory, MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Unsigned_forged_malformed_and_unknown_shop_deliveries_are_answered_without_changing_the_store(string provider)
    {
        await using var host = await ShopifyAppHost.StartAsync(fixture, provider);
        var shop = ShopifyAppHost.NewShop();
        var store = await host.ConnectedStoreAsync(shop);
        var order = FakeShopifyPayloads.Order(NewOrder(5001));

        using (var unsigned = await PostAsync(host, "orders/create", shop, order, hmac: null, "e1"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
            Assert.Contains("\"invalid_hmac\"", await unsigned.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using (var forged = await PostAsync(host, "orders/create", shop, order, FakeShopifyWebhooks.Sign(Encoding.UTF8.GetBytes(order), "not-the-secret"), "e2"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        }
        // Signed, then changed in transit: the HMAC is over the exact bytes.
        using (var altered = await PostAsync(host, "orders/create", shop, order.Replace("\"59.00\"", "\"5.00\"", StringComparison.Ordinal),
            FakeShopifyWebhooks.Sign(Encoding.UTF8.GetBytes(order), host.Secret), "e3"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, altered.StatusCode);
        }
        const string malformed = "{\"id\": 5001, \"line_items\": [";
        using (var broken = await PostAsync(host, "orders/create", shop, malformed, FakeShopifyWebhooks.Sign(Encoding.UTF8.GetBytes(malformed), host.Secret), "e4"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
            using var error = JsonDocument.Parse(await broken.Content.ReadAsStringAsync());
            Assert.Equal("bad_request", error.RootElement.GetProperty("error").GetProperty("code").GetString());
        }
        const string shapeless = "{\"id\": \"not a number\"}";
        using (var invalid = await PostAsync(host, "orders/create", shop, shapeless, FakeShopifyWebhooks.Sign(Encoding.UTF8.GetBytes(shapeless), host.Secret), "e5"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        }
        Assert.Equal(0, await host.App.WithDbAsync(null, db => db.WebhookReceipts.CountAsync()));
        Assert.Equal(0, await host.App.WithDbAsync(store.StoreId, db => db.Orders.CountAsync()));

        // A shop nobody connected: 200 so Shopify stops retrying, and a receipt saying it was ignored.
        var unknown = await host.SendAsync("orders/create", ShopifyAppHost.NewShop(), order);
        Assert.True(unknown.Delivered);
        var receipt = await host.App.WithDbAsync(null, db => db.WebhookReceipts.SingleAsync());
        Assert.Equal(WebhookReceiptStatuses.Ignored, receipt.Status);
        Assert.Null(receipt.StoreId);
        Assert.Equal(0, await host.App.WithDbAsync(null, db => db.Orders.IgnoreQueryFilters().CountAsync()));
    }

    [Theory, MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Orders_create_then_updated_show_on_the_overview_and_replays_duplicates_and_stale_updates_change_nothing(string provider)
    {
        await using var host = await ShopifyAppHost.StartAsync(fixture, provider);
        var shop = ShopifyAppHost.NewShop();
        var store = await host.ConnectedStoreAsync(shop);
        var customer = NewCustomer(7001);

        // Each event delivered twice (two subscriptions: new webhook ids, one event id).
        host.Webhooks.DuplicateDeliveries = 1;
        var created = await host.SendAsync("orders/create", shop, FakeShopifyPayloads.Order(NewOrder(6001, customer)));
        Assert.True(created.Delivered);
        var kpis = await OverviewAsync(host, store.StoreId, store.Api);
        Assert.Equal(1, kpis.GetProperty("orders").GetInt32());
        Assert.Equal(50m, kpis.GetProperty("grossSales").GetDecimal());
        Assert.Equal(59m, kpis.GetProperty("totalSales").GetDecimal());

        // The order changes in Shopify: three units instead of two.
        var updatedPayload = FakeShopifyPayloads.Order(NewOrder(6001, customer, quantity: 3, updatedAt: OrderedAt.AddHours(2)));
        Assert.True((await host.SendAsync("orders/updated", shop, updatedPayload)).Delivered);
        kpis = await OverviewAsync(host, store.StoreId, store.Api);
        Assert.Equal(1, kpis.GetProperty("orders").GetInt32());
        Assert.Equal(75m, kpis.GetProperty("grossSales").GetDecimal());

        // A late, older version of the order (Shopify does not promise order) is ignored.
        Assert.True((await host.SendAsync("orders/updated", shop, FakeShopifyPayloads.Order(NewOrder(6001, customer, quantity: 1, updatedAt: OrderedAt.AddHours(1))))).Delivered);
        Assert.Equal(75m, (await OverviewAsync(host, store.StoreId, store.Api)).GetProperty("grossSales").GetDecimal());

        // A replay of the first event (same event id, e.g. a retry after a lost answer) is recognised and not applied.
        host.Webhooks.DuplicateDeliveries = 0;
        var body = FakeShopifyPayloads.Order(NewOrder(6001, customer));
        using (var replay = await PostAsync(host, "orders/create", shop, body, FakeShopifyWebhooks.Sign(Encoding.UTF8.GetBytes(body), host.Secret), created.EventId))
        {
            Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
            Assert.Contains("duplicate", await replay.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Equal(75m, (await OverviewAsync(host, store.StoreId, store.Api)).GetProperty("grossSales").GetDecimal());
        Assert.Equal(1, await host.App.WithDbAsync(store.StoreId, db => db.Orders.CountAsync()));
        Assert.Equal(1, await host.App.WithDbAsync(store.StoreId, db => db.Customers.CountAsync()));
        // One receipt per event: 3 events, the duplicates and the replay left none of their own.
        Assert.Equal(3, await host.App.WithDbAsync(null, db => db.WebhookReceipts.CountAsync(r => r.ShopDomain == shop)));

        // A refund of one unit: returns on the overview.
        var refunded = NewOrder(6001, customer, quantity: 3, updatedAt: OrderedAt.AddHours(2));
        var catalog = new FakeShopifyCatalog();
        catalog.Orders.Add(refunded);
        catalog.OrdersById[refunded.Id] = refunded;
        var refund = catalog.AddRefund(refunded.Id, 1, OrderedAt.AddDays(1));
        Assert.True((await host.SendAsync("refunds/create", shop, FakeShopifyPayloads.Refund(refunded, refund))).Delivered);
        kpis = await OverviewAsync(host, store.StoreId, store.Api);
        Assert.Equal(25m, kpis.GetProperty("returns").GetDecimal());
        Assert.Equal(50m, kpis.GetProperty("netSales").GetDecimal());
    }

    [Theory, MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Concurrent_deliveries_of_one_event_are_applied_once(string provider)
    {
        await using var host = await ShopifyAppHost.StartAsync(fixture, provider);
        var shop = ShopifyAppHost.NewShop();
        var store = await host.ConnectedStoreAsync(shop);
        var body = FakeShopifyPayloads.Order(NewOrder(6101, NewCustomer(7101)));
        var hmac = FakeShopifyWebhooks.Sign(Encoding.UTF8.GetBytes(body), host.Secret);

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => PostAsync(host, "orders/create", shop, body, hmac, "same-event")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var outcomes = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()));
        Assert.Single(outcomes, o => o.Contains("\"processed\"", StringComparison.Ordinal));
        Assert.Equal(1, await host.App.WithDbAsync(store.StoreId, db => db.Orders.CountAsync()));
        Assert.Equal(1, await host.App.WithDbAsync(null, db => db.WebhookReceipts.CountAsync()));
        Assert.Equal(1, (await OverviewAsync(host, store.StoreId, store.Api)).GetProperty("orders").GetInt32());
    }

    [Theory, MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task A_failed_delivery_is_retried_with_the_same_ids_and_applied_once(string provider)
    {
        await using var host = await ShopifyAppHost.StartAsync(fixture, provider);
        var shop = ShopifyAppHost.NewShop();
        var store = await host.ConnectedStoreAsync(shop);
        // The network loses the first attempt (the app never sees it), as a timeout would.
        var flaky = new FakeShopifyWebhooks(host.Fake.Shopify, new HttpClient(new FailFirst(host.App.Server.CreateHandler())))
        {
            RetryDelays = [TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(20)],
            EventsFormatHeaders = true,
        };

        var sent = await flaky.SendAsync(ShopifyAppHost.WebhookUrl, "orders/create", shop, FakeShopifyPayloads.Order(NewOrder(6201)));

        var delivery = Assert.Single(sent.Deliveries);
        Assert.Equal(2, delivery.Attempts.Count);
        Assert.Equal(503, delivery.Attempts[0].Status);
        Assert.Equal(200, delivery.Attempts[1].Status);
        Assert.Equal(1, await host.App.WithDbAsync(store.StoreId, db => db.Orders.CountAsync()));
        var receipt = await host.App.WithDbAsync(null, db => db.WebhookReceipts.SingleAsync());
        Assert.Equal("event:" + sent.EventId, receipt.DeliveryKey);
        Assert.Equal(delivery.WebhookId, receipt.WebhookId);
    }

    [Theory, MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Products_update_sets_prices_and_keeps_costs_and_app_uninstalled_disconnects(string provider)
    {
        await using var host = await ShopifyAppHost.StartAsync(fixture, provider);
        var shop = ShopifyAppHost.NewShop();
        var store = await host.ConnectedStoreAsync(shop);
        await host.App.WithDbAsync(store.StoreId, async db =>
        {
            db.Products.Add(new Product
            {
                ExternalId = "632910392",
                Title = "Tee",
                Variants = [new ProductVariant { ExternalId = "808950810", Title = "M", Sku = "TEE-M", Price = 20m, UnitCost = 9.5m }],
            });
            await db.SaveChangesAsync();
        });
        var product = new FakeProduct { Id = 632910392, Title = "Tee (organic)", ProductType = "Tee", Vendor = "Acme" };
        product.Variants.Add(new FakeVariant { Id = 808950810, InventoryItemId = 1, Product = product, Title = "M", Sku = "TEE-M", Price = 27.5m });
        product.Variants.Add(new FakeVariant { Id = 808950811, InventoryItemId = 2, Product = product, Title = "L", Sku = "TEE-L", Price = 29m });

        Assert.True((await host.SendAsync("products/update", shop, FakeShopifyPayloads.Product(product))).Delivered);

        var variants = await host.App.WithDbAsync(store.StoreId, db => db.ProductVariants.OrderBy(v => v.ExternalId).ToListAsync());
        Assert.Equal(2, variants.Count);
        Assert.Equal(27.5m, variants[0].Price);
        Assert.Equal(9.5m, variants[0].UnitCost);
        Assert.Null(variants[1].UnitCost);
        Assert.Equal("Tee (organic)", await host.App.WithDbAsync(store.StoreId, db => db.Products.Select(p => p.Title).SingleAsync()));

        Assert.True((await host.SendAsync("app/uninstalled", shop, FakeShopifyPayloads.Shop(954889, shop))).Delivered);
        var connection = await host.ConnectionAsync(shop);
        Assert.Equal(IntegrationStatuses.Disconnected, connection!.Status);
        Assert.Null(connection.EncryptedAccessToken);
        Assert.True(await host.App.WithDbAsync(store.StoreId, db => db.AuditEntries.AnyAsync(a => a.Action == "integration.disconnected")));
    }

    [Theory, MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Shopify_mode_sessions_see_only_their_own_shops_data_and_end_at_uninstall(string provider)
    {
        await using var host = await ShopifyAppHost.StartAsync(fixture, provider);
        var (shopA, shopB) = (ShopifyAppHost.NewShop(), ShopifyAppHost.NewShop());
        var (browserA, browserB) = (host.NewBrowser(), host.NewBrowser());
        Assert.Equal(HttpStatusCode.Redirect, (await host.InstallAsync(browserA, shopA)).Response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await host.InstallAsync(browserB, shopB)).Response.StatusCode);
        await host.SendAsync("orders/create", shopA, FakeShopifyPayloads.Order(NewOrder(6301)));
        await host.SendAsync("orders/create", shopB, FakeShopifyPayloads.Order(NewOrder(6302, quantity: 7)));

        var (storeA, storeB) = ((await host.StoreAsync(shopA))!.Id, (await host.StoreAsync(shopB))!.Id);
        Assert.Equal(50m, (await OverviewAsync(host, storeA, browserA.Client)).GetProperty("grossSales").GetDecimal());
        Assert.Equal(175m, (await OverviewAsync(host, storeB, browserB.Client)).GetProperty("grossSales").GetDecimal());

        // Reinstalling shop A in B's browser moves that browser to A's store — never both.
        Assert.Equal(HttpStatusCode.Redirect, (await host.InstallAsync(browserB, shopA)).Response.StatusCode);
        Assert.Equal(50m, (await OverviewAsync(host, storeA, browserB.Client)).GetProperty("grossSales").GetDecimal());

        await host.SendAsync("app/uninstalled", shopA, FakeShopifyPayloads.Shop(1, shopA));
        using var after = await browserA.Client.GetAsync("/api/overview?from=2026-03-01&to=2026-03-31");
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    /// <summary>Answers the first request with 503 without passing it on; later ones go through.</summary>
    private sealed class FailFirst(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private int _calls;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _calls) == 1
                ? Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable))
                : base.SendAsync(request, cancellationToken);
    }
}
