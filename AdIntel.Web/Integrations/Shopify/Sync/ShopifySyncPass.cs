using System.Text.Json;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Ingestion;
using AdIntel.Web.Integrations.Sync;

namespace AdIntel.Web.Integrations.Shopify.Sync;

/// <summary>The services a Shopify sync pass uses, resolved once per run by <see cref="ShopifySync"/>.</summary>
internal sealed record ShopifySyncServices(AdIntelDbContext Db, ShopifyAdminClient Client, ShopifyBulkOperations Bulk, ShopifyAccessTokens Tokens,
    OrderWriter Orders, ShopifyProductWriter Products, ShopifySyncOptions Options, TimeProvider Time, ILogger Logger);

/// <summary>
/// What a Shopify backfill (<see cref="ShopifyBackfill"/>) and an incremental sync (<see cref="ShopifyIncrementalSync"/>)
/// share: the run's checkpoint and access token, calls to Shopify that refresh a refused token once, writes committed in
/// one transaction with the checkpoint and progress, products read again whole, and the bulk read of orders both use
/// (a backfill's, and an incremental sync's when many orders changed).
/// </summary>
internal abstract class ShopifySyncPass(ShopifySyncServices services, SyncRunContext context, ShopifyCheckpoint checkpoint, ShopifyAdminSession session)
{
    protected const int RefetchChunk = 200;

    protected AdIntelDbContext Db => services.Db;
    protected ShopifyAdminClient Client => services.Client;
    protected ShopifyBulkOperations Bulk => services.Bulk;
    protected ShopifyAccessTokens Tokens => services.Tokens;
    protected OrderWriter Orders => services.Orders;
    protected ShopifyProductWriter Products => services.Products;
    protected ShopifySyncOptions Options => services.Options;
    protected TimeProvider Time => services.Time;
    protected ILogger Logger => services.Logger;
    protected IntegrationConnection Connection => context.Connection;
    protected SyncRun Run => context.Run;
    protected ShopifyCheckpoint Checkpoint => checkpoint;
    private ShopifyAdminSession _session = session;

    /// <summary>Whether the pass wrote anything (then the store's daily facts are rebuilt).</summary>
    protected bool Changed { get; set; }

    /// <summary>Runs the pass; marks the run's data changed when it wrote anything.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await SyncAsync(cancellationToken);
        }
        finally
        {
            if (Changed)
            {
                context.MarkDataChanged();
            }
        }
    }

    protected abstract Task SyncAsync(CancellationToken cancellationToken);

    protected Task SetPhaseAsync(string phase, CancellationToken cancellationToken) => context.SetPhaseAsync(phase, cancellationToken);

    /// <summary>Reads products again whole (their variants came apart from them, or did not fit a page) and writes them.</summary>
    protected async Task RefetchProductsAsync(IEnumerable<long> productIds, CancellationToken cancellationToken)
    {
        foreach (var chunk in productIds.Chunk(RefetchChunk))
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
            await InTransactionAsync(() => Products.UpsertAsync(whole.Values.ToList(), cancellationToken), cancellationToken);
        }
    }

    /// <summary>The completed bulk operation of the read's stage: the one it started (when it still has its result) or a new one.</summary>
    protected async Task<ShopifyBulkStatus> OperationAsync(ShopifyBulkRead read, string query, CancellationToken cancellationToken)
    {
        if (read.OperationId is { } id)
        {
            try
            {
                var status = await WithTokenAsync(s => Bulk.WaitAsync(s, id, cancellationToken), cancellationToken);
                if (status.Url is not null || status.RootObjectCount == 0)
                {
                    return status;
                }
            }
            catch (ShopifyBulkOperationException e)
            {
                Logger.LogWarning("Bulk operation {Operation} cannot be resumed ({Message}); starting again", id, e.Message);
            }
        }
        read.OperationId = await WithTokenAsync(s => Bulk.StartAsync(s, query, cancellationToken), cancellationToken);
        read.RowsDone = 0;
        await SaveCheckpointAsync(cancellationToken);
        return await WithTokenAsync(s => Bulk.WaitAsync(s, read.OperationId, cancellationToken), cancellationToken);
    }

    protected async Task WriteCustomersAsync(ShopifyBulkRead? read, List<(ShopifyCustomerRecord, DateTimeOffset)> batch, long rowsDone,
        CancellationToken cancellationToken)
    {
        await InTransactionAsync(async () =>
        {
            await Orders.UpsertCustomersAsync(batch.ConvertAll(c => (c.Item1.ToIncoming(), c.Item2.UtcDateTime)), cancellationToken);
            Changed |= batch.Count > 0;
            if (read is not null)
            {
                read.RowsDone = rowsDone;
            }
            await SaveCheckpointAsync(cancellationToken);
            return true;
        }, cancellationToken);
    }

    /// <summary>Orders read from a bulk result, prepared for the writer, with the result rows they account for.</summary>
    private sealed record OrderBatch(List<OrderWriter.PreparedOrder> Orders, long RowsDone, Stragglers Stragglers);

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
    /// parsing the next batch and preparing the one before it (its rows, local dates and customers: CPU only) overlap writing
    /// the last one, each on its own thread (one batch ahead at most at each step).
    /// </summary>
    protected async Task ReadOrdersAsync(ShopifyBulkRead read, CancellationToken cancellationToken)
    {
        await SetPhaseAsync(read.Kind == "backfill" ? "Reading orders (bulk)" : "Reading changed orders (bulk)", cancellationToken);
        var status = await OperationAsync(read, ShopifyQueries.BulkOrders(read.Search), cancellationToken);
        Run.Total = status.RootObjectCount;
        Run.Processed = read.OrdersDone;
        await SetPhaseAsync(read.Kind == "backfill" ? "Writing orders" : "Writing changed orders", cancellationToken);
        await Orders.PreloadAsync(cancellationToken);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var parsed = Channel.CreateBounded<ParsedBatch>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        var prepared = Channel.CreateBounded<OrderBatch>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        var reader = Task.Run(() => ProduceOrderBatchesAsync(status.Url, read.RowsDone, parsed.Writer, stop.Token), stop.Token);
        var preparer = Task.Run(() => PrepareOrderBatchesAsync(parsed.Reader, prepared.Writer, stop.Token), stop.Token);
        try
        {
            await foreach (var batch in prepared.Reader.ReadAllAsync(cancellationToken))
            {
                await WriteOrdersAsync(read, batch, cancellationToken);
            }
            await Task.WhenAll(reader, preparer);
        }
        finally
        {
            // Stops the reader and the preparer when the writing failed; their own failures, if any, already came through
            // the channels.
            await stop.CancelAsync();
            await Task.WhenAll(reader, preparer).ContinueWith(static t => t.Exception, TaskScheduler.Default);
        }
        await RefetchOrdersAsync(read, cancellationToken);
    }

    /// <summary>Orders read whole from a bulk result, not yet prepared, with the result rows they account for.</summary>
    private sealed record ParsedBatch(List<ShopifyGraphQlReader.OrderBuilder> Orders, long RowsDone, Stragglers Stragglers);

    /// <summary>The middle of the pipeline: prepares each parsed batch (CPU only) on its own thread, one batch ahead of the writer.</summary>
    private async Task PrepareOrderBatchesAsync(ChannelReader<ParsedBatch> parsed, ChannelWriter<OrderBatch> prepared, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var batch in parsed.ReadAllAsync(cancellationToken))
            {
                await prepared.WriteAsync(new OrderBatch(Prepared(batch.Orders), batch.RowsDone, batch.Stragglers), cancellationToken);
            }
            prepared.Complete();
        }
        catch (Exception e)
        {
            prepared.Complete(e);
            throw;
        }
    }

    private async Task ProduceOrderBatchesAsync(string? url, long skip, ChannelWriter<ParsedBatch> batches, CancellationToken cancellationToken)
    {
        try
        {
            var pending = new List<ShopifyGraphQlReader.OrderBuilder>(Options.BatchSize);
            var parents = new Dictionary<(ShopifyGidKind, long), ShopifyGraphQlReader.OrderBuilder>();
            var refundOwners = new Dictionary<long, long>();
            var stragglers = new Stragglers();
            var rowsDone = skip;
            var node = new ShopifyOrderNode();
            await foreach (var (row, line) in Bulk.ReadLinesAsync(url, skip, cancellationToken))
            {
                ShopifyGraphQlReader.ReadOrderRow(line.Span, node);
                if (!node.HasParent)
                {
                    if (pending.Count >= Options.BatchSize)
                    {
                        await batches.WriteAsync(new ParsedBatch(pending, row, stragglers), cancellationToken);
                        pending = new List<ShopifyGraphQlReader.OrderBuilder>(Options.BatchSize);
                        parents.Clear();
                        stragglers = new Stragglers();
                    }
                    var order = node.ToOrder();
                    pending.Add(order);
                    AddParents(parents, order);
                    foreach (var refundId in order.Refunds.Keys)
                    {
                        refundOwners[refundId] = order.Order.Id;
                    }
                }
                else
                {
                    AttachOrderChild(stragglers, parents, refundOwners, node);
                }
                rowsDone = row + 1;
            }
            await batches.WriteAsync(new ParsedBatch(pending, rowsDone, stragglers), cancellationToken);
            batches.Complete();
        }
        catch (Exception e)
        {
            batches.Complete(e);
            throw;
        }
    }

    private List<OrderWriter.PreparedOrder> Prepared(List<ShopifyGraphQlReader.OrderBuilder> orders) =>
        Orders.PrepareLatest(ShopifyOrderRecord.ToIncoming(orders.Select(b => b.Build())));

    /// <summary>An order is the parent of its lines, and each of its refunds of the refund's lines and shipping lines.</summary>
    private static void AddParents(Dictionary<(ShopifyGidKind, long), ShopifyGraphQlReader.OrderBuilder> parents, ShopifyGraphQlReader.OrderBuilder order)
    {
        parents[(ShopifyGidKind.Order, order.Order.Id)] = order;
        foreach (var refundId in order.Refunds.Keys)
        {
            parents[(ShopifyGidKind.Refund, refundId)] = order;
        }
    }

    private static void AttachOrderChild(Stragglers stragglers, Dictionary<(ShopifyGidKind, long), ShopifyGraphQlReader.OrderBuilder> parents,
        Dictionary<long, long> refundOwners, ShopifyOrderNode child)
    {
        var parentId = child.ParentId ?? throw new FormatException("A bulk result row's __parentId is not a Shopify GID.");
        if (parents.TryGetValue((child.ParentKind, parentId), out var owner))
        {
            switch (child.Kind)
            {
                case ShopifyGidKind.LineItem:
                    owner.Order.Lines.Add(child.ToLine());
                    break;
                case ShopifyGidKind.RefundLineItem when owner.Refunds.TryGetValue(parentId, out var refund):
                    child.AddRefundLineTo(refund);
                    break;
                case ShopifyGidKind.RefundShippingLine when owner.Refunds.TryGetValue(parentId, out var refund):
                    child.AddRefundShippingTo(refund);
                    break;
            }
            return;
        }
        if (child.ParentKind == ShopifyGidKind.Order)
        {
            stragglers.OrderIds.Add(parentId);
        }
        else if (child.ParentKind == ShopifyGidKind.Refund && refundOwners.TryGetValue(parentId, out var orderId))
        {
            stragglers.OrderIds.Add(orderId);
        }
        else
        {
            stragglers.Refunded = true;
        }
    }

    /// <summary>
    /// Writes a batch of a bulk read with the read's checkpoint (rows done, orders to read again) in one transaction, whose
    /// commit does not wait for the disk (<see cref="Transactions.SkipCommitFlushAsync"/>): the run's later commits (its
    /// last checkpoint, its ending) are ordinary ones, which flush every batch before them.
    /// </summary>
    private async Task WriteOrdersAsync(ShopifyBulkRead read, OrderBatch batch, CancellationToken cancellationToken)
    {
        await InTransactionAsync(async () =>
        {
            await Db.Database.SkipCommitFlushAsync(cancellationToken);
            var result = await Orders.UpsertAsync(batch.Orders, OrderWriteMode.IfUpdatedAtDiffers, cancellationToken);
            Changed |= result.Created + result.Updated > 0;
            Run.Processed += batch.Orders.Count;
            read.RowsDone = batch.RowsDone;
            read.OrdersDone += batch.Orders.Count;
            read.Refetch.AddRange(batch.Stragglers.OrderIds);
            read.RefetchRefunded |= batch.Stragglers.Refunded;
            await SaveCheckpointAsync(cancellationToken);
            return result;
        }, cancellationToken);
    }

    /// <summary>Reads again, whole, the orders whose rows came apart (or that paging could not fit), and writes them.</summary>
    protected async Task RefetchOrdersAsync(ShopifyBulkRead read, CancellationToken cancellationToken)
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
            var parents = new Dictionary<(ShopifyGidKind, long), ShopifyGraphQlReader.OrderBuilder>();
            foreach (var builder in builders)
            {
                AddParents(parents, builder);
            }
            var ignored = new Stragglers();
            foreach (var (_, child) in rows.Children)
            {
                AttachOrderChild(ignored, parents, [], ShopifyGraphQlReader.ReadOrderRow(JsonMarshal.GetRawUtf8Value(child)));
            }
            await InTransactionAsync(async () =>
            {
                // Stored earlier without some of their rows but with the same updated_at: rewrite them regardless.
                var result = await Orders.UpsertAsync(ShopifyOrderRecord.ToIncoming(builders.Select(b => b.Build())), OrderWriteMode.Always, cancellationToken);
                Changed |= result.Created + result.Updated > 0;
                return result;
            }, cancellationToken);
        }
        read.Refetch.Clear();
        read.RefetchRefunded = false;
        await SaveCheckpointAsync(cancellationToken);
    }

    protected sealed record WholeResult(List<JsonElement> Roots, List<(string Parent, JsonElement Child)> Children);

    /// <summary>A small bulk result read whole (a few hundred objects), so its rows may come in any order.</summary>
    protected async Task<WholeResult> ReadWholeAsync(string query, CancellationToken cancellationToken)
    {
        var id = await WithTokenAsync(s => Bulk.StartAsync(s, query, cancellationToken), cancellationToken);
        var status = await WithTokenAsync(s => Bulk.WaitAsync(s, id, cancellationToken), cancellationToken);
        var result = new WholeResult([], []);
        await foreach (var (_, document) in Bulk.ReadAsync(status.Url, 0, cancellationToken))
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

    /// <summary>Calls Shopify with the current token; after a 401 refreshes it once and calls again.</summary>
    protected async Task<T> WithTokenAsync<T>(Func<ShopifyAdminSession, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call(_session);
        }
        catch (ShopifyUnauthorizedException)
        {
            Logger.LogInformation("Shopify refused the access token of store {StoreId}; refreshing it", Connection.StoreId);
            _session = await Tokens.RefreshAsync(null, cancellationToken);
            return await call(_session);
        }
    }

    protected async Task<T> InTransactionAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken)
    {
        await using var transaction = await Db.Database.BeginTransactionAsync(cancellationToken);
        var result = await work();
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>Saves the checkpoint and the run's progress (inside the caller's transaction when there is one).</summary>
    protected async Task SaveCheckpointAsync(CancellationToken cancellationToken)
    {
        Connection.CheckpointJson = Checkpoint.ToJson();
        Connection.UpdatedAtUtc = Time.GetUtcNow().UtcDateTime;
        await Db.SaveChangesAsync(cancellationToken);
    }
}
