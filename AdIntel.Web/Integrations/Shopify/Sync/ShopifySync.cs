using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Options;
using AdIntel.Web.Infrastructure.Tenancy;
using AdIntel.Web.Ingestion;
using AdIntel.Web.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Integrations.Shopify.Sync;

public enum ShopifySyncKind
{
    /// <summary>Everything, by bulk operations: products, customers, orders.</summary>
    Backfill,
    /// <summary>What changed since the last sync (by updated_at, with an overlap); a backfill when the store never synced.</summary>
    Incremental,
}

/// <summary>
/// Syncs a store's Shopify data over the GraphQL Admin API into its products, customers and orders, then rebuilds its
/// daily facts. Backfill reads bulk operations and streams their JSONL; incremental reads pages of what changed since the
/// high-water mark (or a bulk operation when many orders changed). Writes are upserts by Shopify id, committed in
/// batches together with the checkpoint and the progress shown in Settings, so a sync stopped at any point (cancelled,
/// crashed) resumes where it was and ends with exactly the same data. The entry point for Hangfire and "sync now".
/// </summary>
public sealed class ShopifySync(IServiceScopeFactory scopes)
{
    /// <summary>Runs one sync of <paramref name="storeId"/>'s Shopify connection in its own scope; returns its <see cref="SyncRun"/> id.</summary>
    public async Task<long> RunAsync(long storeId, ShopifySyncKind kind, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateStoreScope(storeId);
        var services = scope.ServiceProvider;
        return await ActivatorUtilities.CreateInstance<ShopifySyncRun>(services).ExecuteAsync(kind, cancellationToken);
    }
}

/// <summary>One sync, in the scope of one store (see <see cref="ShopifySync"/>).</summary>
internal sealed class ShopifySyncRun(AdIntelDbContext db, ShopifyAdminClient client, ShopifyBulkOperations bulk, ShopifyAccessTokens tokens,
    OrderWriter orders, ShopifyProductWriter products, DailyFactsBuilder facts, IOptions<ShopifySyncOptions> options,
    IOptions<ShopifyOptions> shopifyOptions, IOptions<AuthOptions> auth, TimeProvider time, ILogger<ShopifySyncRun> logger)
{
    private const int RefetchChunk = 200;
    private const int ProductBatch = 500;
    private const int CustomerBatch = 2000;

    private readonly ShopifySyncOptions _options = options.Value;
    private IntegrationConnection _connection = null!;
    private ShopifyCheckpoint _checkpoint = null!;
    private SyncRun _run = null!;
    private ShopifyAdminSession _session = null!;
    private bool _changed;
    private DateTimeOffset? _markCeiling;
    private DateTimeOffset? _latestOrderSeen;

    public async Task<long> ExecuteAsync(ShopifySyncKind requested, CancellationToken cancellationToken)
    {
        _connection = await db.IntegrationConnections.AsTracking().SingleOrDefaultAsync(c => c.Provider == IntegrationProviders.Shopify, cancellationToken)
            ?? throw new InvalidOperationException("This store has no Shopify connection.");
        if (_connection.Status == IntegrationStatuses.Disconnected)
        {
            throw new InvalidOperationException("The store's Shopify connection is disconnected.");
        }
        _checkpoint = ShopifyCheckpoint.Parse(_connection.CheckpointJson);
        var kind = requested == ShopifySyncKind.Backfill || _checkpoint.OrdersUpdatedAt is null || _checkpoint.Bulk?.Kind == "backfill"
            ? ShopifySyncKind.Backfill
            : ShopifySyncKind.Incremental;
        var now = time.GetUtcNow().UtcDateTime;
        _run = new SyncRun
        {
            ConnectionId = _connection.Id,
            Provider = IntegrationProviders.Shopify,
            Kind = kind == ShopifySyncKind.Backfill ? "backfill" : "incremental",
            Phase = _checkpoint.Bulk is null ? "Starting" : "Resuming",
            StartedAtUtc = now,
        };
        db.SyncRuns.Add(_run);
        _connection.LastSyncStartedAtUtc = now;
        await db.SaveChangesAsync(cancellationToken);
        var stopwatch = Stopwatch.StartNew();
        logger.LogInformation("Shopify {Kind} sync {RunId} of store {StoreId} started", _run.Kind, _run.Id, _connection.StoreId);
        try
        {
            _session = await tokens.GetAsync(cancellationToken);
            if (kind == ShopifySyncKind.Backfill)
            {
                await BackfillAsync(cancellationToken);
            }
            else
            {
                await IncrementalAsync(cancellationToken);
            }
            if (_changed)
            {
                await SetPhaseAsync("Rebuilding daily figures", cancellationToken);
                await facts.RebuildAsync(cancellationToken);
            }
            _run.Status = SyncRunStatuses.Succeeded;
            _run.Phase = "Done";
            _run.FinishedAtUtc = time.GetUtcNow().UtcDateTime;
            _connection.LastSyncSucceededAtUtc = _run.FinishedAtUtc;
            _connection.LastError = null;
            if (_connection.Status == IntegrationStatuses.Error)
            {
                _connection.Status = IntegrationStatuses.Connected;
            }
            await db.SaveChangesAsync(cancellationToken);
            logger.LogInformation("Shopify {Kind} sync {RunId} of store {StoreId} succeeded: {Processed} orders in {ElapsedMs} ms",
                _run.Kind, _run.Id, _connection.StoreId, _run.Processed, stopwatch.ElapsedMilliseconds);
            return _run.Id;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await FinishAsync(SyncRunStatuses.Cancelled, "Stopped; the next sync resumes where this one left off.", reconnect: false);
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Shopify {Kind} sync {RunId} of store {StoreId} failed", _run.Kind, _run.Id, _connection.StoreId);
            await FinishAsync(SyncRunStatuses.Failed, e.Message, reconnect: e is ShopifyReconnectRequiredException);
            throw;
        }
    }

    /// <summary>Records how the run ended, whatever state the context was left in (a failed batch is rolled back).</summary>
    private async Task FinishAsync(string status, string message, bool reconnect)
    {
        db.ChangeTracker.Clear();
        var now = time.GetUtcNow().UtcDateTime;
        var error = status == SyncRunStatuses.Failed ? Truncate(message, 2000) : null;
        await db.SyncRuns.Where(r => r.Id == _run.Id).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Status, status)
            .SetProperty(r => r.Phase, Truncate(status == SyncRunStatuses.Failed ? "Failed" : message, 200))
            .SetProperty(r => r.Error, error)
            .SetProperty(r => r.FinishedAtUtc, now), CancellationToken.None);
        if (status == SyncRunStatuses.Failed)
        {
            var connectionStatus = reconnect ? IntegrationStatuses.Error : _connection.Status;
            await db.IntegrationConnections.Where(c => c.Id == _connection.Id).ExecuteUpdateAsync(s => s
                .SetProperty(c => c.LastError, error)
                .SetProperty(c => c.LastErrorAtUtc, now)
                .SetProperty(c => c.Status, connectionStatus), CancellationToken.None);
        }
    }

    // ---- backfill ----

    private async Task BackfillAsync(CancellationToken cancellationToken)
    {
        if (_checkpoint.Bulk is null && auth.Value.Mode == "Shopify")
        {
            await AdoptShopDetailsAsync(cancellationToken);
        }
        var read = _checkpoint.Bulk is { Kind: "backfill" } resumed
            ? resumed
            : new ShopifyBulkRead { Kind = "backfill", Stage = "products", StartedAt = time.GetUtcNow() };
        _checkpoint.Bulk = read;
        if (read.Stage == "products" && read.OperationId is null && string.CompareOrdinal(shopifyOptions.Value.ApiVersion, "2026-01") >= 0)
        {
            // Shopify prepares the three results at the same time (five bulk queries may run at once from 2026-01 on),
            // so the orders file is ready, or nearly, when products and customers are written.
            read.OperationId = await WithTokenAsync(s => bulk.StartAsync(s, ShopifyQueries.BulkProducts(null), cancellationToken), cancellationToken);
            read.NextOperations["customers"] = await WithTokenAsync(s => bulk.StartAsync(s, ShopifyQueries.BulkCustomers(null), cancellationToken), cancellationToken);
            read.NextOperations["orders"] = await WithTokenAsync(s => bulk.StartAsync(s, ShopifyQueries.BulkOrders(null), cancellationToken), cancellationToken);
            await SaveCheckpointAsync(cancellationToken);
        }
        if (read.Stage == "products")
        {
            await SetPhaseAsync("Reading products and costs (bulk)", cancellationToken);
            await ReadProductsAsync(read, ShopifyQueries.BulkProducts(null), cancellationToken);
            await NextStageAsync(read, "customers", cancellationToken);
        }
        if (read.Stage == "customers")
        {
            await SetPhaseAsync("Reading customers (bulk)", cancellationToken);
            await ReadCustomersAsync(read, cancellationToken);
            await NextStageAsync(read, "orders", cancellationToken);
        }
        await ReadOrdersAsync(read, cancellationToken);
        _checkpoint.Bulk = null;
        _checkpoint.OrdersUpdatedAt = read.StartedAt;
        _checkpoint.ProductsUpdatedAt = read.StartedAt;
        _checkpoint.CustomersUpdatedAt = read.StartedAt;
        _checkpoint.LastBackfillCompletedAt = time.GetUtcNow();
        await SaveCheckpointAsync(cancellationToken);
    }

    private async Task NextStageAsync(ShopifyBulkRead read, string stage, CancellationToken cancellationToken)
    {
        read.Stage = stage;
        read.OperationId = read.NextOperations.Remove(stage, out var started) ? started : null;
        read.RowsDone = 0;
        read.Refetch.Clear();
        await SaveCheckpointAsync(cancellationToken);
    }

    /// <summary>The completed bulk operation of the read's stage: the one it started (when it still has its result) or a new one.</summary>
    private async Task<ShopifyBulkStatus> OperationAsync(ShopifyBulkRead read, string query, CancellationToken cancellationToken)
    {
        if (read.OperationId is { } id)
        {
            try
            {
                var status = await WithTokenAsync(s => bulk.WaitAsync(s, id, cancellationToken), cancellationToken);
                if (status.Url is not null || status.RootObjectCount == 0)
                {
                    return status;
                }
            }
            catch (ShopifyBulkOperationException e)
            {
                logger.LogWarning("Bulk operation {Operation} cannot be resumed ({Message}); starting again", id, e.Message);
            }
        }
        read.OperationId = await WithTokenAsync(s => bulk.StartAsync(s, query, cancellationToken), cancellationToken);
        read.RowsDone = 0;
        await SaveCheckpointAsync(cancellationToken);
        return await WithTokenAsync(s => bulk.WaitAsync(s, read.OperationId, cancellationToken), cancellationToken);
    }

    private async Task ReadProductsAsync(ShopifyBulkRead read, string query, CancellationToken cancellationToken)
    {
        var status = await OperationAsync(read, query, cancellationToken);
        var pending = new Dictionary<string, ShopifyProductRecord>(StringComparer.Ordinal);
        var flushedRows = read.RowsDone;
        await foreach (var (row, document) in bulk.ReadAsync(status.Url, read.RowsDone, cancellationToken))
        {
            using (document)
            {
                var element = document.RootElement;
                var parent = ShopifyGraphQlReader.Text(element, "__parentId");
                if (parent is null)
                {
                    if (pending.Count >= ProductBatch)
                    {
                        await WriteProductsAsync(read, pending.Values.ToList(), row, cancellationToken);
                        pending.Clear();
                    }
                    var product = ShopifyGraphQlReader.ReadProduct(element);
                    pending[ShopifyGid.Of("Product", product.Id)] = product;
                }
                else if (pending.TryGetValue(parent, out var owner))
                {
                    owner.Variants.Add(ShopifyGraphQlReader.ReadVariant(element));
                }
                else
                {
                    read.Refetch.Add(ShopifyGid.Number(parent));
                }
                flushedRows = row + 1;
            }
        }
        await WriteProductsAsync(read, pending.Values.ToList(), flushedRows, cancellationToken);
        if (read.Refetch.Count > 0)
        {
            // Variants that arrived apart from their product: read those products again, whole.
            foreach (var chunk in read.Refetch.Distinct().Chunk(RefetchChunk))
            {
                var refetched = await ReadWholeAsync(ShopifyQueries.BulkProducts(ShopifyQueries.Ids(chunk)), cancellationToken);
                var whole = refetched.Roots.Select(ShopifyGraphQlReader.ReadProduct).ToDictionary(p => ShopifyGid.Of("Product", p.Id), StringComparer.Ordinal);
                foreach (var (parent, child) in refetched.Children)
                {
                    if (whole.TryGetValue(parent, out var owner))
                    {
                        owner.Variants.Add(ShopifyGraphQlReader.ReadVariant(child));
                    }
                }
                await InTransactionAsync(() => products.UpsertAsync(whole.Values.ToList(), cancellationToken), cancellationToken);
            }
            read.Refetch.Clear();
        }
    }

    private async Task WriteProductsAsync(ShopifyBulkRead read, List<ShopifyProductRecord> batch, long rowsDone, CancellationToken cancellationToken)
    {
        await InTransactionAsync(async () =>
        {
            var result = await products.UpsertAsync(batch, cancellationToken);
            _changed |= result.Created + result.Updated > 0;
            read.RowsDone = rowsDone;
            await SaveCheckpointAsync(cancellationToken);
            return result;
        }, cancellationToken);
    }

    private async Task ReadCustomersAsync(ShopifyBulkRead read, CancellationToken cancellationToken)
    {
        var status = await OperationAsync(read, ShopifyQueries.BulkCustomers(null), cancellationToken);
        var batch = new List<(ShopifyCustomerRecord, DateTimeOffset)>(CustomerBatch);
        await foreach (var (row, document) in bulk.ReadAsync(status.Url, read.RowsDone, cancellationToken))
        {
            using (document)
            {
                var customer = ShopifyGraphQlReader.ReadCustomer(document.RootElement);
                batch.Add((customer, customer.CreatedAt ?? time.GetUtcNow()));
            }
            if (batch.Count >= CustomerBatch)
            {
                await WriteCustomersAsync(read, batch, row + 1, cancellationToken);
                batch.Clear();
            }
        }
        await WriteCustomersAsync(read, batch, status.ObjectCount, cancellationToken);
    }

    private async Task WriteCustomersAsync(ShopifyBulkRead? read, List<(ShopifyCustomerRecord, DateTimeOffset)> batch, long rowsDone,
        CancellationToken cancellationToken)
    {
        await InTransactionAsync(async () =>
        {
            await orders.UpsertCustomersAsync(batch.ConvertAll(c => (c.Item1.ToIncoming(), c.Item2.UtcDateTime)), cancellationToken);
            _changed |= batch.Count > 0;
            if (read is not null)
            {
                read.RowsDone = rowsDone;
            }
            await SaveCheckpointAsync(cancellationToken);
            return true;
        }, cancellationToken);
    }

    /// <summary>Orders read from a bulk result, ready to write, with the result rows they account for.</summary>
    private sealed record OrderBatch(List<ShopifyOrderRecord> Orders, long RowsDone, Stragglers Stragglers);

    /// <summary>Child rows that came apart from their order: the orders to read again (and whether refunded orders must be).</summary>
    private sealed class Stragglers
    {
        public List<long> OrderIds { get; } = [];
        public bool Refunded { get; set; }
    }

    /// <summary>
    /// Streams the orders result: an order row starts an order, its lines follow with <c>__parentId</c> = the order and
    /// its refunds' lines with <c>__parentId</c> = the refund. Orders are written in batches at an order row's boundary
    /// (Shopify writes children after their parent, so every order before it is whole); a child whose parent was already
    /// handed on is noted and its order read again at the end, because Shopify does not promise that order. Reading and
    /// parsing the next batch overlaps writing the last one (one batch ahead at most).
    /// </summary>
    private async Task ReadOrdersAsync(ShopifyBulkRead read, CancellationToken cancellationToken)
    {
        await SetPhaseAsync(read.Kind == "backfill" ? "Reading orders (bulk)" : "Reading changed orders (bulk)", cancellationToken);
        var status = await OperationAsync(read, ShopifyQueries.BulkOrders(read.Search), cancellationToken);
        _run.Total = status.RootObjectCount;
        _run.Processed = read.OrdersDone;
        await SetPhaseAsync(read.Kind == "backfill" ? "Writing orders" : "Writing changed orders", cancellationToken);
        await orders.PreloadAsync(cancellationToken);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var batches = Channel.CreateBounded<OrderBatch>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        var reader = Task.Run(() => ProduceOrderBatchesAsync(status.Url, read.RowsDone, batches.Writer, stop.Token), stop.Token);
        try
        {
            await foreach (var batch in batches.Reader.ReadAllAsync(cancellationToken))
            {
                await WriteOrdersAsync(read, batch, cancellationToken);
            }
            await reader;
        }
        finally
        {
            // Stops the reader when the writing failed; its own failure, if any, already came through the channel.
            await stop.CancelAsync();
            await reader.ContinueWith(static t => t.Exception, TaskScheduler.Default);
        }
        await RefetchOrdersAsync(read, cancellationToken);
    }

    private async Task ProduceOrderBatchesAsync(string? url, long skip, ChannelWriter<OrderBatch> batches, CancellationToken cancellationToken)
    {
        try
        {
            var pending = new List<ShopifyGraphQlReader.OrderBuilder>(_options.BatchSize);
            var parents = new Dictionary<string, ShopifyGraphQlReader.OrderBuilder>(StringComparer.Ordinal);
            var refundOwners = new Dictionary<string, long>(StringComparer.Ordinal);
            var stragglers = new Stragglers();
            var rowsDone = skip;
            await foreach (var (row, document) in bulk.ReadAsync(url, skip, cancellationToken))
            {
                using (document)
                {
                    var element = document.RootElement;
                    var parent = ShopifyGraphQlReader.Text(element, "__parentId");
                    if (parent is null)
                    {
                        if (pending.Count >= _options.BatchSize)
                        {
                            await batches.WriteAsync(new OrderBatch(pending.Select(b => b.Build()).ToList(), row, stragglers), cancellationToken);
                            pending.Clear();
                            parents.Clear();
                            stragglers = new Stragglers();
                        }
                        var order = ShopifyGraphQlReader.ReadOrder(element);
                        pending.Add(order);
                        parents[ShopifyGid.Of("Order", order.Order.Id)] = order;
                        foreach (var refundId in order.Refunds.Keys)
                        {
                            var refundGid = ShopifyGid.Of("Refund", refundId);
                            parents[refundGid] = order;
                            refundOwners[refundGid] = order.Order.Id;
                        }
                    }
                    else
                    {
                        AttachOrderChild(stragglers, parents, refundOwners, parent, element);
                    }
                    rowsDone = row + 1;
                }
            }
            await batches.WriteAsync(new OrderBatch(pending.Select(b => b.Build()).ToList(), rowsDone, stragglers), cancellationToken);
            batches.Complete();
        }
        catch (Exception e)
        {
            batches.Complete(e);
            throw;
        }
    }

    private static void AttachOrderChild(Stragglers stragglers, Dictionary<string, ShopifyGraphQlReader.OrderBuilder> parents,
        Dictionary<string, long> refundOwners, string parent, JsonElement element)
    {
        var type = ShopifyGraphQlReader.GidType(ShopifyGraphQlReader.Text(element, "id"));
        if (parents.TryGetValue(parent, out var owner))
        {
            switch (type)
            {
                case "LineItem":
                    owner.Order.Lines.Add(ShopifyGraphQlReader.ReadLine(element));
                    break;
                case "RefundLineItem":
                    ShopifyGraphQlReader.AddRefundLine(owner.Refunds[ShopifyGid.Number(parent)], element);
                    break;
                case "RefundShippingLine":
                    ShopifyGraphQlReader.AddRefundShipping(owner.Refunds[ShopifyGid.Number(parent)], element);
                    break;
            }
            return;
        }
        if (ShopifyGraphQlReader.GidType(parent) == "Order")
        {
            stragglers.OrderIds.Add(ShopifyGid.Number(parent));
        }
        else if (refundOwners.TryGetValue(parent, out var orderId))
        {
            stragglers.OrderIds.Add(orderId);
        }
        else
        {
            stragglers.Refunded = true;
        }
    }

    /// <summary>Writes a batch of a bulk read with the read's checkpoint (rows done, orders to read again) in one transaction.</summary>
    private async Task WriteOrdersAsync(ShopifyBulkRead read, OrderBatch batch, CancellationToken cancellationToken)
    {
        await InTransactionAsync(async () =>
        {
            var result = await orders.UpsertAsync(ShopifyOrderRecord.ToIncoming(batch.Orders), OrderWriteMode.IfUpdatedAtDiffers, cancellationToken);
            _changed |= result.Created + result.Updated > 0;
            _run.Processed += batch.Orders.Count;
            read.RowsDone = batch.RowsDone;
            read.OrdersDone += batch.Orders.Count;
            read.Refetch.AddRange(batch.Stragglers.OrderIds);
            read.RefetchRefunded |= batch.Stragglers.Refunded;
            await SaveCheckpointAsync(cancellationToken);
            return result;
        }, cancellationToken);
    }

    /// <summary>Writes a page of an incremental read and moves the orders' high-water mark with it.</summary>
    private async Task WritePageAsync(List<ShopifyOrderRecord> records, CancellationToken cancellationToken)
    {
        await InTransactionAsync(async () =>
        {
            var result = await orders.UpsertAsync(ShopifyOrderRecord.ToIncoming(records), OrderWriteMode.IfUpdatedAtDiffers, cancellationToken);
            _changed |= result.Created + result.Updated > 0;
            _run.Processed += records.Count;
            if (records.Count > 0)
            {
                // Orders waiting to be read again hold the mark back, so a sync stopped before that still finds them.
                var newest = records.Max(r => r.UpdatedAt);
                if (_markCeiling is { } ceiling && newest > ceiling)
                {
                    newest = ceiling;
                }
                if (_checkpoint.OrdersUpdatedAt is null || newest > _checkpoint.OrdersUpdatedAt)
                {
                    _checkpoint.OrdersUpdatedAt = newest;
                }
            }
            await SaveCheckpointAsync(cancellationToken);
            return result;
        }, cancellationToken);
    }

    /// <summary>Reads again, whole, the orders whose rows came apart (or that paging could not fit), and writes them.</summary>
    private async Task RefetchOrdersAsync(ShopifyBulkRead read, CancellationToken cancellationToken)
    {
        var searches = read.Refetch.Distinct().Chunk(RefetchChunk).Select(ShopifyQueries.Ids).ToList();
        if (read.RefetchRefunded)
        {
            searches.Add("financial_status:partially_refunded OR financial_status:refunded");
        }
        if (searches.Count == 0)
        {
            return;
        }
        await SetPhaseAsync("Reading incomplete orders again", cancellationToken);
        foreach (var search in searches)
        {
            var rows = await ReadWholeAsync(ShopifyQueries.BulkOrders(search), cancellationToken);
            var builders = rows.Roots.Select(ShopifyGraphQlReader.ReadOrder).ToList();
            var parents = new Dictionary<string, ShopifyGraphQlReader.OrderBuilder>(StringComparer.Ordinal);
            foreach (var builder in builders)
            {
                parents[ShopifyGid.Of("Order", builder.Order.Id)] = builder;
                foreach (var refundId in builder.Refunds.Keys)
                {
                    parents[ShopifyGid.Of("Refund", refundId)] = builder;
                }
            }
            var ignored = new Stragglers();
            foreach (var (parent, child) in rows.Children)
            {
                AttachOrderChild(ignored, parents, [], parent, child);
            }
            await InTransactionAsync(async () =>
            {
                // Stored earlier without some of their rows but with the same updated_at: rewrite them regardless.
                var result = await orders.UpsertAsync(ShopifyOrderRecord.ToIncoming(builders.Select(b => b.Build())), OrderWriteMode.Always, cancellationToken);
                _changed |= result.Created + result.Updated > 0;
                return result;
            }, cancellationToken);
        }
        read.Refetch.Clear();
        read.RefetchRefunded = false;
        await SaveCheckpointAsync(cancellationToken);
    }

    private sealed record WholeResult(List<JsonElement> Roots, List<(string Parent, JsonElement Child)> Children);

    /// <summary>A small bulk result read whole (a few hundred objects), so its rows may come in any order.</summary>
    private async Task<WholeResult> ReadWholeAsync(string query, CancellationToken cancellationToken)
    {
        var id = await WithTokenAsync(s => bulk.StartAsync(s, query, cancellationToken), cancellationToken);
        var status = await WithTokenAsync(s => bulk.WaitAsync(s, id, cancellationToken), cancellationToken);
        var result = new WholeResult([], []);
        await foreach (var (_, document) in bulk.ReadAsync(status.Url, 0, cancellationToken))
        {
            using (document)
            {
                var element = document.RootElement.Clone();
                if (ShopifyGraphQlReader.Text(element, "__parentId") is { } parent)
                {
                    result.Children.Add((parent, element));
                }
                else
                {
                    result.Roots.Add(element);
                }
            }
        }
        return result;
    }

    // ---- incremental ----

    private async Task IncrementalAsync(CancellationToken cancellationToken)
    {
        if (_checkpoint.Bulk is { Kind: "incremental" } resumed)
        {
            await ReadOrdersAsync(resumed, cancellationToken);
            _checkpoint.Bulk = null;
            _checkpoint.OrdersUpdatedAt = resumed.StartedAt;
            await SaveCheckpointAsync(cancellationToken);
            return;
        }
        var started = time.GetUtcNow();

        await SetPhaseAsync("Reading changed products", cancellationToken);
        await PageAsync(ShopifyQueries.ProductsPage, ShopifyQueries.ProductPageSize, "products", Since(_checkpoint.ProductsUpdatedAt ?? started),
            async (nodes, ct) =>
            {
                var page = nodes.Select(ShopifyGraphQlReader.ReadProduct).ToList();
                var truncated = nodes.Where(n => n.TryGetProperty("variants", out var v) && ShopifyGraphQlReader.HasNextPage(v))
                    .Select(n => ShopifyGid.Number(ShopifyGraphQlReader.Text(n, "id")!)).ToList();
                await InTransactionAsync(async () =>
                {
                    var result = await products.UpsertAsync(page.Where(p => !truncated.Contains(p.Id)).ToList(), ct);
                    _changed |= result.Created + result.Updated > 0;
                    return result;
                }, ct);
                foreach (var chunk in truncated.Chunk(RefetchChunk))
                {
                    var refetched = await ReadWholeAsync(ShopifyQueries.BulkProducts(ShopifyQueries.Ids(chunk)), ct);
                    var whole = refetched.Roots.Select(ShopifyGraphQlReader.ReadProduct).ToDictionary(p => ShopifyGid.Of("Product", p.Id), StringComparer.Ordinal);
                    foreach (var (parent, child) in refetched.Children)
                    {
                        if (whole.TryGetValue(parent, out var owner))
                        {
                            owner.Variants.Add(ShopifyGraphQlReader.ReadVariant(child));
                        }
                    }
                    await InTransactionAsync(() => products.UpsertAsync(whole.Values.ToList(), ct), ct);
                }
                _checkpoint.ProductsUpdatedAt = Latest(_checkpoint.ProductsUpdatedAt, nodes, "updatedAt");
                await SaveCheckpointAsync(ct);
            }, cancellationToken);

        await SetPhaseAsync("Reading changed customers", cancellationToken);
        await PageAsync(ShopifyQueries.CustomersPage, ShopifyQueries.CustomerPageSize, "customers", Since(_checkpoint.CustomersUpdatedAt ?? started),
            async (nodes, ct) =>
            {
                var page = nodes.Select(n => (ShopifyGraphQlReader.ReadCustomer(n), time.GetUtcNow())).ToList();
                await WriteCustomersAsync(null, page, 0, ct);
                _checkpoint.CustomersUpdatedAt = Latest(_checkpoint.CustomersUpdatedAt, nodes, "updatedAt");
            }, cancellationToken);

        var search = Since(_checkpoint.OrdersUpdatedAt!.Value);
        long changed;
        using (var count = await WithTokenAsync(s => client.QueryAsync(s, ShopifyQueries.OrdersCount, new { q = search }, cancellationToken), cancellationToken))
        {
            changed = count.RootElement.GetProperty("data").GetProperty("ordersCount").GetProperty("count").GetInt64();
        }
        _run.Total = changed;
        if (changed > _options.IncrementalBulkThreshold)
        {
            var read = new ShopifyBulkRead { Kind = "incremental", Stage = "orders", StartedAt = started, Search = search };
            _checkpoint.Bulk = read;
            await SaveCheckpointAsync(cancellationToken);
            await ReadOrdersAsync(read, cancellationToken);
            _checkpoint.Bulk = null;
            _checkpoint.OrdersUpdatedAt = started;
            await SaveCheckpointAsync(cancellationToken);
            return;
        }

        await SetPhaseAsync("Reading changed orders", cancellationToken);
        var refetch = new ShopifyBulkRead { Kind = "incremental", Stage = "orders", StartedAt = started };
        await PageAsync(ShopifyQueries.OrdersPage, ShopifyQueries.OrderPageSize, "orders", search, async (nodes, ct) =>
        {
            var whole = new List<ShopifyGraphQlReader.OrderBuilder>();
            _latestOrderSeen = Latest(_latestOrderSeen, nodes, "updatedAt");
            foreach (var node in nodes)
            {
                if (ShopifyGraphQlReader.IsTruncated(node))
                {
                    refetch.Refetch.Add(ShopifyGid.Number(ShopifyGraphQlReader.Text(node, "id")!));
                    var updatedAt = Latest(null, [node], "updatedAt");
                    if (_markCeiling is null || updatedAt < _markCeiling)
                    {
                        _markCeiling = updatedAt;
                    }
                }
                else
                {
                    whole.Add(ShopifyGraphQlReader.ReadOrder(node));
                }
            }
            await WritePageAsync(whole.Select(b => b.Build()).ToList(), ct);
        }, cancellationToken);
        // Orders too big for a page, read whole; then the mark may pass them.
        await RefetchOrdersAsync(refetch, cancellationToken);
        if (_markCeiling is not null)
        {
            _markCeiling = null;
            _checkpoint.OrdersUpdatedAt = _latestOrderSeen ?? _checkpoint.OrdersUpdatedAt;
            await SaveCheckpointAsync(cancellationToken);
        }
    }

    private string Since(DateTimeOffset mark) => ShopifyQueries.UpdatedSince(mark - _options.Overlap);

    private static DateTimeOffset? Latest(DateTimeOffset? current, IReadOnlyList<JsonElement> nodes, string field)
    {
        var latest = current;
        foreach (var node in nodes)
        {
            if (ShopifyGraphQlReader.Text(node, field) is { } text
                && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at)
                && (latest is null || at > latest))
            {
                latest = at;
            }
        }
        return latest;
    }

    /// <summary>Follows a connection's cursor pages; each page's nodes are handed over (cloned) before the next is asked for.</summary>
    private async Task PageAsync(string query, int pageSize, string root, string search,
        Func<IReadOnlyList<JsonElement>, CancellationToken, Task> handle, CancellationToken cancellationToken)
    {
        string? after = null;
        while (true)
        {
            List<JsonElement> nodes;
            bool hasNext;
            using (var answer = await WithTokenAsync(s => client.QueryAsync(s, query, new { first = pageSize, after, q = search }, cancellationToken), cancellationToken))
            {
                var connection = answer.RootElement.GetProperty("data").GetProperty(root);
                nodes = ShopifyGraphQlReader.Nodes(connection).Select(n => n.Clone()).ToList();
                var info = connection.GetProperty("pageInfo");
                hasNext = info.GetProperty("hasNextPage").GetBoolean();
                after = info.TryGetProperty("endCursor", out var cursor) && cursor.ValueKind == JsonValueKind.String ? cursor.GetString() : null;
            }
            if (nodes.Count > 0)
            {
                await handle(nodes, cancellationToken);
            }
            if (!hasNext || after is null)
            {
                await SaveCheckpointAsync(cancellationToken);
                return;
            }
        }
    }

    /// <summary>
    /// A store created by a Shopify install (Auth:Mode=Shopify) starts with defaults, because the OAuth answer says
    /// nothing about the shop; before its first orders are written it takes the shop's name, currency and time zone,
    /// so every order lands on the shop's own local day. (In Local mode the owner chose them at setup.)
    /// </summary>
    private async Task AdoptShopDetailsAsync(CancellationToken cancellationToken)
    {
        using var answer = await WithTokenAsync(s => client.QueryAsync(s, "query ShopDetails { shop { name currencyCode ianaTimezone } }", null, cancellationToken),
            cancellationToken);
        if (!answer.RootElement.TryGetProperty("data", out var data) || !data.TryGetProperty("shop", out var shop) || shop.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        var store = await db.Stores.AsTracking().SingleAsync(s => s.Id == _connection.StoreId, cancellationToken);
        if (shop.TryGetProperty("name", out var name) && name.GetString() is { Length: > 0 and <= 200 } shopName)
        {
            store.Name = shopName;
        }
        if (shop.TryGetProperty("currencyCode", out var currency) && currency.GetString() is { Length: 3 } code)
        {
            store.Currency = code;
        }
        if (shop.TryGetProperty("ianaTimezone", out var zone) && zone.GetString() is { Length: > 0 and <= 64 } zoneId
            && TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out _))
        {
            store.TimeZone = zoneId;
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    // ---- plumbing ----

    /// <summary>Calls Shopify with the current token; after a 401 refreshes it once and calls again.</summary>
    private async Task<T> WithTokenAsync<T>(Func<ShopifyAdminSession, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call(_session);
        }
        catch (ShopifyUnauthorizedException)
        {
            logger.LogInformation("Shopify refused the access token of store {StoreId}; refreshing it", _connection.StoreId);
            _session = await tokens.RefreshAsync(null, cancellationToken);
            return await call(_session);
        }
    }

    private async Task<T> InTransactionAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var result = await work();
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>Saves the checkpoint and the run's progress (inside the caller's transaction when there is one).</summary>
    private async Task SaveCheckpointAsync(CancellationToken cancellationToken)
    {
        _connection.CheckpointJson = _checkpoint.ToJson();
        _connection.UpdatedAtUtc = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task SetPhaseAsync(string phase, CancellationToken cancellationToken)
    {
        logger.LogInformation("Shopify sync {RunId}: {Phase} done in {ElapsedMs} ms; now {Next}", _run.Id, _run.Phase, _phaseWatch.ElapsedMilliseconds, phase);
        _phaseWatch.Restart();
        _run.Phase = phase;
        await db.SaveChangesAsync(cancellationToken);
    }

    private readonly Stopwatch _phaseWatch = Stopwatch.StartNew();

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}
