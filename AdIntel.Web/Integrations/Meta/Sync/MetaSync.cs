using System.Text.Json;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Ingestion;
using AdIntel.Web.Integrations.Sync;
using AdIntel.Web.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Integrations.Meta.Sync;

/// <summary>
/// Copies a store's Meta ad account into AdIntel: campaigns, ad sets and ads (upserted by Meta id), then daily insights
/// per ad (purchases from the one configured action type). Each range of days is replaced whole in one transaction, so
/// a sync stopped part-way and run again ends with exactly Meta's numbers; the checkpoint (last day stored) lets a
/// backfill resume where it stopped. The first sync (backfill) reads <see cref="MetaOptions.BackfillDays"/> through async
/// report runs, 30 days at a time; every later one the days since the last and the last
/// <see cref="MetaOptions.RestatementDays"/> again. Run and recorded by <see cref="IntegrationSyncRunner"/>.
/// </summary>
public sealed class MetaSync(AdIntelDbContext db, MetaConnections connections, MetaGraphClient client, MetaAdsWriter writer, StoreClock clock,
    IOptions<MetaOptions> options, ILogger<MetaSync> logger) : IIntegrationSync
{
    private const int ChunkDays = 30;

    public string Name => IntegrationProviders.Meta;

    public string Provider => IntegrationProviders.Meta;

    public string ChooseKind(IntegrationConnection connection, SyncMode mode) =>
        mode == SyncMode.Backfill || !MetaCheckpoint.Read(connection.CheckpointJson).BackfillCompleted ? SyncKinds.Backfill : SyncKinds.Incremental;

    public async Task RunAsync(SyncRunContext context, CancellationToken cancellationToken)
    {
        var (connection, run) = (context.Connection, context.Run);
        var credentials = connections.Credentials(connection)
            ?? throw new ReconnectRequiredException("The Meta connection's token or ad account cannot be read: connect Meta again and choose the ad account.");
        var checkpoint = MetaCheckpoint.Read(connection.CheckpointJson);
        await context.SetPhaseAsync("Campaigns, ad sets and ads", cancellationToken);
        var account = await SyncStructureAsync(writer, client, credentials, cancellationToken);
        context.MarkDataChanged();
        var today = await clock.GetTodayAsync(cancellationToken);
        var from = context.IsBackfill
            ? checkpoint.BackfillResumeFrom ?? today.AddDays(1 - options.Value.BackfillDays)
            : Min(checkpoint.InsightsThrough?.AddDays(1) ?? today, today.AddDays(1 - options.Value.RestatementDays));
        run.Total = today.DayNumber - from.DayNumber + 1;
        for (var start = from; start <= today; start = start.AddDays(ChunkDays))
        {
            var end = Min(start.AddDays(ChunkDays - 1), today);
            await context.SetPhaseAsync($"Insights {start:yyyy-MM-dd} to {end:yyyy-MM-dd}", cancellationToken);
            var insights = context.IsBackfill
                ? await client.GetDailyInsightsByReportRunAsync(credentials.AccessToken, credentials.AccountId, start, end, cancellationToken)
                : await client.GetDailyInsightsAsync(credentials.AccessToken, credentials.AccountId, start, end, cancellationToken);
            await ReplaceInsightsAsync(writer, account, start, end, insights, cancellationToken);
            checkpoint = checkpoint with
            {
                InsightsThrough = Max(checkpoint.InsightsThrough, end),
                BackfillResumeFrom = context.IsBackfill ? end.AddDays(1) : checkpoint.BackfillResumeFrom,
            };
            connection.CheckpointJson = checkpoint.Write();
            run.Processed = end.DayNumber - from.DayNumber + 1;
            await db.SaveChangesAsync(cancellationToken);
        }
        if (context.IsBackfill)
        {
            connection.CheckpointJson = (checkpoint with { BackfillCompleted = true, BackfillResumeFrom = null }).Write();
            await db.SaveChangesAsync(cancellationToken);
        }
        logger.LogInformation("Meta {Kind} sync of store {StoreId}: {Days} days of insights", run.Kind, connection.StoreId, run.Processed);
    }

    public SyncFailure DescribeFailure(Exception exception) => exception switch
    {
        // An expired or revoked token (code 190) needs the merchant: everything else is retried by the next sync.
        MetaApiException { Error.Code: 190 } => new("Meta no longer accepts the access token (expired or revoked): connect Meta again.", NeedsReconnect: true),
        MetaApiException meta => new(meta.Message, NeedsReconnect: false),
        ReconnectRequiredException reconnect => new(reconnect.Message, NeedsReconnect: true),
        _ => new("The sync failed: " + exception.Message, NeedsReconnect: false),
    };

    /// <summary>Writes the account, campaigns, ad sets and ads as Meta lists them; returns the account's external id.</summary>
    private static async Task<string> SyncStructureAsync(MetaAdsWriter writer, MetaGraphClient client, MetaCredentials credentials,
        CancellationToken cancellationToken)
    {
        var accountExternalId = MetaConnections.AccountPrefix + credentials.AccountId;
        var accounts = await client.GetAdAccountsAsync(credentials.AccessToken, cancellationToken);
        var metaAccount = accounts.FirstOrDefault(a => a.AccountId == credentials.AccountId)
            ?? throw new InvalidOperationException($"The Meta user no longer has access to ad account {accountExternalId}: connect Meta again and choose an account.");
        var campaigns = await client.GetObjectsAsync(credentials.AccessToken, credentials.AccountId, "campaigns", cancellationToken);
        var adSets = await client.GetObjectsAsync(credentials.AccessToken, credentials.AccountId, "adsets", cancellationToken);
        var ads = await client.GetObjectsAsync(credentials.AccessToken, credentials.AccountId, "ads", cancellationToken);
        AdDelivery Delivery(MetaAdObject item) => new(Status(item.Status),
            item.DailyBudgetMinor is { } minor ? MetaMoney.FromMinor(minor, metaAccount.Currency) : null,
            item.CreatedTime is { } created ? DateOnly.FromDateTime(created.UtcDateTime) : null);
        await writer.UpsertStructureAsync(new IncomingAdStructure(
            [new IncomingAdAccount(accountExternalId, metaAccount.Name, metaAccount.Currency)],
            campaigns.Select(c => new IncomingCampaign(c.Id, accountExternalId, c.Name, Delivery(c))).ToList(),
            adSets.Where(s => s.CampaignId is not null).Select(s => new IncomingAdSet(s.Id, s.CampaignId!, s.Name, Delivery(s))).ToList(),
            ads.Where(a => a.AdSetId is not null).Select(a => new IncomingAd(a.Id, a.AdSetId!, a.Name, Delivery(a))).ToList()), cancellationToken);
        return accountExternalId;
    }

    /// <summary>Makes the account's insights of <paramref name="from"/>..<paramref name="to"/> exactly Meta's, in one transaction.</summary>
    private async Task ReplaceInsightsAsync(MetaAdsWriter writer, string accountExternalId, DateOnly from, DateOnly to,
        IReadOnlyList<MetaDailyInsight> insights, CancellationToken cancellationToken)
    {
        var days = insights.Select(i => new IncomingAdInsightDay
        {
            AdExternalId = i.AdId,
            Date = i.Date,
            Spend = i.Spend,
            Impressions = i.Impressions,
            Reach = i.Reach,
            LinkClicks = i.LinkClicks,
            Purchases = i.Purchases,
            PurchaseValue = i.PurchaseValue,
        }).ToList();
        var written = await writer.UpsertInsightsAsync(days, new InsightRange(accountExternalId, from, to), cancellationToken);
        if (written.UnknownAds > 0)
        {
            logger.LogWarning("{Count} insight rows named ads Meta did not list; they are picked up by the next sync", written.UnknownAds);
        }
    }

    private static string Status(string metaStatus) => metaStatus switch
    {
        "ACTIVE" => EntityStatus.Active,
        "PAUSED" => EntityStatus.Paused,
        _ => EntityStatus.Archived,
    };

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;

    private static DateOnly Max(DateOnly? a, DateOnly b) => a is { } x && x > b ? x : b;

    /// <summary>The connection cannot be used as stored; only connecting again helps.</summary>
    private sealed class ReconnectRequiredException(string message) : Exception(message);
}

/// <summary>Where a store's Meta sync stands, kept as <see cref="IntegrationConnection.CheckpointJson"/>.</summary>
public sealed record MetaCheckpoint(DateOnly? InsightsThrough = null, DateOnly? BackfillResumeFrom = null, bool BackfillCompleted = false)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static MetaCheckpoint Read(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<MetaCheckpoint>(json, Json) ?? new MetaCheckpoint();
        }
        catch (JsonException)
        {
            return new MetaCheckpoint();
        }
    }

    public string Write() => JsonSerializer.Serialize(this, Json);
}
