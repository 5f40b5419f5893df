using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Integrations.Shopify.App;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Tests.Infrastructure;

/// <summary>
/// Orders, lines, refunds and customers have no foreign keys (<see cref="AdIntelDbContext.IsBulkLoaded"/>): what the
/// keys guaranteed still holds — no row of a store that does not exist, and none left when a store is deleted, even
/// while a batch of its rows is being written.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class BulkLoadedRowsTests(AppFixture fixture)
{
    private static readonly DateTime Created = new(2025, 3, 5, 12, 0, 0, DateTimeKind.Utc);

    [Theory, MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task A_deleted_store_refuses_new_rows(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var store = await app.CreateStoreAsync();
        Assert.Equal(1, await app.WithServiceAsync<ShopifyCompliance, int>(store.StoreId, c => c.DeleteStoreAsync(store.StoreId, CancellationToken.None)));

        var refused = await Assert.ThrowsAsync<StoreDeletedException>(() =>
            app.WithDbAsync(store.StoreId, db => WriteOrderAsync(db, "late")));

        Assert.Equal(store.StoreId, refused.StoreId);
        Assert.Equal((0, 0, 0, 0), await CountAsync(app, store.StoreId));
    }

    [Theory, MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Deleting_a_store_waits_for_a_batch_being_written_and_leaves_none_of_its_rows(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var store = await app.CreateStoreAsync();
        var bystander = await app.CreateStoreAsync();
        await app.WithDbAsync(store.StoreId, db => WriteOrderAsync(db, "committed"));
        await app.WithDbAsync(bystander.StoreId, db => WriteOrderAsync(db, "bystander"));

        var deletion = await app.WithDbAsync(store.StoreId, async writer =>
        {
            await using var batch = await writer.Database.BeginTransactionAsync();
            await WriteOrderAsync(writer, "in-flight");
            // The deletion starts while the batch is written, before it commits.
            var deletion = Task.Run(() => app.WithServiceAsync<ShopifyCompliance, int>(store.StoreId, c => c.DeleteStoreAsync(store.StoreId, CancellationToken.None)));
            if (provider == AppFixture.Postgres)
            {
                // PostgreSQL: the deletion waits for the store's row, which the batch holds (SQLite lets one writer in at a time anyway).
                await Eventually.HoldsAsync(async () => await app.WithDbAsync(null, db => db.Database
                        .SqlQuery<int>($"""SELECT count(*)::int AS "Value" FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%DELETE FROM "Stores"%'""")
                        .SingleAsync()) > 0,
                    "the store's deletion waits for the batch being written");
            }
            await batch.CommitAsync();
            return deletion;
        });

        Assert.Equal(1, await deletion);
        Assert.Equal((0, 0, 0, 0), await CountAsync(app, store.StoreId));
        Assert.Equal((1, 1, 1, 1), await CountAsync(app, bystander.StoreId));
    }

    /// <summary>A customer, an order of theirs with a line and a refund, as the order writer writes them.</summary>
    private static async Task WriteOrderAsync(AdIntelDbContext db, string key)
    {
        var customer = new Customer { ExternalId = "c-" + key, Email = key + "@example.com", CreatedAtUtc = Created };
        await BulkWriter.InsertAsync(db, [customer], CancellationToken.None);
        var order = new Order
        {
            ExternalId = "o-" + key, Name = "#" + key, CustomerId = customer.Id, CreatedAtUtc = Created, UpdatedAtUtc = Created,
            LocalDate = DateOnly.FromDateTime(Created), GrossSales = 20, Total = 20,
        };
        await BulkWriter.InsertAsync(db, [order], CancellationToken.None);
        await BulkWriter.InsertAsync(db, [new OrderLine { OrderId = order.Id, Title = "Tee", Quantity = 1, UnitPrice = 20 }], CancellationToken.None);
        await BulkWriter.InsertAsync(db, [new Refund { OrderId = order.Id, ExternalId = "r-" + key, CreatedAtUtc = Created, LocalDate = order.LocalDate, Amount = 5 }],
            CancellationToken.None);
    }

    /// <summary>The store's customers, orders, lines and refunds, read without the store filter.</summary>
    private static Task<(int Customers, int Orders, int Lines, int Refunds)> CountAsync(AdIntelApp app, long storeId) =>
        app.WithDbAsync(null, async db => (
            await db.Customers.IgnoreQueryFilters().CountAsync(c => c.StoreId == storeId),
            await db.Orders.IgnoreQueryFilters().CountAsync(o => o.StoreId == storeId),
            await db.OrderLines.IgnoreQueryFilters().CountAsync(l => l.StoreId == storeId),
            await db.Refunds.IgnoreQueryFilters().CountAsync(r => r.StoreId == storeId)));
}
