using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using static AdIntel.Web.Tests.Imports.ImportTestFiles;

namespace AdIntel.Web.Tests.Imports;

[Collection(AppCollection.Name)]
public sealed class ShopifyOrdersImportTests(AppFixture fixture)
{
    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Import_export_file_creates_orders_lines_customers_and_refunds(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var store = await app.CreateStoreAsync();

        var data = await ImportAsync(store.Api, ShopifyPath, Read(ShopifyOrders));

        Assert.Equal(11, data.Int("rowsRead"));
        Assert.Equal(8, data.Int("ordersCreated"));
        Assert.Equal(0, data.Int("ordersUpdated"));
        Assert.Equal(0, data.Int("skipped"));
        Assert.Equal(5, data.Int("customersCreated"));
        Assert.Equal(2, data.Int("refunds"));
        Assert.Empty(data.Messages("errors"));
        // The REST sample's #1001 states a total that its own lines do not add up to.
        var warning = Assert.Single(data.Messages("warnings"));
        Assert.Equal(2, warning.Line);
        Assert.Contains("#1001", warning.Message);

        await app.WithDbAsync(store.StoreId, async db =>
        {
            var orders = (await db.LoadLinesAndRefundsAsync(await db.Orders.AsNoTracking().ToListAsync(), CancellationToken.None)).ToDictionary(o => o.Name);
            var first = orders["#1001"];
            Assert.Equal("450789469", first.ExternalId);
            Assert.Equal(new DateTime(2008, 1, 10, 16, 0, 0, DateTimeKind.Utc), first.CreatedAtUtc);
            Assert.Equal(new DateOnly(2008, 1, 10), first.LocalDate);
            Assert.Equal(["IPOD2008BLACK", "IPOD2008GREEN", "IPOD2008RED"], first.Lines.Select(l => l.Sku!).Order());
            Assert.Equal(597m, first.GrossSales);
            Assert.Equal(11.94m, first.Taxes);
            Assert.Equal(409.94m, first.Total);
            Assert.Equal("authorized", first.FinancialStatus);
            var refund = Assert.Single(first.Refunds);
            Assert.Equal("csv:450789469", refund.ExternalId);
            Assert.Equal(first.LocalDate, refund.LocalDate);
            Assert.Equal(209m, refund.Amount + refund.ShippingRefunded + refund.TaxRefunded);
            Assert.Equal(6.09m, refund.TaxRefunded);

            var discounted = orders["#1002"];
            Assert.Equal(115m, discounted.GrossSales);
            Assert.Equal(11.50m, discounted.Discounts);
            Assert.Equal("SPRING10", discounted.DiscountCode);
            Assert.Equal(9m, discounted.Lines.Single(l => l.Sku == "LS-M").Discount);

            // 22:30 at UTC−5 is the next day in the store's zone (UTC).
            Assert.Null(orders["#1003"].CustomerId);
            Assert.Equal(new DateOnly(2024, 3, 6), orders["#1003"].LocalDate);
            Assert.Equal(new DateTime(2024, 3, 16, 15, 0, 0, DateTimeKind.Utc), orders["#1005"].CancelledAtUtc);
            Assert.False(orders["#1005"].CountsAsSale);
            Assert.True(orders["#1007"].IsTest);
            Assert.Equal(new DateTime(2024, 3, 20, 8, 15, 0, DateTimeKind.Utc), orders["#1006"].CreatedAtUtc);

            // E-mail identity is case-insensitive: #1008 is Bob's second order.
            Assert.Equal(first.CustomerId, orders["#1008"].CustomerId);
            var bob = await db.Customers.SingleAsync(c => c.Id == first.CustomerId);
            Assert.Equal("email:bob.norman@hostmail.com", bob.ExternalId);
            Assert.Equal(("Bob", "Norman"), (bob.FirstName, bob.LastName));
            Assert.Equal(orders["#1002"].CustomerId, orders["#1004"].CustomerId);
        });
    }

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Import_same_file_twice_changes_nothing_the_second_time(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var store = await app.CreateStoreAsync();
        var csv = Read(ShopifyOrders);
        await ImportAsync(store.Api, ShopifyPath, csv);
        var before = await CountRowsAsync(app, store.StoreId);

        var again = await ImportAsync(store.Api, ShopifyPath, csv);

        Assert.Equal(0, again.Int("ordersCreated"));
        Assert.Equal(0, again.Int("ordersUpdated"));
        Assert.Equal(8, again.Int("ordersUnchanged"));
        Assert.Equal(0, again.Int("customersCreated"));
        Assert.Equal(0, again.Int("refunds"));
        Assert.Equal(before, await CountRowsAsync(app, store.StoreId));
    }

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Import_changed_rows_updates_those_orders_only(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var store = await app.CreateStoreAsync();
        var csv = Read(ShopifyOrders);
        await ImportAsync(store.Api, ShopifyPath, csv);

        // #1004: two shirts instead of one, and the refund reversed.
        var changed = csv.Replace("partially_refunded,USD,45.00,0.00,0.00,45.00", "paid,USD,90.00,0.00,0.00,90.00", StringComparison.Ordinal)
            .Replace(",1,Linen Shirt - L,45.00,", ",2,Linen Shirt - L,45.00,", StringComparison.Ordinal)
            .Replace("Shopify Payments,,20.00,", "Shopify Payments,,0.00,", StringComparison.Ordinal);
        Assert.NotEqual(csv, changed);
        var data = await ImportAsync(store.Api, ShopifyPath, changed);

        Assert.Equal(0, data.Int("ordersCreated"));
        Assert.Equal(1, data.Int("ordersUpdated"));
        Assert.Equal(7, data.Int("ordersUnchanged"));
        Assert.Equal(1, data.Int("refunds"));
        await app.WithDbAsync(store.StoreId, async db =>
        {
            var order = (await db.LoadLinesAndRefundsAsync([await db.Orders.AsNoTracking().SingleAsync(o => o.Name == "#1004")], CancellationToken.None)).Single();
            Assert.Equal(90m, order.GrossSales);
            Assert.Equal(2, Assert.Single(order.Lines).Quantity);
            Assert.Empty(order.Refunds);
            Assert.Equal(8, await db.Orders.CountAsync());
        });
    }

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Import_bad_lines_are_reported_by_line_and_good_orders_kept(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var store = await app.CreateStoreAsync();
        // Line numbers are physical: #1001's first row spans lines 2–4 (notes with line breaks).
        var csv = Read(ShopifyOrders)
            .Replace(",1,Canvas Tote,", ",two,Canvas Tote,", StringComparison.Ordinal)
            .Replace("2024-03-20T08:15:00Z", "someday", StringComparison.Ordinal);

        var data = await ImportAsync(store.Api, ShopifyPath, csv);

        Assert.Equal(6, data.Int("ordersCreated"));
        Assert.Equal(3, data.Int("skipped"));
        var errors = data.Messages("errors");
        Assert.Equal([8, 12], errors.Select(e => e.Line));
        Assert.Contains("Lineitem quantity “two” is not a whole number", errors[0].Message);
        Assert.Contains("Order #1002 was not imported", errors[0].Message);
        Assert.Contains("Created at “someday”", errors[1].Message);
        await app.WithDbAsync(store.StoreId, async db =>
        {
            var names = await db.Orders.Select(o => o.Name).OrderBy(n => n).ToListAsync();
            Assert.Equal(["#1001", "#1003", "#1004", "#1005", "#1007", "#1008"], names);
            // The rejected order is rejected whole: not even its good first row was kept.
            Assert.False(await db.OrderLines.AnyAsync(l => l.Sku == "LS-M"));
        });
    }

    [Fact]
    public async Task Import_unclosed_quote_reports_the_line_and_keeps_the_orders_before_it()
    {
        var store = await fixture.SqliteApp.CreateStoreAsync();
        var csv = Read(ShopifyOrders).Replace(",Wool Socks,", ",\"Wool Socks,", StringComparison.Ordinal);

        var data = await ImportAsync(store.Api, ShopifyPath, csv);

        Assert.Equal(2, data.Int("ordersCreated"));
        var error = Assert.Single(data.Messages("errors"));
        Assert.Equal(9, error.Line);
        Assert.Contains("never closed", error.Message);
    }

    [Fact]
    public async Task Import_order_rows_split_apart_are_refused_with_both_lines()
    {
        var store = await fixture.SqliteApp.CreateStoreAsync();
        var lines = Read(ShopifyOrders).TrimEnd('\n').Split('\n').ToList();
        // Move #1002's second row (line 8) to the end of the file.
        var moved = lines[7];
        lines.RemoveAt(7);
        lines.Add(moved);

        var data = await ImportAsync(store.Api, ShopifyPath, string.Join('\n', lines) + "\n");

        var error = Assert.Single(data.Messages("errors"));
        Assert.Equal(14, error.Line);
        Assert.Contains("already appeared on line 7", error.Message);
        Assert.Contains("Neither part was imported", error.Message);
        Assert.Equal(7, data.Int("ordersCreated"));
        Assert.Equal(2, data.Int("skipped"));
    }

    private static Task<(int Orders, int Lines, int Refunds, int Customers)> CountRowsAsync(AdIntelApp app, long storeId) =>
        app.WithDbAsync(storeId, async db => (await db.Orders.CountAsync(), await db.OrderLines.CountAsync(), await db.Refunds.CountAsync(),
            await db.Customers.CountAsync()));
}
