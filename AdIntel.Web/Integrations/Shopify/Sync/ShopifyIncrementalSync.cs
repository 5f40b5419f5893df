using AdIntel.Web.Ingestion;
using System.Text.Json;
using AdIntel.Web.Integrations.Sync;

namespace AdIntel.Web.Integrations.Shopify.Sync;

/// <summary>
/// What changed since the last sync: pages of products, customers and orders updated since the high-water marks (less
/// <see cref="ShopifySyncOptions.Overlap"/>), or one bulk operation when more than
/// <see cref="ShopifySyncOptions.IncrementalBulkThreshold"/> orders changed. Orders too big for a page are read again
/// whole before the orders' mark may pass them, so a sync stopped in between still finds them.
/// </summary>
internal sealed class ShopifyIncrementalSync(ShopifySyncServices services, SyncRunContext context, ShopifyCheckpoint checkpoint, ShopifyAdminSession session)
    : ShopifySyncPass(services, context, checkpoint, session)
{
    private DateTimeOffset? _markCeiling;
    private DateTimeOffset? _latestOrderSeen;

    protected override async Task SyncAsync(CancellationToken cancellationToken)
    {
        if (Checkpoint.Bulk is { Kind: "incremental" } resumed)
        {
            await ReadOrdersAsync(resumed, cancellationToken);
            Checkpoint.Bulk = null;
            Checkpoint.OrdersUpdatedAt = resumed.StartedAt;
            await SaveCheckpointAsync(cancellationToken);
            return;
        }
        var started = Time.GetUtcNow();

        await SetPhaseAsync("Reading changed products", cancellationToken);
        await PageAsync(ShopifyQueries.ProductsPage, ShopifyQueries.ProductPageSize, "products", Since(Checkpoint.ProductsUpdatedAt ?? started),
            async (nodes, ct) =>
            {
                var page = nodes.Select(ShopifyGraphQlReader.ReadProduct).ToList();
                var truncated = nodes.Where(n => n.TryGetProperty("variants", out var v) && ShopifyGraphQlReader.HasNextPage(v))
                    .Select(n => ShopifyGid.Number(ShopifyGraphQlReader.Text(n, "id")!)).ToList();
                await InTransactionAsync(async () =>
                {
                    var result = await Products.UpsertAsync(page.Where(p => !truncated.Contains(p.Id)).ToList(), ct);
                    Changed |= result.Created + result.Updated > 0;
                    return result;
                }, ct);
                await RefetchProductsAsync(truncated, ct);
                Checkpoint.ProductsUpdatedAt = Latest(Checkpoint.ProductsUpdatedAt, nodes, "updatedAt");
                await SaveCheckpointAsync(ct);
            }, cancellationToken);

        await SetPhaseAsync("Reading changed customers", cancellationToken);
        await PageAsync(ShopifyQueries.CustomersPage, ShopifyQueries.CustomerPageSize, "customers", Since(Checkpoint.CustomersUpdatedAt ?? started),
            async (nodes, ct) =>
            {
                var page = nodes.Select(n => (ShopifyGraphQlReader.ReadCustomer(n), Time.GetUtcNow())).ToList();
                await WriteCustomersAsync(null, page, 0, ct);
                Checkpoint.CustomersUpdatedAt = Latest(Checkpoint.CustomersUpdatedAt, nodes, "updatedAt");
            }, cancellationToken);

        var search = Since(Checkpoint.OrdersUpdatedAt!.Value);
        long changed;
        using (var count = await WithTokenAsync(s => Client.QueryAsync(s, ShopifyQueries.OrdersCount, new { q = search }, cancellationToken), cancellationToken))
        {
            changed = count.RootElement.GetProperty("data").GetProperty("ordersCount").GetProperty("count").GetInt64();
        }
        Run.Total = changed;
        if (changed > Options.IncrementalBulkThreshold)
        {
            var read = new ShopifyBulkRead { Kind = "incremental", Stage = "orders", StartedAt = started, Search = search };
            Checkpoint.Bulk = read;
            await SaveCheckpointAsync(cancellationToken);
            await ReadOrdersAsync(read, cancellationToken);
            Checkpoint.Bulk = null;
            Checkpoint.OrdersUpdatedAt = started;
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
            Checkpoint.OrdersUpdatedAt = _latestOrderSeen ?? Checkpoint.OrdersUpdatedAt;
            await SaveCheckpointAsync(cancellationToken);
        }
    }

    private string Since(DateTimeOffset mark) => ShopifyQueries.UpdatedSince(mark - Options.Overlap);

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
            using (var answer = await WithTokenAsync(s => Client.QueryAsync(s, query, new { first = pageSize, after, q = search }, cancellationToken), cancellationToken))
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

    /// <summary>Writes a page of an incremental read and moves the orders' high-water mark with it.</summary>
    private async Task WritePageAsync(List<ShopifyOrderRecord> records, CancellationToken cancellationToken)
    {
        await InTransactionAsync(async () =>
        {
            var result = await Orders.UpsertAsync(ShopifyOrderRecord.ToIncoming(records), OrderWriteMode.IfUpdatedAtDiffers, cancellationToken);
            Changed |= result.Created + result.Updated > 0;
            Run.Processed += records.Count;
            if (records.Count > 0)
            {
                // Orders waiting to be read again hold the mark back, so a sync stopped before that still finds them.
                var newest = records.Max(r => r.UpdatedAt);
                if (_markCeiling is { } ceiling && newest > ceiling)
                {
                    newest = ceiling;
                }
                if (Checkpoint.OrdersUpdatedAt is null || newest > Checkpoint.OrdersUpdatedAt)
                {
                    Checkpoint.OrdersUpdatedAt = newest;
                }
            }
            await SaveCheckpointAsync(cancellationToken);
            return result;
        }, cancellationToken);
    }
}
