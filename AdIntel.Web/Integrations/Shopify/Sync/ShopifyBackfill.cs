using System.Text.Json;
using AdIntel.Web.Infrastructure.Options;
using AdIntel.Web.Integrations.Sync;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Integrations.Shopify.Sync;

/// <summary>
/// Everything, by bulk operations: products with their variants' costs, customers, then orders with lines and refunds.
/// The three operations are started together (Shopify prepares them at the same time); each stage is streamed and written
/// in batches with the checkpoint (stage, operation, rows done), so a backfill stopped anywhere resumes in the same
/// operation's result. Ends by moving the incremental sync's high-water marks to when it started.
/// </summary>
internal sealed class ShopifyBackfill(ShopifySyncServices services, SyncRunContext context, ShopifyCheckpoint checkpoint, ShopifyAdminSession session,
    ShopifyOptions shopify, AuthOptions auth) : ShopifySyncPass(services, context, checkpoint, session)
{
    private const int ProductBatch = 500;
    private const int CustomerBatch = 2000;

    protected override async Task SyncAsync(CancellationToken cancellationToken)
    {
        if (Checkpoint.Bulk is null && auth.Mode == "Shopify")
        {
            await AdoptShopDetailsAsync(cancellationToken);
        }
        var read = Checkpoint.Bulk is { Kind: "backfill" } resumed
            ? resumed
            : new ShopifyBulkRead { Kind = "backfill", Stage = "products", StartedAt = Time.GetUtcNow() };
        Checkpoint.Bulk = read;
        if (read.Stage == "products" && read.OperationId is null && string.CompareOrdinal(shopify.ApiVersion, "2026-01") >= 0)
        {
            // Shopify prepares the three results at the same time (five bulk queries may run at once from 2026-01 on),
            // so the orders file is ready, or nearly, when products and customers are written.
            read.OperationId = await WithTokenAsync(s => Bulk.StartAsync(s, ShopifyQueries.BulkProducts(null), cancellationToken), cancellationToken);
            read.NextOperations["customers"] = await WithTokenAsync(s => Bulk.StartAsync(s, ShopifyQueries.BulkCustomers(null), cancellationToken), cancellationToken);
            read.NextOperations["orders"] = await WithTokenAsync(s => Bulk.StartAsync(s, ShopifyQueries.BulkOrders(null), cancellationToken), cancellationToken);
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
        Checkpoint.Bulk = null;
        Checkpoint.OrdersUpdatedAt = read.StartedAt;
        Checkpoint.ProductsUpdatedAt = read.StartedAt;
        Checkpoint.CustomersUpdatedAt = read.StartedAt;
        Checkpoint.LastBackfillCompletedAt = Time.GetUtcNow();
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

    private async Task ReadProductsAsync(ShopifyBulkRead read, string query, CancellationToken cancellationToken)
    {
        var status = await OperationAsync(read, query, cancellationToken);
        var pending = new Dictionary<string, ShopifyProductRecord>(StringComparer.Ordinal);
        var flushedRows = read.RowsDone;
        await foreach (var (row, document) in Bulk.ReadAsync(status.Url, read.RowsDone, cancellationToken))
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
            await RefetchProductsAsync(read.Refetch.Distinct(), cancellationToken);
            read.Refetch.Clear();
        }
    }

    private async Task WriteProductsAsync(ShopifyBulkRead read, List<ShopifyProductRecord> batch, long rowsDone, CancellationToken cancellationToken)
    {
        await InTransactionAsync(async () =>
        {
            var result = await Products.UpsertAsync(batch, cancellationToken);
            Changed |= result.Created + result.Updated > 0;
            read.RowsDone = rowsDone;
            await SaveCheckpointAsync(cancellationToken);
            return result;
        }, cancellationToken);
    }

    private async Task ReadCustomersAsync(ShopifyBulkRead read, CancellationToken cancellationToken)
    {
        var status = await OperationAsync(read, ShopifyQueries.BulkCustomers(null), cancellationToken);
        var batch = new List<(ShopifyCustomerRecord, DateTimeOffset)>(CustomerBatch);
        await foreach (var (row, document) in Bulk.ReadAsync(status.Url, read.RowsDone, cancellationToken))
        {
            using (document)
            {
                var customer = ShopifyGraphQlReader.ReadCustomer(document.RootElement);
                batch.Add((customer, customer.CreatedAt ?? Time.GetUtcNow()));
            }
            if (batch.Count >= CustomerBatch)
            {
                await WriteCustomersAsync(read, batch, row + 1, cancellationToken);
                batch.Clear();
            }
        }
        await WriteCustomersAsync(read, batch, status.ObjectCount, cancellationToken);
    }

    /// <summary>
    /// A store created by a Shopify install (Auth:Mode=Shopify) starts with defaults, because the OAuth answer says
    /// nothing about the shop; before its first orders are written it takes the shop's name, currency and time zone,
    /// so every order lands on the shop's own local day. (In Local mode the owner chose them at setup.)
    /// </summary>
    private async Task AdoptShopDetailsAsync(CancellationToken cancellationToken)
    {
        using var answer = await WithTokenAsync(s => Client.QueryAsync(s, "query ShopDetails { shop { name currencyCode ianaTimezone } }", null, cancellationToken),
            cancellationToken);
        if (!answer.RootElement.TryGetProperty("data", out var data) || !data.TryGetProperty("shop", out var shop) || shop.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        var store = await Db.Stores.AsTracking().SingleAsync(s => s.Id == Connection.StoreId, cancellationToken);
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
        await Db.SaveChangesAsync(cancellationToken);
    }
}
