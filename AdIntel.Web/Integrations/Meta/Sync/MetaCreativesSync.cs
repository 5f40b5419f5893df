using AdIntel.Web.Domain;
using AdIntel.Web.Ingestion;
using AdIntel.Web.Integrations.Sync;

namespace AdIntel.Web.Integrations.Meta.Sync;

/// <summary>
/// Reads every ad's creative of the connected ad account after the ads themselves are synced (copy, call to action,
/// format, preview and link; see <see cref="MetaAdCreative"/>) and hands them to <see cref="AdCreativeWriter"/>.
/// Run and recorded by <see cref="IntegrationSyncRunner"/> like every sync; Graph calls go through <see cref="MetaGraphClient"/>.
/// </summary>
public sealed class MetaCreativesSync(MetaConnections connections, MetaGraphClient client, AdCreativeWriter writer, ILogger<MetaCreativesSync> logger)
    : IIntegrationSync
{
    public const string SyncName = "meta_creatives";

    public string Name => SyncName;

    public string Provider => IntegrationProviders.Meta;

    public string ChooseKind(IntegrationConnection connection, SyncMode mode) => SyncKinds.Incremental;

    public async Task RunAsync(SyncRunContext context, CancellationToken cancellationToken)
    {
        var credentials = connections.Credentials(context.Connection)
            ?? throw new ReconnectRequiredException("The Meta connection's token or ad account cannot be read: connect Meta again and choose the ad account.");
        await context.SetPhaseAsync("Ad creatives", cancellationToken);
        var creatives = await client.GetAdCreativesAsync(credentials.AccessToken, credentials.AccountId, cancellationToken);
        var written = await writer.UpsertAsync([.. creatives.Select(c => new IncomingAdCreative(c.AdId, c.CreativeId, c.Format, c.PrimaryText, c.Headline,
            c.Description, c.CallToAction, c.ThumbnailUrl, c.Link))], cancellationToken);
        context.Run.Processed = creatives.Count;
        logger.LogInformation("Meta creatives of store {StoreId}: {Created} new, {Updated} changed, {Unchanged} unchanged, {Unknown} of ads not synced yet",
            context.Connection.StoreId, written.Created, written.Updated, written.Unchanged, written.UnknownAds);
    }

    public SyncFailure DescribeFailure(Exception exception) => exception switch
    {
        MetaApiException { Error.Code: 190 } => new("Meta no longer accepts the access token (expired or revoked): connect Meta again.", NeedsReconnect: true),
        MetaApiException meta => new("Reading the ad creatives failed: " + meta.Error.Message, NeedsReconnect: false),
        ReconnectRequiredException reconnect => new(reconnect.Message, NeedsReconnect: true),
        _ => new("Reading the ad creatives failed: " + exception.Message, NeedsReconnect: false),
    };

    private sealed class ReconnectRequiredException(string message) : Exception(message);
}
