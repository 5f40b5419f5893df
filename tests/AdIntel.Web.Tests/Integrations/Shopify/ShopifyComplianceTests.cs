using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AdIntel.Fakes.Shopify;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AdIntel.Web.Tests.Integrations.Shopify;

/// <summary>Shopify's mandatory privacy webhooks really export, redact and delete.</summary>
[Collection(AppCollection.Name)]
public sealed class ShopifyComplianceTests(AppFixture fixture)
{
    private const long ShopId = 954889;

    private static async Task<(ShopifyAppHost Host, string Shop, TestStore Store, FakeCustomer Customer)> StoreWithCustomerAsync(AppFixture fixture, string provider)
    {
        var host = await ShopifyAppHost.StartAsync(fixture, provider);
        var shop = ShopifyAppHost.NewShop();
        var store = await host.ConnectedStoreAsync(shop);
        var customer = ShopifyWebhookTests.NewCustomer(8001);
        var other = ShopifyWebhookTests.NewCustomer(8002);
        foreach (var order in new[] { ShopifyWebhookTests.NewOrder(9001, customer), ShopifyWebhookTests.NewOrder(9002, customer, quantity: 1), ShopifyWebhookTests.NewOrder(9003, other) })
        {
            Assert.True((await host.SendAsync("orders/create", shop, FakeShopifyPayloads.Order(order))).Delivered);
        }
        return (host, shop, store, customer);
    }

    [Theory, MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Data_request_exports_the_customers_orders_for_the_owner_only(string provider)
    {
        var (host, shop, store, customer) = await StoreWithCustomerAsync(fixture, provider);
        await using var _ = host;

        var sent = await host.SendAsync("customers/data_request", shop, FakeShopifyPayloads.CustomerDataRequest(ShopId, shop, customer, [9001], 9999, "555-625-1199"));
        Assert.True(sent.Delivered);

        using var list = JsonDocument.Parse(await store.Api.GetStringAsync("/api/compliance-requests"));
        var request = Assert.Single(list.RootElement.GetProperty("data").EnumerateArray());
        Assert.Equal("customers/data_request", request.GetProperty("topic").GetString());
        Assert.Equal("9999", request.GetProperty("shopifyRequestId").GetString());
        Assert.Equal(customer.Email, request.GetProperty("customerEmail").GetString());

        using var download = await store.Api.GetAsync(request.GetProperty("downloadUrl").GetString());
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/json", download.Content.Headers.ContentType!.MediaType);
        Assert.NotNull(download.Content.Headers.ContentDisposition?.FileName);
        using var export = JsonDocument.Parse(await download.Content.ReadAsStringAsync());
        var root = export.RootElement;
        Assert.Equal(customer.Email, root.GetProperty("storedCustomers")[0].GetProperty("email").GetString());
        Assert.Equal("Jane", root.GetProperty("storedCustomers")[0].GetProperty("firstName").GetString());
        var orders = root.GetProperty("orders").EnumerateArray().ToList();
        // Both of the customer's orders, with their lines; never the other customer's.
        Assert.Equal(["9001", "9002"], orders.Select(o => o.GetProperty("shopifyOrderId").GetString()!).Order().ToArray());
        Assert.Equal(2, orders.Single(o => o.GetProperty("shopifyOrderId").GetString() == "9001").GetProperty("lines")[0].GetProperty("quantity").GetInt32());
        Assert.DoesNotContain("jane.8002", root.GetRawText(), StringComparison.Ordinal);

        // The audit says what happened without the customer's data.
        var audit = await host.App.WithDbAsync(store.StoreId, db => db.AuditEntries.SingleAsync(a => a.Action == "compliance.data_request"));
        Assert.DoesNotContain(customer.Email!, audit.Summary, StringComparison.Ordinal);

        // Another store's owner cannot see it; a marketer of this store cannot either.
        var stranger = await host.App.CreateStoreAsync();
        using var foreign = await stranger.Api.GetAsync(request.GetProperty("downloadUrl").GetString());
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        var marketer = await host.App.CreateStoreAsync(StoreRole.Marketer);
        using var forbidden = await marketer.Api.GetAsync("/api/compliance-requests");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    [Theory, MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Customer_redact_removes_personal_data_and_keeps_the_money(string provider)
    {
        var (host, shop, store, customer) = await StoreWithCustomerAsync(fixture, provider);
        await using var _ = host;
        await host.SendAsync("customers/data_request", shop, FakeShopifyPayloads.CustomerDataRequest(ShopId, shop, customer, [], 10001));
        var totalBefore = await host.App.WithDbAsync(store.StoreId, db => db.Orders.SumAsync(o => o.Total));

        Assert.True((await host.SendAsync("customers/redact", shop, FakeShopifyPayloads.CustomerRedact(ShopId, shop, customer, [9001, 9002]))).Delivered);

        await host.App.WithDbAsync(store.StoreId, async db =>
        {
            var redacted = await db.Customers.SingleAsync(c => c.ExternalId == "8001");
            Assert.Null(redacted.Email);
            Assert.Null(redacted.FirstName);
            Assert.Null(redacted.LastName);
            Assert.All(await db.Orders.Where(o => o.CustomerId == redacted.Id).ToListAsync(), o => Assert.Null(o.Email));
            Assert.Equal(totalBefore, await db.Orders.SumAsync(o => o.Total));
            Assert.Equal(3, await db.Orders.CountAsync());
            // The other customer is untouched; nothing stored mentions the redacted one any more.
            Assert.Equal("jane.8002@example.com", await db.Customers.Where(c => c.ExternalId == "8002").Select(c => c.Email).SingleAsync());
            var texts = await db.ComplianceRequests.Select(r => r.ResultJson + " " + r.CustomerEmail).ToListAsync();
            Assert.DoesNotContain(texts, t => t.Contains(customer.Email!, StringComparison.Ordinal));
            Assert.DoesNotContain(await db.AuditEntries.Select(a => a.Summary + a.AfterJson).ToListAsync(), t => t.Contains(customer.Email!, StringComparison.Ordinal));
            var record = await db.ComplianceRequests.SingleAsync(r => r.Topic == "customers/redact");
            using var counts = JsonDocument.Parse(record.ResultJson);
            Assert.Equal(1, counts.RootElement.GetProperty("customersRedacted").GetInt32());
            Assert.Equal(2, counts.RootElement.GetProperty("ordersRedacted").GetInt32());
        });
    }

    [Theory, MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Shop_redact_deletes_the_store_and_every_row_it_owns_but_no_other_stores(string provider)
    {
        var (host, shop, store, customer) = await StoreWithCustomerAsync(fixture, provider);
        await using var _ = host;
        var bystanderShop = ShopifyAppHost.NewShop();
        var bystander = await host.ConnectedStoreAsync(bystanderShop);
        await host.SendAsync("orders/create", bystanderShop, FakeShopifyPayloads.Order(ShopifyWebhookTests.NewOrder(9101)));
        // Fill more of the store's tables: a refund, a product, a privacy export, a sync run, facts.
        var order = ShopifyWebhookTests.NewOrder(9001, customer);
        var catalog = new FakeShopifyCatalog();
        catalog.Orders.Add(order);
        catalog.OrdersById[order.Id] = order;
        await host.SendAsync("refunds/create", shop, FakeShopifyPayloads.Refund(order, catalog.AddRefund(order.Id, 1, DateTimeOffset.UtcNow)));
        var product = new FakeProduct { Id = 1234, Title = "Mug" };
        product.Variants.Add(new FakeVariant { Id = 1235, InventoryItemId = 1236, Product = product, Title = "Default Title", Price = 12m });
        await host.SendAsync("products/update", shop, FakeShopifyPayloads.Product(product));
        await host.SendAsync("customers/data_request", shop, FakeShopifyPayloads.CustomerDataRequest(ShopId, shop, customer, [9001], 1));
        await host.App.WithDbAsync(store.StoreId, async db =>
        {
            var connection = await db.IntegrationConnections.SingleAsync();
            db.SyncRuns.Add(new SyncRun { ConnectionId = connection.Id, Sync = "shopify", Kind = "backfill", StartedAtUtc = DateTime.UtcNow, HeartbeatAtUtc = DateTime.UtcNow });
            await db.SaveChangesAsync();
        });
        await host.FactsIdleAsync(store.StoreId);
        // The bystander's order webhook asked for a facts rebuild too: count its rows once that rebuild is done.
        await host.FactsIdleAsync(bystander.StoreId);
        var storeOwned = StoreOwnedTypes(host);
        var before = await CountRowsAsync(host, store.StoreId, storeOwned);
        Assert.True(before.Count(c => c.Value > 0) >= 10, string.Join(", ", before.Select(c => $"{c.Key}={c.Value}")));
        var bystanderBefore = await CountRowsAsync(host, bystander.StoreId, storeOwned);

        var sent = await host.SendAsync("shop/redact", shop, FakeShopifyPayloads.ShopRedact(ShopId, shop));

        Assert.True(sent.Delivered);
        var after = await CountRowsAsync(host, store.StoreId, storeOwned);
        Assert.All(after, c => Assert.True(c.Value == 0, $"{c.Key} still has {c.Value} row(s) of the deleted store"));
        Assert.Null(await host.StoreAsync(shop));
        Assert.Equal(bystanderBefore, await CountRowsAsync(host, bystander.StoreId, storeOwned));
        // The receipt stays: the record that Shopify's request was honoured (it holds no personal data).
        Assert.True(await host.App.WithDbAsync(null, db => db.WebhookReceipts.AnyAsync(r => r.Topic == "shop/redact" && r.Status == WebhookReceiptStatuses.Processed)));
        // The store's API token went with it.
        using var gone = await store.Api.GetAsync("/api/overview");
        Assert.Equal(HttpStatusCode.Unauthorized, gone.StatusCode);
    }

    [Theory, MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Shop_redact_leaves_no_row_of_the_store_while_webhooks_facts_rebuilds_rule_runs_and_syncs_write_beside_it(string provider)
    {
        var (host, shop, store, _) = await StoreWithCustomerAsync(fixture, provider);
        await using var _host = host;
        var storeId = store.StoreId;
        using (var created = await store.Api.PostAsJsonAsync("/api/rules", new { name = "Beside the deletion", scope = "ad", expression = "spend_7d > 0", actions = new object[] { new { type = "notify" } } }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }
        var ruleId = await host.App.WithDbAsync(storeId, db => db.Rules.Select(r => r.Id).SingleAsync());
        using (var schedule = await store.Api.PostAsJsonAsync("/api/reports/schedules", new { report = "summary", format = "csv", frequency = "weekly", recipient = "books@example.com" }))
        {
            Assert.True(schedule.IsSuccessStatusCode, await schedule.Content.ReadAsStringAsync());
        }
        var scheduleId = await host.App.WithDbAsync(storeId, db => db.ScheduledReports.Select(r => r.Id).SingleAsync());

        // Four writers of the store's rows, each going round until the deletion is over. After it they fail (the store
        // is gone) or find nothing to do; either way they must not leave a row behind.
        using var stop = new CancellationTokenSource();
        var rounds = new int[4];
        // On the thread pool, not xunit's context: SQLite waits for its write lock by blocking the thread.
        Task Repeat(int writer, Func<Task> write) => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await write();
                }
                catch (Exception)
                {
                    // Expected once the store is gone (foreign keys refuse its rows), and when the writer is stopped.
                }
                Interlocked.Increment(ref rounds[writer]);
            }
        });
        var nextOrder = 20_000L;
        var writers = new[]
        {
            Repeat(0, () => host.Webhooks.SendAsync(ShopifyAppHost.WebhookUrl, "orders/create", shop,
                FakeShopifyPayloads.Order(ShopifyWebhookTests.NewOrder(Interlocked.Increment(ref nextOrder))), stop.Token)),
            Repeat(1, () => host.App.WithServiceAsync<Web.Metrics.DailyFactsBuilder, bool>(storeId, async facts => { await facts.RebuildAsync(stop.Token); return true; })),
            Repeat(2, async () => { using var _ = await store.Api.PostAsync($"/api/rules/{ruleId}/run", null, stop.Token); }),
            Repeat(3, () => host.App.Services.GetRequiredService<Web.Integrations.Sync.IntegrationSyncRunner>().RunAsync(storeId, "shopify", Web.Integrations.Sync.SyncMode.Auto, stop.Token)),
        };
        try
        {
            await Eventually.HoldsAsync(() => Task.FromResult(rounds.All(r => r >= 2)), "every writer went round twice before the deletion",
                describe: () => "rounds (webhooks, facts, rule runs, syncs): " + string.Join(", ", rounds));

            var sent = await host.SendAsync("shop/redact", shop, FakeShopifyPayloads.ShopRedact(ShopId, shop));
            Assert.True(sent.Delivered);
            var roundsAtDeletion = rounds.ToArray();
            // Let every writer go round twice more after the deletion before stopping them.
            await Eventually.HoldsAsync(() => Task.FromResult(rounds.Zip(roundsAtDeletion).All(r => r.First >= r.Second + 2)), "every writer went round twice after the deletion",
                describe: () => "rounds (webhooks, facts, rule runs, syncs): " + string.Join(", ", rounds));
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(writers);
        }
        await host.FactsIdleAsync(storeId);

        var after = await CountRowsAsync(host, storeId, StoreOwnedTypes(host));
        Assert.All(after, c => Assert.True(c.Value == 0, $"{c.Key} still has {c.Value} row(s) of the deleted store"));
        Assert.Null(await host.StoreAsync(shop));
        using var connection = host.App.Services.GetRequiredService<Hangfire.JobStorage>().GetConnection();
        var leftJobs = Hangfire.Storage.StorageConnectionExtensions.GetRecurringJobs(connection)
            .Select(j => j.Id).Where(id => id == Web.Integrations.IntegrationSchedules.JobId(storeId) || id == Web.Reports.Scheduling.ScheduledReports.JobId(scheduleId)).ToList();
        Assert.True(leftJobs.Count == 0, "recurring jobs left for the deleted store: " + string.Join(", ", leftJobs));
        foreach (var dispatcher in host.App.Services.GetServices<Web.Infrastructure.Jobs.StoreJobDispatcher>())
        {
            Assert.False(await Infrastructure.Jobs.StoreJobDispatcherTests.DispatchedInItsTurnAsync(dispatcher, storeId), $"{dispatcher.JobId} still starts the deleted store's job");
        }
    }

    [Fact]
    public async Task Redactions_leave_no_bytes_of_the_email_or_name_in_the_sqlite_database_or_its_log()
    {
        var host = await ShopifyAppHost.StartAsync(fixture, AppFixture.Sqlite);
        await using var _ = host;
        var redactedShop = ShopifyAppHost.NewShop();
        var deletedShop = ShopifyAppHost.NewShop();
        await host.ConnectedStoreAsync(redactedShop);
        await host.ConnectedStoreAsync(deletedShop);
        var customer = UniqueCustomer(8101);
        var ofDeletedShop = UniqueCustomer(8102);
        Assert.True((await host.SendAsync("orders/create", redactedShop, FakeShopifyPayloads.Order(ShopifyWebhookTests.NewOrder(9201, customer)))).Delivered);
        Assert.True((await host.SendAsync("orders/create", redactedShop, FakeShopifyPayloads.Order(ShopifyWebhookTests.NewOrder(9202, customer)))).Delivered);
        Assert.True((await host.SendAsync("orders/create", deletedShop, FakeShopifyPayloads.Order(ShopifyWebhookTests.NewOrder(9203, ofDeletedShop)))).Delivered);
        var secrets = new[] { customer.Email!, customer.FirstName!, customer.LastName!, ofDeletedShop.Email!, ofDeletedShop.LastName! };
        // The scan finds them while they are stored.
        Assert.All(secrets, secret => Assert.True(DatabaseFilesContain(host, secret), $"{secret} was never written"));

        Assert.True((await host.SendAsync("customers/redact", redactedShop, FakeShopifyPayloads.CustomerRedact(ShopId, redactedShop, customer, [9201, 9202]))).Delivered);
        Assert.True((await host.SendAsync("shop/redact", deletedShop, FakeShopifyPayloads.ShopRedact(ShopId + 1, deletedShop))).Delivered);

        Assert.All(secrets, secret => Assert.False(DatabaseFilesContain(host, secret), $"{secret} is still in the database files"));
    }

    private static FakeCustomer UniqueCustomer(long id)
    {
        var customer = ShopifyWebhookTests.NewCustomer(id);
        var unique = Guid.NewGuid().ToString("N")[..12];
        customer.Email = $"erase-me.{unique}@example.com";
        customer.FirstName = "Quintessa" + unique;
        customer.LastName = "Vandersloot" + unique;
        return customer;
    }

    /// <summary>Whether the SQLite database file or its write-ahead log holds <paramref name="text"/> (UTF-8) anywhere, deleted space included.</summary>
    private static bool DatabaseFilesContain(ShopifyAppHost host, string text)
    {
        var path = new SqliteConnectionStringBuilder(host.App.Services.GetRequiredService<IConfiguration>().GetConnectionString("AdIntel")).DataSource;
        var needle = Encoding.UTF8.GetBytes(text);
        foreach (var file in new[] { path, path + "-wal" }.Where(File.Exists))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var bytes = new MemoryStream();
            stream.CopyTo(bytes);
            if (bytes.GetBuffer().AsSpan(0, (int)bytes.Length).IndexOf(needle) >= 0)
            {
                return true;
            }
        }
        return false;
    }

    private static List<Type> StoreOwnedTypes(ShopifyAppHost host)
    {
        using var scope = host.App.Services.CreateScope();
        return [.. scope.ServiceProvider.GetRequiredService<AdIntelDbContext>().Model.GetEntityTypes()
            .Select(e => e.ClrType).Where(t => typeof(IStoreOwned).IsAssignableFrom(t))];
    }

    /// <summary>Rows per store-owned table for the store, read without the store filter.</summary>
    private static Task<Dictionary<string, int>> CountRowsAsync(ShopifyAppHost host, long storeId, List<Type> types) =>
        host.App.WithDbAsync(null, async db =>
        {
            var counts = new Dictionary<string, int>();
            foreach (var type in types)
            {
                var count = (Task<int>)typeof(ShopifyComplianceTests).GetMethod(nameof(CountAsync), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                    .MakeGenericMethod(type).Invoke(null, [db, storeId])!;
                counts[type.Name] = await count;
            }
            return counts;
        });

    private static Task<int> CountAsync<T>(AdIntelDbContext db, long storeId) where T : class, IStoreOwned =>
        db.Set<T>().IgnoreQueryFilters().CountAsync(e => e.StoreId == storeId);
}
