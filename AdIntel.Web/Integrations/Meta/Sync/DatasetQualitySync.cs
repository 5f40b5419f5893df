using System.Text.Json;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Integrations.Meta;
using AdIntel.Web.Tracking;
using AdIntel.Web.Integrations.Sync;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Integrations.Meta.Sync;

/// <summary>
/// Reads the connected ad account's dataset (Meta pixel) into AdIntel after each Meta sync slot: its status
/// (<c>last_fired_time</c>, <c>is_unavailable</c>), Purchase counts by source (browser pixel, Conversions API) for the
/// last <see cref="StatsDays"/> UTC days, and the Dataset Quality API's Event Match Quality and event_id shares; then
/// evaluates the store's tracking health (<see cref="TrackingMonitor.EvaluateAsync"/>: alerts raised and resolved).
/// The dataset kept is the one read before while Meta still lists it, otherwise the one that fired last.
/// Run and recorded by <see cref="IntegrationSyncRunner"/> like every sync; Graph calls go through <see cref="MetaGraphClient"/>.
/// </summary>
public sealed class DatasetQualitySync(AdIntelDbContext db, MetaConnections connections, MetaGraphClient client, TrackingMonitor monitor,
    TimeProvider time, ILogger<DatasetQualitySync> logger) : IIntegrationSync
{
    public const string SyncName = "meta_dataset";
    public const int StatsDays = 45;

    public string Name => SyncName;

    public string Provider => IntegrationProviders.Meta;

    public string ChooseKind(IntegrationConnection connection, SyncMode mode) => SyncKinds.Incremental;

    public async Task RunAsync(SyncRunContext context, CancellationToken cancellationToken)
    {
        var credentials = connections.Credentials(context.Connection)
            ?? throw new DatasetSyncException("The Meta connection's token or ad account cannot be read: connect Meta again and choose the ad account.", reconnect: true);
        await context.SetPhaseAsync("Datasets (pixels)", cancellationToken);
        var datasets = await client.GetDatasetsAsync(credentials.AccessToken, credentials.AccountId, cancellationToken);
        var stored = await db.TrackingDatasets.SingleOrDefaultAsync(cancellationToken);
        var chosen = datasets.FirstOrDefault(d => d.Id == stored?.DatasetId)
            ?? datasets.OrderByDescending(d => d.LastFiredTime ?? DateTimeOffset.MinValue).ThenBy(d => d.Id, StringComparer.Ordinal).FirstOrDefault();
        var now = time.GetUtcNow();
        if (chosen is null)
        {
            // No pixel on the account: nothing is known about its events any more.
            if (stored is not null)
            {
                db.TrackingDatasets.Remove(stored);
            }
            await db.TrackingEventDays.Where(d => d.StoreId == context.Connection.StoreId).ExecuteDeleteAsync(cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            logger.LogInformation("Meta ad account of store {StoreId} has no dataset", context.Connection.StoreId);
            await monitor.EvaluateAsync(cancellationToken);
            return;
        }

        await context.SetPhaseAsync($"Purchase events of dataset {chosen.Id}", cancellationToken);
        var until = DateOnly.FromDateTime(now.UtcDateTime);
        var since = until.AddDays(1 - StatsDays);
        var days = await client.GetEventSourceStatsAsync(credentials.AccessToken, chosen.Id, MetaGraphClient.PurchaseEvent, since, until, cancellationToken);
        await context.SetPhaseAsync($"Event Match Quality of dataset {chosen.Id}", cancellationToken);
        MetaDatasetQuality? quality;
        try
        {
            quality = await client.GetDatasetQualityAsync(credentials.AccessToken, chosen.Id, cancellationToken);
        }
        catch (MetaApiException ex) when (ex.Error.Kind == MetaErrorKind.Permission)
        {
            // The Dataset Quality API needs ads_management or business_management: without it the rest still helps.
            logger.LogWarning("Meta refused the Dataset Quality API for dataset {DatasetId}: {Message}", chosen.Id, ex.Error.Message);
            quality = null;
        }

        if (stored is null || stored.DatasetId != chosen.Id)
        {
            if (stored is not null)
            {
                db.TrackingDatasets.Remove(stored);
                await db.TrackingEventDays.Where(d => d.StoreId == context.Connection.StoreId).ExecuteDeleteAsync(cancellationToken);
            }
            stored = new TrackingDataset { DatasetId = chosen.Id, Name = chosen.Name };
            db.TrackingDatasets.Add(stored);
        }
        stored.Name = chosen.Name.Length <= 300 ? chosen.Name : chosen.Name[..300];
        stored.LastFiredAtUtc = chosen.LastFiredTime?.UtcDateTime;
        stored.IsUnavailable = chosen.IsUnavailable;
        stored.MatchQuality = quality?.MatchQuality;
        stored.MatchKeysJson = JsonSerializer.Serialize(quality?.MatchKeyCoverage ?? new Dictionary<string, decimal>());
        stored.EventCoveragePercent = quality?.EventCoveragePercent;
        stored.BrowserEventIdPercent = quality?.BrowserEventIdPercent;
        stored.ServerEventIdPercent = quality?.ServerEventIdPercent;
        stored.SyncedAtUtc = now.UtcDateTime;

        // The window's days become exactly Meta's: days it no longer reports are removed.
        var existing = await db.TrackingEventDays.Where(d => d.EventName == MetaGraphClient.PurchaseEvent && d.Date >= since).ToListAsync(cancellationToken);
        var byDate = existing.ToDictionary(d => d.Date);
        foreach (var day in days.Where(d => d.Date >= since))
        {
            if (!byDate.Remove(day.Date, out var row))
            {
                row = new TrackingEventDay { EventName = MetaGraphClient.PurchaseEvent, Date = day.Date };
                db.TrackingEventDays.Add(row);
            }
            row.BrowserCount = day.Browser;
            row.ServerCount = day.Server;
        }
        db.TrackingEventDays.RemoveRange(byDate.Values);
        context.Run.Processed = days.Count;
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Dataset {DatasetId} of store {StoreId}: {Days} days of Purchase events, EMQ {Emq}", chosen.Id, context.Connection.StoreId,
            days.Count, quality?.MatchQuality);
        await monitor.EvaluateAsync(cancellationToken);
    }

    public SyncFailure DescribeFailure(Exception exception) => exception switch
    {
        MetaApiException { Error.Code: 190 } => new("Meta no longer accepts the access token (expired or revoked): connect Meta again.", NeedsReconnect: true),
        MetaApiException meta => new("Reading the Meta pixel failed: " + meta.Error.Message, NeedsReconnect: false),
        DatasetSyncException known => new(known.Message, known.Reconnect),
        _ => new("Reading the Meta pixel failed: " + exception.Message, NeedsReconnect: false),
    };

    private sealed class DatasetSyncException(string message, bool reconnect) : Exception(message)
    {
        public bool Reconnect => reconnect;
    }
}
