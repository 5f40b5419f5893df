using System.Text.Json;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Tenancy;
using AdIntel.Web.Ingestion;
using AdIntel.Web.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Integrations.Meta.Sync;

public enum MetaSyncKind
{
    /// <summary>First sync: <see cref="MetaOptions.BackfillDays"/> of insights through async report runs, 30 days at a time.</summary>
    Backfill,

    /// <summary>Every later sync: the days since the last one, and the last <see cref="MetaOptions.RestatementDays"/> again.</summary>
    Incremental,
}

/// <summary>
/// Copies a store's Meta ad account into AdIntel: campaigns, ad sets and ads (upserted by Meta id), then daily insights
/// per ad (purchases from the one configured action type). Each range of days is replaced whole in one transaction, so
/// a sync stopped part-way and run again ends with exactly Meta's numbers; the checkpoint (last day stored) lets a
/// backfill resume where it stopped. Progress is written to a <see cref="SyncRun"/> for Settings → Integrations.
/// </summary>
public sealed class MetaSync(IServiceScopeFactory scopes, TimeProvider time, ILogger<MetaSync> logger)
{
    private const int ChunkDays = 30;

    /// <summary>Runs one sync of the store's Meta connection; returns its run id, or null when there is nothing to sync.</summary>
    /// <param name="kind">null: a backfill until one has completed, then incremental.</param>
    public async Task<long?> RunAsync(long storeId, MetaSyncKind? kind, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateStoreScope(storeId);
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<AdIntelDbContext>();
        var connections = services.GetRequiredService<MetaConnections>();
        var connection = await connections.GetAsync(cancellationToken);
        if (connection is null || connections.Credentials(connection) is not { } credentials)
        {
            return null;
        }
        var now = time.GetUtcNow().UtcDateTime;
        // One sync per connection at a time; a run that has not reported for an hour is presumed dead.
        var running = await db.SyncRuns.Where(r => r.ConnectionId == connection.Id && r.Status == SyncRunStatuses.Running)
            .OrderByDescending(r => r.Id).FirstOrDefaultAsync(cancellationToken);
        if (running is not null && running.StartedAtUtc > now.AddHours(-1))
        {
            return running.Id;
        }
        if (running is not null)
        {
            running.Status = SyncRunStatuses.Failed;
            running.Error = "Stopped without finishing (the app restarted or the job was killed); the next sync resumes from its checkpoint.";
            running.FinishedAtUtc = now;
        }
        var checkpoint = MetaCheckpoint.Read(connection.CheckpointJson);
        var effectiveKind = kind ?? (checkpoint.BackfillCompleted ? MetaSyncKind.Incremental : MetaSyncKind.Backfill);
        var run = new SyncRun
        {
            ConnectionId = connection.Id,
            Provider = IntegrationProviders.Meta,
            Kind = effectiveKind == MetaSyncKind.Backfill ? "backfill" : "incremental",
            Phase = "Campaigns, ad sets and ads",
            StartedAtUtc = now,
        };
        db.SyncRuns.Add(run);
        connection.LastSyncStartedAtUtc = now;
        await db.SaveChangesAsync(cancellationToken);

        var options = services.GetRequiredService<IOptions<MetaOptions>>().Value;
        var client = services.GetRequiredService<MetaGraphClient>();
        try
        {
            var writer = services.GetRequiredService<MetaAdsWriter>();
            var account = await SyncStructureAsync(writer, client, credentials, cancellationToken);
            var today = await services.GetRequiredService<StoreClock>().GetTodayAsync(cancellationToken);
            var from = effectiveKind == MetaSyncKind.Backfill
                ? checkpoint.BackfillResumeFrom ?? today.AddDays(1 - options.BackfillDays)
                : Min(checkpoint.InsightsThrough?.AddDays(1) ?? today, today.AddDays(1 - options.RestatementDays));
            run.Total = today.DayNumber - from.DayNumber + 1;
            for (var start = from; start <= today; start = start.AddDays(ChunkDays))
            {
                var end = Min(start.AddDays(ChunkDays - 1), today);
                run.Phase = $"Insights {start:yyyy-MM-dd} to {end:yyyy-MM-dd}";
                await db.SaveChangesAsync(cancellationToken);
                var insights = effectiveKind == MetaSyncKind.Backfill
                    ? await client.GetDailyInsightsByReportRunAsync(credentials.AccessToken, credentials.AccountId, start, end, cancellationToken)
                    : await client.GetDailyInsightsAsync(credentials.AccessToken, credentials.AccountId, start, end, cancellationToken);
                await ReplaceInsightsAsync(writer, account, start, end, insights, cancellationToken);
                checkpoint = checkpoint with
                {
                    InsightsThrough = Max(checkpoint.InsightsThrough, end),
                    BackfillResumeFrom = effectiveKind == MetaSyncKind.Backfill ? end.AddDays(1) : checkpoint.BackfillResumeFrom,
                };
                connection.CheckpointJson = checkpoint.Write();
                run.Processed = end.DayNumber - from.DayNumber + 1;
                await db.SaveChangesAsync(cancellationToken);
            }
            run.Phase = "Updating the store's daily numbers";
            await db.SaveChangesAsync(cancellationToken);
            await services.GetRequiredService<DailyFactsBuilder>().RebuildAsync(cancellationToken);

            if (effectiveKind == MetaSyncKind.Backfill)
            {
                connection.CheckpointJson = (checkpoint with { BackfillCompleted = true, BackfillResumeFrom = null }).Write();
            }
            var finished = time.GetUtcNow().UtcDateTime;
            run.Status = SyncRunStatuses.Succeeded;
            run.Phase = "Done";
            run.FinishedAtUtc = finished;
            connection.Status = IntegrationStatuses.Connected;
            connection.LastSyncSucceededAtUtc = finished;
            connection.LastError = null;
            connection.UpdatedAtUtc = finished;
            await db.SaveChangesAsync(cancellationToken);
            logger.LogInformation("Meta {Kind} sync of store {StoreId}: {Days} days of insights", run.Kind, storeId, run.Processed);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Meta sync of store {StoreId} failed", storeId);
            await RecordFailureAsync(db, run, connection, ex);
            throw;
        }
        catch (OperationCanceledException)
        {
            await RecordFailureAsync(db, run, connection, null);
            throw;
        }
        return run.Id;
    }

    private async Task RecordFailureAsync(AdIntelDbContext db, SyncRun run, IntegrationConnection connection, Exception? ex)
    {
        foreach (var entry in db.ChangeTracker.Entries().Where(e => e.Entity is not (SyncRun or IntegrationConnection)).ToList())
        {
            entry.State = EntityState.Detached;
        }
        var now = time.GetUtcNow().UtcDateTime;
        run.Status = ex is null ? SyncRunStatuses.Cancelled : SyncRunStatuses.Failed;
        run.FinishedAtUtc = now;
        run.Error = ex is null ? "Stopped; the next sync resumes from its checkpoint." : Describe(ex);
        if (ex is not null)
        {
            connection.LastError = run.Error;
            connection.LastErrorAtUtc = now;
            // An expired or revoked token (code 190) needs the merchant: everything else is retried by the next sync.
            connection.Status = ex is MetaApiException { Error.Code: 190 } ? IntegrationStatuses.Error : connection.Status;
        }
        await db.SaveChangesAsync(CancellationToken.None);
    }

    private static string Describe(Exception ex) => ex switch
    {
        MetaApiException { Error.Code: 190 } => "Meta no longer accepts the access token (expired or revoked): connect Meta again.",
        MetaApiException meta => meta.Message,
        _ => "The sync failed: " + ex.Message,
    } is var text && text.Length > 1900 ? text[..1900] + "…" : text;

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
