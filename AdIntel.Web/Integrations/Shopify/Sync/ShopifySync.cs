using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Ingestion;
using AdIntel.Web.Infrastructure.Options;
using AdIntel.Web.Integrations.Sync;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Integrations.Shopify.Sync;

/// <summary>
/// Syncs a store's Shopify data over the GraphQL Admin API into its products, customers and orders: a backfill
/// (<see cref="ShopifyBackfill"/>: bulk operations) until one has completed or when asked, then incremental syncs
/// (<see cref="ShopifyIncrementalSync"/>: pages of what changed). Writes are upserts by Shopify id, committed in batches
/// together with the checkpoint (<see cref="ShopifyCheckpoint"/>) and the progress shown in Settings, so a sync stopped
/// at any point (cancelled, crashed) resumes where it was and ends with exactly the same data. Run and recorded by
/// <see cref="IntegrationSyncRunner"/>.
/// </summary>
public sealed class ShopifySync(AdIntelDbContext db, ShopifyAdminClient client, ShopifyBulkOperations bulk, ShopifyAccessTokens tokens,
    OrderWriter orders, ShopifyProductWriter products, IOptions<ShopifySyncOptions> options, IOptions<ShopifyOptions> shopifyOptions,
    IOptions<AuthOptions> auth, TimeProvider time, ILogger<ShopifySync> logger) : IIntegrationSync
{
    public string Name => IntegrationProviders.Shopify;

    public string Provider => IntegrationProviders.Shopify;

    /// <summary>A backfill when asked, when none has completed, or to finish one that was stopped; else incremental.</summary>
    public string ChooseKind(IntegrationConnection connection, SyncMode mode)
    {
        var checkpoint = ShopifyCheckpoint.Parse(connection.CheckpointJson);
        return mode == SyncMode.Backfill || checkpoint.OrdersUpdatedAt is null || checkpoint.Bulk?.Kind == SyncKinds.Backfill
            ? SyncKinds.Backfill
            : SyncKinds.Incremental;
    }

    public async Task RunAsync(SyncRunContext context, CancellationToken cancellationToken)
    {
        var checkpoint = ShopifyCheckpoint.Parse(context.Connection.CheckpointJson);
        if (checkpoint.Bulk is not null)
        {
            await context.SetPhaseAsync("Resuming", cancellationToken);
        }
        var session = await tokens.GetAsync(cancellationToken);
        var services = new ShopifySyncServices(db, client, bulk, tokens, orders, products, options.Value, time, logger);
        ShopifySyncPass pass = context.IsBackfill
            ? new ShopifyBackfill(services, context, checkpoint, session, shopifyOptions.Value, auth.Value)
            : new ShopifyIncrementalSync(services, context, checkpoint, session);
        await pass.RunAsync(cancellationToken);
    }

    public SyncFailure DescribeFailure(Exception exception) => new(exception.Message, NeedsReconnect: exception is ShopifyReconnectRequiredException);
}
