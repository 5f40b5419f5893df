using System.Globalization;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Ingestion;
using AdIntel.Web.Integrations.Shopify.Sync;
using Microsoft.EntityFrameworkCore;
using static AdIntel.Web.Tests.Imports.ImportTestFiles;

namespace AdIntel.Web.Tests.Ingestion;

/// <summary>
/// The export and the Shopify sync write orders through the one <see cref="OrderWriter"/>: an order that arrives both
/// ways is one order, with one customer, and Shopify's refunds win over the export's estimate whichever comes last.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class OrderWriterTests(AppFixture fixture)
{
    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task An_exported_order_synced_later_is_one_order_with_shopifys_refund_and_customer_and_a_reimport_keeps_them(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var store = await app.CreateStoreAsync();
        var csv = Read(ShopifyOrders);
        await ImportAsync(store.Api, ShopifyPath, csv);
        var bob = await app.WithDbAsync(store.StoreId, db => db.Customers.AsNoTracking().SingleAsync(c => c.ExternalId == "email:bob.norman@hostmail.com"));

        // #1001 as the sync reads it from Shopify: Bob's Shopify id, and the refund Shopify recorded two days later.
        var synced = await app.WithServiceAsync<OrderWriter, OrderWriteResult>(store.StoreId, writer =>
            writer.UpsertAsync(Order1001().ToIncoming(), OrderWriteMode.IfUpdatedAtDiffers, CancellationToken.None));

        Assert.Equal((0, 1, 0), (synced.Created, synced.Updated, synced.CustomersCreated));
        await AssertShopifysRefundAndBobAsync();

        // The export again: #1001 takes the file's fields back, but keeps Shopify's refund and customer.
        var again = await ImportAsync(store.Api, ShopifyPath, csv);

        Assert.Equal((0, 1, 7, 0, 0), (again.Int("ordersCreated"), again.Int("ordersUpdated"), again.Int("ordersUnchanged"), again.Int("customersCreated"),
            again.Int("refunds")));
        await AssertShopifysRefundAndBobAsync();

        async Task AssertShopifysRefundAndBobAsync() => await app.WithDbAsync(store.StoreId, async db =>
        {
            Assert.Equal(8, await db.Orders.CountAsync());
            Assert.Equal(5, await db.Customers.CountAsync());
            var order = (await db.LoadLinesAndRefundsAsync([await db.Orders.AsNoTracking().SingleAsync(o => o.Name == "#1001")], CancellationToken.None)).Single();
            var refund = Assert.Single(order.Refunds);
            Assert.Equal(("509562969", new DateOnly(2008, 1, 12), 202.91m, 6.09m), (refund.ExternalId, refund.LocalDate, refund.Amount, refund.TaxRefunded));
            Assert.Equal(3, order.Lines.Count);
            // Bob, first known by e-mail from the export, is now Shopify's customer: the same row, on both of his orders.
            var customer = await db.Customers.AsNoTracking().SingleAsync(c => c.Id == order.CustomerId);
            Assert.Equal((bob.Id, "207119551"), (customer.Id, customer.ExternalId));
            Assert.Equal(bob.Id, await db.Orders.Where(o => o.Name == "#1008").Select(o => o.CustomerId).SingleAsync());
        });
    }

    private static ShopifyOrderRecord Order1001() => new()
    {
        Id = 450789469,
        Name = "#1001",
        Email = "bob.norman@hostmail.com",
        CreatedAt = DateTimeOffset.Parse("2008-01-10T11:00:00-05:00", CultureInfo.InvariantCulture),
        UpdatedAt = DateTimeOffset.Parse("2008-01-12T09:30:00Z", CultureInfo.InvariantCulture),
        Currency = "USD",
        FinancialStatus = "PARTIALLY_REFUNDED",
        TotalTax = 11.94m,
        TotalPrice = 409.94m,
        Customer = new ShopifyCustomerRecord { Id = 207119551, Email = "Bob.Norman@hostmail.com", FirstName = "Bob", LastName = "Norman" },
        Lines =
        [
            new ShopifyLineRecord { Id = 1, Title = "IPod Nano - 8gb - green", Sku = "IPOD2008GREEN", Quantity = 1, UnitPrice = 199m },
            new ShopifyLineRecord { Id = 2, Title = "IPod Nano - 8gb - red", Sku = "IPOD2008RED", Quantity = 1, UnitPrice = 199m },
            new ShopifyLineRecord { Id = 3, Title = "IPod Nano - 8gb - black", Sku = "IPOD2008BLACK", Quantity = 1, UnitPrice = 199m },
        ],
        Refunds =
        [
            new ShopifyRefundRecord { Id = 509562969, CreatedAt = DateTimeOffset.Parse("2008-01-12T09:30:00Z", CultureInfo.InvariantCulture), Total = 209m, Tax = 6.09m },
        ],
    };
}
