using AdIntel.Fakes.Shopify;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Integrations;
using AdIntel.Web.Integrations.Shopify.Sync;
using AdIntel.Web.Integrations.Sync;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AdIntel.Web.Tests.Integrations.Shopify;

/// <summary>
/// The Shopify sync end to end against the fake GraphQL Admin API over real HTTP: bulk backfill, incremental paging,
/// throttling, injected faults, resume after a stop, and token refresh. Every check compares what the store ends up with
/// against what the fake shop holds.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class ShopifySyncTests(AppFixture fixture)
{
    private static void AssertSameTotals(FakeShopifyTotals expected, FakeShopifyTotals actual)
    {
        Assert.Equal(expected.Orders, actual.Orders);
        Assert.Equal(expected.TotalPrice, actual.TotalPrice);
        Assert.Equal(expected.GrossSales, actual.GrossSales);
        Assert.Equal(expected.Refunds, actual.Refunds);
        Assert.Equal(expected.RefundedTotal, actual.RefundedTotal);
        Assert.Equal(expected.RefundedMerchandise, actual.RefundedMerchandise);
        Assert.Equal(expected.LineCost, actual.LineCost);
        Assert.Equal(expected.Lines, actual.Lines);
        Assert.Equal(expected.CustomersWithOrders, actual.CustomersWithOrders);
        Assert.Equal(expected.Variants, actual.Variants);
        Assert.Equal(expected.VariantUnitCosts, actual.VariantUnitCosts);
    }

    [Theory, MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Backfill_by_bulk_operation_stores_exactly_what_the_shop_holds(string provider)
    {
        await using var harness = await ShopifySyncHarness.StartAsync(fixture, provider);
        var store = await harness.ConnectStoreAsync(orders: 400);

        var runId = await harness.SyncAsync(store.StoreId, SyncMode.Auto);

        var expected = store.Catalog.Totals();
        Assert.True(expected.Refunds > 10 && expected.Orders == 400, "the generated shop has refunds to check");
        AssertSameTotals(expected, await harness.StoredTotalsAsync(store.StoreId));
        var (run, facts, checkpoint) = await harness.App.WithDbAsync(store.StoreId, async db => (
            await db.SyncRuns.AsNoTracking().SingleAsync(r => r.Id == runId),
            await db.DailyFacts.AsNoTracking().ToListAsync(),
            ShopifyCheckpoint.Parse((await db.IntegrationConnections.AsNoTracking().SingleAsync()).CheckpointJson)));
        Assert.Equal(("backfill", RunStatuses.Succeeded, 400L, 400L), (run.Kind, run.Status, run.Processed, run.Total));
        Assert.Null(checkpoint.Bulk);
        Assert.NotNull(checkpoint.OrdersUpdatedAt);
        // The overview's figures: sales are the orders that are neither tests nor cancelled.
        var sales = store.Catalog.Orders.Where(o => !o.Test && o.CancelledAt is null).ToList();
        Assert.Equal(sales.Count, facts.Sum(f => f.Orders));
        Assert.Equal(sales.Sum(o => o.TotalPrice), facts.Sum(f => f.OrderTotals));
        Assert.Equal(0, harness.Admin.ThrottledCalls);
        // Order by order, the fields that some orders have and others lack.
        var stored = await harness.App.WithDbAsync(store.StoreId, db => db.Orders.AsNoTracking()
            .Select(o => new { o.ExternalId, o.Email, o.DiscountCode, Cancelled = o.CancelledAtUtc != null, o.IsTest, o.SourceName, HasCustomer = o.CustomerId != null })
            .ToListAsync());
        var expectedOrders = store.Catalog.Orders.Select(o => new
        {
            ExternalId = o.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), Email = o.Email?.ToLowerInvariant(), o.DiscountCode,
            Cancelled = o.CancelledAt != null, IsTest = o.Test, o.SourceName, HasCustomer = o.Customer != null,
        });
        Assert.Equal(expectedOrders.OrderBy(o => o.ExternalId, StringComparer.Ordinal), stored.OrderBy(o => o.ExternalId, StringComparer.Ordinal));
        Assert.Contains(stored, o => o.DiscountCode is null);
        Assert.Contains(stored, o => o.DiscountCode is not null);
        Assert.Contains(stored, o => !o.HasCustomer);
    }

    [Theory, MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Backfill_under_twenty_percent_injected_faults_still_ends_with_exact_totals(string provider)
    {
        await using var harness = await ShopifySyncHarness.StartAsync(fixture, provider);
        var store = await harness.ConnectStoreAsync(orders: 300);
        harness.Admin.Faults.Reseed(11);
        harness.Admin.Faults.Rate = 0.2;
        harness.Admin.Faults.IncludeSlow = true;
        harness.Admin.Faults.SlowDelay = TimeSpan.FromSeconds(3);

        await harness.SyncAsync(store.StoreId, SyncMode.Backfill);

        AssertSameTotals(store.Catalog.Totals(), await harness.StoredTotalsAsync(store.StoreId));
        var faults = harness.Admin.Calls.Count(c => c.Outcome.StartsWith("fault:", StringComparison.Ordinal));
        Assert.True(faults >= 2, $"faults were injected ({faults} of {harness.Admin.Calls.Count} calls)");
    }

    [Fact]
    public async Task Bulk_rows_whose_children_come_apart_from_their_orders_are_read_again_whole()
    {
        await using var harness = await ShopifySyncHarness.StartAsync(fixture, AppFixture.Sqlite);
        var store = await harness.ConnectStoreAsync(orders: 250);
        harness.Admin.BulkChildrenLast = true;

        await harness.SyncAsync(store.StoreId, SyncMode.Backfill);

        AssertSameTotals(store.Catalog.Totals(), await harness.StoredTotalsAsync(store.StoreId));
    }

    [Theory, MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Text_that_Shopify_escapes_arrives_as_the_merchant_wrote_it_by_bulk_and_by_page(string provider)
    {
        await using var harness = await ShopifySyncHarness.StartAsync(fixture, provider);
        var store = await harness.ConnectStoreAsync(orders: 30);
        var variant = store.Catalog.Variants.Values.First();
        // JSON writers escape quotes, '+', '<', '&' and non-ASCII letters (\u0022, \u002B, \u00E9…).
        const string email = "ana+promo@example.com";
        const string title = "Caf\u00e9 \"Deluxe\" <b>Gr\u00f6\u00dfe</b> & \u65e5\u672c";
        // Short texts that repeat row to row are read through a cache, long ones as they come: both must arrive whole.
        var longSku = "SKU-\"1\"-" + new string('\u00e9', 150);
        FakeOrder Unusual()
        {
            var order = store.Catalog.AddOrder(variant.Id, quantity: 1, DateTimeOffset.UtcNow);
            order.Email = email;
            var line = order.Lines[0];
            order.Lines[0] = new FakeLineItem { Id = line.Id, Variant = line.Variant, Sku = longSku, Name = title, Quantity = line.Quantity, Price = line.Price };
            return order;
        }
        var byBulk = Unusual();
        await harness.SyncAsync(store.StoreId, SyncMode.Backfill);
        var byPage = Unusual();
        await harness.SyncAsync(store.StoreId, SyncMode.Auto);

        foreach (var sent in new[] { byBulk, byPage })
        {
            var stored = await harness.App.WithDbAsync(store.StoreId, async db =>
            {
                var order = await db.Orders.AsNoTracking().SingleAsync(o => o.ExternalId == sent.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
                return (order.Email, Line: await db.OrderLines.AsNoTracking().SingleAsync(l => l.OrderId == order.Id));
            });
            Assert.Equal((email, title, longSku, variant.Price), (stored.Email, stored.Line.Title, stored.Line.Sku, stored.Line.UnitPrice));
        }
    }

    [Fact]
    public async Task Incremental_sync_pages_through_changes_without_ever_calling_into_an_empty_bucket()
    {
        await using var harness = await ShopifySyncHarness.StartAsync(fixture, AppFixture.Sqlite);
        // A bucket just big enough for one page (requested 997) that refills at 1500 points/s: the client must pace itself.
        harness.Admin.BucketMaximum = 1000;
        harness.Admin.RestoreRate = 1500;
        var store = await harness.ConnectStoreAsync(orders: 300);
        await harness.SyncAsync(store.StoreId, SyncMode.Backfill);

        var now = DateTimeOffset.UtcNow;
        var touched = store.Catalog.Orders.Where(o => o.Refunds.Count == 0 && !o.Test).Take(60).ToList();
        foreach (var order in touched)
        {
            store.Catalog.TouchOrder(order.Id, now);
        }
        var refunded = touched[0];
        var refund = store.Catalog.AddRefund(refunded.Id, quantity: 1, now, refundShipping: true);
        var variant = store.Catalog.Variants.Values.First(v => v.UnitCost is not null);
        store.Catalog.SetUnitCost(variant.Id, 12.34m, now);
        var added = store.Catalog.AddOrder(variant.Id, quantity: 2, now);
        var callsBefore = harness.Admin.Calls.Count;

        var runId = await harness.SyncAsync(store.StoreId, SyncMode.Auto);

        var calls = harness.Admin.Calls.Skip(callsBefore).ToList();
        var orderPages = calls.Count(c => c.Root == "orders");
        Assert.True(orderPages >= 61 / 5, $"the 61 changed orders were read in pages of 5 ({orderPages} pages)");
        Assert.True(harness.Admin.ThrottledCalls == 0, "throttled calls:" + Environment.NewLine + string.Join(Environment.NewLine,
            harness.Admin.Calls.Select(c => $"{c.At:HH:mm:ss.ffff} {c.Root} requested {c.RequestedCost}, available {c.AvailableBefore:0.0} → {c.AvailableAfter:0.0}: {c.Outcome}")));
        Assert.All(calls, c => Assert.True(c.AvailableBefore >= c.RequestedCost, $"{c.Root} called with {c.AvailableBefore} points for cost {c.RequestedCost}"));
        // Each order page left the bucket short of the next page's cost: only waiting for it to refill avoided THROTTLED.
        var pages = calls.Where(c => c.Root == "orders").ToList();
        Assert.True(pages.Zip(pages.Skip(1)).Count(p => p.First.AvailableAfter < p.Second.RequestedCost) >= pages.Count / 2,
            "the client had to wait for the bucket between pages");

        var run = await harness.App.WithDbAsync(store.StoreId, db => db.SyncRuns.AsNoTracking().SingleAsync(r => r.Id == runId));
        Assert.Equal(("incremental", RunStatuses.Succeeded), (run.Kind, run.Status));
        var expected = store.Catalog.Totals();
        var stored = await harness.StoredTotalsAsync(store.StoreId);
        Assert.Equal((expected.Orders, expected.TotalPrice, expected.Refunds, expected.RefundedTotal, expected.RefundedMerchandise, expected.VariantUnitCosts),
            (stored.Orders, stored.TotalPrice, stored.Refunds, stored.RefundedTotal, stored.RefundedMerchandise, stored.VariantUnitCosts));
        var (storedRefund, newOrder) = await harness.App.WithDbAsync(store.StoreId, async db => (
            await db.Refunds.AsNoTracking().SingleAsync(r => r.ExternalId == refund.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            (await db.LoadLinesAndRefundsAsync([await db.Orders.AsNoTracking().SingleAsync(o => o.ExternalId == added.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))],
                CancellationToken.None)).Single()));
        Assert.Equal(refund.Lines.Sum(l => l.Subtotal), storedRefund.Amount);
        Assert.Equal(refund.Shipping, storedRefund.ShippingRefunded);
        Assert.Equal(12.34m, Assert.Single(newOrder.Lines).UnitCost);
    }

    [Fact]
    public async Task The_fake_throttles_a_client_that_does_not_pace_itself()
    {
        await using var harness = await ShopifySyncHarness.StartAsync(fixture, AppFixture.Sqlite);
        harness.Admin.BucketMaximum = 1000;
        harness.Admin.RestoreRate = 50;
        var store = await harness.ConnectStoreAsync(orders: 50);
        using var http = new HttpClient();
        var url = harness.Server.ShopifyShopUrlTemplate.Replace("{shop}", store.Shop, StringComparison.Ordinal) + "/admin/api/2026-07/graphql.json";
        var throttled = 0;
        for (var i = 0; i < 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url)
            {
                Content = new StringContent("""{"query":"{ orders(first: 100) { nodes { id lineItems(first: 5) { nodes { id } } } } }"}""",
                    System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("X-Shopify-Access-Token", store.AccessToken);
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            throttled += body.Contains("\"THROTTLED\"", StringComparison.Ordinal) ? 1 : 0;
        }
        Assert.True(throttled >= 1, "a second 802-point query right after the first finds the bucket short");
        Assert.Equal(throttled, harness.Admin.ThrottledCalls);
    }

    [Theory, MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task A_backfill_stopped_part_way_resumes_and_ends_with_exactly_the_same_data(string provider)
    {
        await using var harness = await ShopifySyncHarness.StartAsync(fixture, provider);
        var reference = await harness.ConnectStoreAsync(orders: 500);
        await harness.SyncAsync(reference.StoreId, SyncMode.Backfill);
        var stopped = await harness.ConnectStoreAsync(orders: 500);

        // The orders file stops flowing after 1000 rows (about 280 orders with their lines); the sync is stopped there.
        harness.Admin.PauseDownloadAfterRows = 1000;
        using var stop = new CancellationTokenSource();
        var first = harness.SyncAsync(stopped.StoreId, SyncMode.Backfill, stop.Token);
        await Eventually.HoldsAsync(async () =>
            {
                // A backfill that ended cannot get there any more.
                Assert.False(first.IsCompleted, first.IsFaulted ? first.Exception!.InnerException!.Message : "the backfill ended early");
                return await harness.App.WithDbAsync(stopped.StoreId, db => db.Orders.CountAsync()) >= 200;
            }, "the backfill should have written its first batches",
            () => harness.App.WithDbAsync(stopped.StoreId, db => db.SyncRuns.AsNoTracking().Select(r => r.Phase + " " + r.Processed + " " + r.Status + " " + r.Error).SingleAsync()),
            TimeSpan.FromSeconds(60));
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        var (partial, cancelledRun, checkpoint) = await harness.App.WithDbAsync(stopped.StoreId, async db => (
            await db.Orders.CountAsync(),
            await db.SyncRuns.AsNoTracking().SingleAsync(),
            ShopifyCheckpoint.Parse((await db.IntegrationConnections.AsNoTracking().SingleAsync()).CheckpointJson)));
        Assert.InRange(partial, 200, 499);
        Assert.Equal(RunStatuses.Cancelled, cancelledRun.Status);
        Assert.Equal("orders", checkpoint.Bulk?.Stage);
        Assert.InRange(checkpoint.Bulk!.RowsDone, 1, 1000);

        harness.Admin.ReleaseDownloads();
        await harness.SyncAsync(stopped.StoreId, SyncMode.Auto);

        Assert.Equal(await harness.SnapshotAsync(reference.StoreId), await harness.SnapshotAsync(stopped.StoreId));
        AssertSameTotals(stopped.Catalog.Totals(), await harness.StoredTotalsAsync(stopped.StoreId));
        // The resumed sync read the rest of the same result instead of asking Shopify for another.
        var orderOperations = harness.Admin.BulkOperations.Values.Count(o => o.Shop == stopped.Shop && o.Query.Contains("orders", StringComparison.Ordinal));
        Assert.Equal(1, orderOperations);
    }

    [Fact]
    public async Task An_expired_access_token_is_refreshed_and_the_rotated_pair_is_stored_encrypted()
    {
        await using var harness = await ShopifySyncHarness.StartAsync(fixture, AppFixture.Sqlite);
        var store = await harness.ConnectStoreAsync(orders: 30, tokenLifetime: TimeSpan.FromMinutes(-1), expiredInDatabase: true);

        await harness.SyncAsync(store.StoreId, SyncMode.Backfill);

        var connection = await harness.App.WithDbAsync(store.StoreId, db => db.IntegrationConnections.AsNoTracking().SingleAsync());
        var protector = harness.App.Services.GetRequiredService<IntegrationTokenProtector>();
        var access = protector.Unprotect(connection.EncryptedAccessToken)!;
        var refresh = protector.Unprotect(connection.EncryptedRefreshToken)!;
        Assert.NotEqual(store.AccessToken, access);
        Assert.NotEqual(store.RefreshToken, refresh);
        Assert.DoesNotContain(access, connection.EncryptedAccessToken!, StringComparison.Ordinal);
        Assert.DoesNotContain(refresh, connection.EncryptedRefreshToken!, StringComparison.Ordinal);
        Assert.True(FakeShopify.IsValidAccessToken(harness.Server.Shopify, store.Shop, access, DateTimeOffset.UtcNow));
        Assert.True(harness.Server.Shopify.RefreshTokens[store.RefreshToken].Consumed);
        Assert.True(connection.AccessTokenExpiresAtUtc > DateTime.UtcNow.AddMinutes(50));
        Assert.Equal(30, (await harness.StoredTotalsAsync(store.StoreId)).Orders);
    }

    [Fact]
    public async Task A_token_Shopify_refuses_before_its_stored_expiry_is_refreshed_after_the_401()
    {
        await using var harness = await ShopifySyncHarness.StartAsync(fixture, AppFixture.Sqlite);
        // Stored as valid for an hour, but Shopify already expired it (revoked, clock skew): the first call gets 401.
        var store = await harness.ConnectStoreAsync(orders: 20, tokenLifetime: TimeSpan.FromMinutes(-1), expiredInDatabase: false);

        await harness.SyncAsync(store.StoreId, SyncMode.Backfill);

        Assert.Contains(harness.Admin.Calls, c => c.Outcome == "unauthorized");
        Assert.True(harness.Server.Shopify.RefreshTokens[store.RefreshToken].Consumed);
        Assert.Equal(20, (await harness.StoredTotalsAsync(store.StoreId)).Orders);
    }

    [Fact]
    public async Task A_refresh_Shopify_refuses_fails_the_sync_and_asks_for_a_reconnect()
    {
        await using var harness = await ShopifySyncHarness.StartAsync(fixture, AppFixture.Sqlite);
        var store = await harness.ConnectStoreAsync(orders: 10, tokenLifetime: TimeSpan.FromMinutes(-1), expiredInDatabase: true);
        harness.Server.Shopify.RefreshTokens[store.RefreshToken].Consumed = true;

        await Assert.ThrowsAsync<AdIntel.Web.Integrations.Shopify.ShopifyReconnectRequiredException>(() => harness.SyncAsync(store.StoreId, SyncMode.Backfill));

        var (connection, run) = await harness.App.WithDbAsync(store.StoreId, async db => (
            await db.IntegrationConnections.AsNoTracking().SingleAsync(), await db.SyncRuns.AsNoTracking().SingleAsync()));
        Assert.Equal(IntegrationStatuses.Error, connection.Status);
        Assert.Contains("connect the shop again", connection.LastError, StringComparison.Ordinal);
        Assert.Equal(RunStatuses.Failed, run.Status);
    }

    [Theory, MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task A_live_run_keeps_a_second_sync_from_starting_and_a_stale_one_is_interrupted_before_the_next_runs(string provider)
    {
        await using var harness = await ShopifySyncHarness.StartAsync(fixture, provider);
        var store = await harness.ConnectStoreAsync(orders: 30);
        // A sync of this connection already running in another process: it started two hours ago and beat just now.
        var now = PinnedDate.UtcNow;
        var other = await harness.App.WithDbAsync(store.StoreId, async db =>
        {
            var run = new SyncRun
            {
                ConnectionId = (await db.IntegrationConnections.SingleAsync()).Id, Sync = IntegrationProviders.Shopify, Kind = SyncKinds.Backfill,
                Status = RunStatuses.Running, Phase = "Writing orders", StartedAtUtc = now.AddHours(-2), HeartbeatAtUtc = now,
            };
            db.SyncRuns.Add(run);
            await db.SaveChangesAsync();
            return run.Id;
        });

        Assert.Equal(other, await harness.SyncAsync(store.StoreId, SyncMode.Auto));
        Assert.Empty(harness.Admin.Calls);
        Assert.Equal(1, await harness.App.WithDbAsync(store.StoreId, db => db.SyncRuns.CountAsync()));

        // That process died: its heartbeat is older than Jobs:StaleAfter (5 minutes).
        await harness.App.WithDbAsync(store.StoreId, db => db.SyncRuns.Where(r => r.Id == other)
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.HeartbeatAtUtc, now.AddMinutes(-6))));
        var next = await harness.SyncAsync(store.StoreId, SyncMode.Auto);

        var (stale, done) = await harness.App.WithDbAsync(store.StoreId, async db => (
            await db.SyncRuns.AsNoTracking().SingleAsync(r => r.Id == other), await db.SyncRuns.AsNoTracking().SingleAsync(r => r.Id == next)));
        Assert.Equal(RunStatuses.Interrupted, stale.Status);
        Assert.Equal(SyncRunRecorder.InterruptedMessage, stale.Error);
        Assert.NotNull(stale.FinishedAtUtc);
        Assert.Equal((SyncKinds.Backfill, RunStatuses.Succeeded), (done.Kind, done.Status));
        AssertSameTotals(store.Catalog.Totals(), await harness.StoredTotalsAsync(store.StoreId));
    }
}
