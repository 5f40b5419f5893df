using System.Text.Json;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Audit;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Tenancy;
using AdIntel.Web.Ingestion;
using AdIntel.Web.Integrations.Shopify.Sync;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Integrations.Shopify.App;

/// <summary>One verified webhook delivery (HMAC already checked on the raw body).</summary>
public sealed record ShopifyWebhook(string Topic, string Shop, string DeliveryKey, string? WebhookId, JsonElement Payload);

/// <summary>What became of a delivery: processed, ignored (no store for the shop, or a topic we do not use) or a duplicate.</summary>
public enum ShopifyWebhookOutcome
{
    Processed,
    Ignored,
    Duplicate,
}

/// <summary>
/// Applies verified Shopify webhooks, each exactly once. The delivery's <see cref="WebhookReceipt"/> is inserted first
/// in the same transaction as the change it causes: a redelivery finds it and is answered at once, and a concurrent
/// duplicate collides on the receipt's unique DeliveryKey (it waits for the first to commit, then inserts nothing) and
/// changes nothing. A failure rolls the receipt back with the change, so Shopify's retry processes the event again.
/// Work happens in a scope of its own acting for the shop's store (the request's scope acts for nobody, or for the
/// demo session's store).
/// </summary>
public sealed class ShopifyWebhookProcessor(IServiceScopeFactory scopes, ShopifyFactsRefresher facts, TimeProvider time,
    ILogger<ShopifyWebhookProcessor> logger)
{
    public const string Actor = "Shopify (webhook)";

    public async Task<ShopifyWebhookOutcome> ProcessAsync(ShopifyWebhook webhook, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<AdIntelDbContext>();
        if (await db.WebhookReceipts.AnyAsync(r => r.DeliveryKey == webhook.DeliveryKey, cancellationToken))
        {
            return ShopifyWebhookOutcome.Duplicate;
        }
        // The store is the one connected to this shop (whatever the connection's state: privacy requests arrive after
        // an uninstall); a store that merely carries the domain but never connected gets nothing from Shopify.
        var storeId = await db.IntegrationConnections.IgnoreQueryFilters()
            .Where(c => c.Provider == IntegrationProviders.Shopify && c.ExternalAccountId == webhook.Shop)
            .OrderBy(c => c.Id).Select(c => (long?)c.StoreId).FirstOrDefaultAsync(cancellationToken);
        var receipt = new WebhookReceipt
        {
            DeliveryKey = webhook.DeliveryKey,
            WebhookId = webhook.WebhookId,
            Topic = webhook.Topic,
            ShopDomain = webhook.Shop,
            StoreId = storeId,
            ReceivedAtUtc = time.GetUtcNow().UtcDateTime,
        };
        if (storeId is null)
        {
            // Answered 200 so Shopify stops retrying: there is nothing here it could ever apply to.
            receipt.Status = WebhookReceiptStatuses.Ignored;
            receipt.Error = "No store is connected to this shop.";
            return await ClaimAsync(db, receipt, cancellationToken) ? ShopifyWebhookOutcome.Ignored : ShopifyWebhookOutcome.Duplicate;
        }

        services.GetRequiredService<StoreContext>().Set(storeId.Value);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await ClaimAsync(db, receipt, cancellationToken))
        {
            return ShopifyWebhookOutcome.Duplicate;
        }
        var (note, ordersChanged) = await ApplyAsync(services, db, webhook, storeId.Value, cancellationToken);
        receipt.Status = note is null ? WebhookReceiptStatuses.Processed : WebhookReceiptStatuses.Ignored;
        receipt.Error = note;
        // What the topic changed and left tracked is saved here, in the receipt's transaction.
        await db.SaveChangesAsync(cancellationToken);
        await db.WebhookReceipts.Where(r => r.DeliveryKey == receipt.DeliveryKey)
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.Status, receipt.Status).SetProperty(r => r.Error, receipt.Error), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (webhook.Topic is ShopifyCompliance.RedactTopic or "shop/redact")
        {
            await db.Database.PurgeFromDiskAsync(logger, cancellationToken);
        }
        if (ordersChanged)
        {
            facts.Request(storeId.Value);
        }
        logger.LogInformation("Shopify webhook {Topic} for store {StoreId}: {Status}", webhook.Topic, storeId, receipt.Status);
        return note is null ? ShopifyWebhookOutcome.Processed : ShopifyWebhookOutcome.Ignored;
    }

    /// <summary>
    /// Inserts the receipt; false when the delivery key is already taken. A duplicate racing us waits on the unique
    /// index for the first to commit, then inserts nothing — an expected outcome, so not a failed (and logged) command.
    /// </summary>
    private static async Task<bool> ClaimAsync(AdIntelDbContext db, WebhookReceipt receipt, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO "WebhookReceipts" ("DeliveryKey", "WebhookId", "Topic", "ShopDomain", "StoreId", "ReceivedAtUtc", "Status", "Error")
            VALUES ({receipt.DeliveryKey}, {receipt.WebhookId}, {receipt.Topic}, {receipt.ShopDomain}, {receipt.StoreId}, {receipt.ReceivedAtUtc}, {receipt.Status}, {receipt.Error})
            ON CONFLICT ("DeliveryKey") DO NOTHING
            """, cancellationToken) == 1;

    /// <summary>
    /// Carries the topic out; returns why nothing was changed (null when it was applied) and whether orders or refunds
    /// changed (the daily facts are then rebuilt once the delivery is answered).
    /// </summary>
    private async Task<(string? Note, bool OrdersChanged)> ApplyAsync(IServiceProvider services, AdIntelDbContext db, ShopifyWebhook webhook, long storeId, CancellationToken cancellationToken)
    {
        var payload = webhook.Payload;
        switch (webhook.Topic)
        {
            case "orders/create" or "orders/updated" or "orders/paid" or "orders/cancelled":
                var order = ShopifyRestPayloads.Order(payload);
                var written = await Writer<OrderWriter>(services).UpsertAsync(order.ToIncoming(), OrderWriteMode.IfNewer, cancellationToken);
                return written.Created + written.Updated > 0 ? (null, true) : ("Not newer than the stored order.", false);
            case "refunds/create":
                var (orderId, refund) = ShopifyRestPayloads.RefundOf(payload);
                return await Writer<OrderWriter>(services).UpsertRefundsAsync(ShopifyGid.ExternalId(orderId), [refund.ToIncoming()], cancellationToken)
                    ? (null, true)
                    : ("The refund's order is not stored yet; the next sync brings both.", false);
            case "products/update" or "products/create":
                var product = await KeepStoredCostsAsync(db, ShopifyRestPayloads.Product(payload), cancellationToken);
                await Writer<ShopifyProductWriter>(services).UpsertAsync([product], cancellationToken);
                return (null, false);
            case "app/uninstalled":
                await services.GetRequiredService<ShopifyConnections>().MarkDisconnectedAsync(db, services.GetRequiredService<IAuditLog>(), Actor,
                    "the app was uninstalled in Shopify", cancellationToken);
                return (null, false);
            case ShopifyCompliance.DataRequestTopic:
                await services.GetRequiredService<ShopifyCompliance>().ExportCustomerDataAsync(payload, webhook.Shop, cancellationToken);
                return (null, false);
            case ShopifyCompliance.RedactTopic:
                await services.GetRequiredService<ShopifyCompliance>().RedactCustomerAsync(payload, cancellationToken);
                return (null, false);
            case "shop/redact":
                await services.GetRequiredService<ShopifyCompliance>().DeleteStoreAsync(storeId, cancellationToken);
                logger.LogWarning("Shopify shop/redact: store {StoreId} and all its data were deleted", storeId);
                return (null, false);
            default:
                return ("AdIntel does not use this topic.", false);
        }
    }

    /// <summary>
    /// A REST product payload carries no unit cost: a variant without one in the payload keeps the cost stored (from
    /// the sync's inventoryItem.unitCost) instead of losing it.
    /// </summary>
    private static async Task<ShopifyProductRecord> KeepStoredCostsAsync(AdIntelDbContext db, ShopifyProductRecord product, CancellationToken cancellationToken)
    {
        var keys = product.Variants.Where(v => v.UnitCost is null).Select(v => ShopifyGid.ExternalId(v.Id)).ToList();
        if (keys.Count == 0)
        {
            return product;
        }
        var stored = await db.ProductVariants.Where(v => keys.Contains(v.ExternalId) && v.UnitCost != null)
            .ToDictionaryAsync(v => v.ExternalId, v => v.UnitCost, cancellationToken);
        return product with
        {
            Variants = product.Variants
                .Select(v => v.UnitCost is null && stored.TryGetValue(ShopifyGid.ExternalId(v.Id), out var cost) ? v with { UnitCost = cost } : v)
                .ToList(),
        };
    }

    private static T Writer<T>(IServiceProvider services) where T : notnull => ActivatorUtilities.GetServiceOrCreateInstance<T>(services);
}
