using System.Text.Json;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
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
public sealed class MetaSync(AdIntelDbContext db, MetaConnections connections, MetaGraphClient client, StoreClock clock, IOptions<MetaOptions> options,
    TimeProvider time, ILogger<MetaSync> logger) : IIntegrationSync
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
        var ads = await SyncStructureAsync(db, client, credentials, cancellationToken);
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
            await ReplaceInsightsAsync(db, ads, start, end, insights, cancellationToken);
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

    /// <summary>Upserts the account, campaigns, ad sets and ads; returns Meta ad id → AdIntel ad id.</summary>
    private async Task<Dictionary<string, long>> SyncStructureAsync(AdIntelDbContext db, MetaGraphClient client, MetaCredentials credentials,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var accountExternalId = MetaConnections.AccountPrefix + credentials.AccountId;
        var accounts = await client.GetAdAccountsAsync(credentials.AccessToken, cancellationToken);
        var metaAccount = accounts.FirstOrDefault(a => a.AccountId == credentials.AccountId)
            ?? throw new InvalidOperationException($"The Meta user no longer has access to ad account {accountExternalId}: connect Meta again and choose an account.");
        var account = await db.AdAccounts.SingleOrDefaultAsync(a => a.Platform == "meta" && a.ExternalId == accountExternalId, cancellationToken);
        if (account is null)
        {
            account = new AdAccount { ExternalId = accountExternalId, Name = metaAccount.Name };
            db.AdAccounts.Add(account);
        }
        account.Name = metaAccount.Name;
        account.Currency = metaAccount.Currency;
        await db.SaveChangesAsync(cancellationToken);

        var metaCampaigns = await client.GetObjectsAsync(credentials.AccessToken, credentials.AccountId, "campaigns", cancellationToken);
        var campaigns = await db.Campaigns.Where(c => c.AdAccountId == account.Id).ToDictionaryAsync(c => c.ExternalId, cancellationToken);
        foreach (var item in metaCampaigns)
        {
            if (!campaigns.TryGetValue(item.Id, out var campaign))
            {
                campaign = new Campaign { AdAccountId = account.Id, ExternalId = item.Id, Name = item.Name };
                db.Campaigns.Add(campaign);
                campaigns[item.Id] = campaign;
            }
            campaign.Name = item.Name;
            campaign.Status = Status(item.Status);
            campaign.DailyBudget = item.DailyBudgetMinor is { } minor ? MetaMoney.FromMinor(minor, account.Currency) : null;
            campaign.StartDate = item.CreatedTime is { } created ? DateOnly.FromDateTime(created.UtcDateTime) : campaign.StartDate;
            campaign.UpdatedAtUtc = now;
        }
        await db.SaveChangesAsync(cancellationToken);

        var campaignIds = campaigns.Values.Select(c => c.Id).ToList();
        var metaAdSets = await client.GetObjectsAsync(credentials.AccessToken, credentials.AccountId, "adsets", cancellationToken);
        var adSets = await db.AdSets.Where(s => campaignIds.Contains(s.CampaignId)).ToDictionaryAsync(s => s.ExternalId, cancellationToken);
        foreach (var item in metaAdSets.Where(s => s.CampaignId is not null && campaigns.ContainsKey(s.CampaignId)))
        {
            var budget = item.DailyBudgetMinor is { } minor ? MetaMoney.FromMinor(minor, account.Currency) : (decimal?)null;
            if (!adSets.TryGetValue(item.Id, out var adSet))
            {
                adSet = new AdSet { CampaignId = campaigns[item.CampaignId!].Id, ExternalId = item.Id, Name = item.Name, DailyBudget = budget };
                db.AdSets.Add(adSet);
                adSets[item.Id] = adSet;
            }
            else if (adSet.DailyBudget != budget)
            {
                // A budget edited in Ads Manager restarts the learning phase, as one made by a rule does.
                adSet.LastSignificantEditAtUtc = now;
            }
            adSet.CampaignId = campaigns[item.CampaignId!].Id;
            adSet.Name = item.Name;
            adSet.Status = Status(item.Status);
            adSet.DailyBudget = budget;
            adSet.StartDate = item.CreatedTime is { } created ? DateOnly.FromDateTime(created.UtcDateTime) : adSet.StartDate;
            adSet.UpdatedAtUtc = now;
        }
        await db.SaveChangesAsync(cancellationToken);

        var adSetIds = adSets.Values.Select(s => s.Id).ToList();
        var metaAds = await client.GetObjectsAsync(credentials.AccessToken, credentials.AccountId, "ads", cancellationToken);
        var ads = await db.Ads.Where(a => adSetIds.Contains(a.AdSetId)).ToDictionaryAsync(a => a.ExternalId, cancellationToken);
        foreach (var item in metaAds.Where(a => a.AdSetId is not null && adSets.ContainsKey(a.AdSetId)))
        {
            var adSet = adSets[item.AdSetId!];
            if (!ads.TryGetValue(item.Id, out var ad))
            {
                ad = new Ad { AdSetId = adSet.Id, CampaignId = adSet.CampaignId, ExternalId = item.Id, Name = item.Name };
                db.Ads.Add(ad);
                ads[item.Id] = ad;
            }
            ad.AdSetId = adSet.Id;
            ad.CampaignId = adSet.CampaignId;
            ad.Name = item.Name;
            ad.Status = Status(item.Status);
            ad.StartDate = item.CreatedTime is { } created ? DateOnly.FromDateTime(created.UtcDateTime) : ad.StartDate;
            ad.UpdatedAtUtc = now;
        }
        await db.SaveChangesAsync(cancellationToken);
        return ads.ToDictionary(a => a.Key, a => a.Value.Id, StringComparer.Ordinal);
    }

    /// <summary>Replaces the account's insights of <paramref name="from"/>..<paramref name="to"/> with Meta's, in one transaction.</summary>
    private async Task ReplaceInsightsAsync(AdIntelDbContext db, Dictionary<string, long> ads, DateOnly from, DateOnly to,
        IReadOnlyList<MetaDailyInsight> insights, CancellationToken cancellationToken)
    {
        var adIds = ads.Values.ToList();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.MarkFactsInputsChanged();
        await db.AdInsights.Where(i => adIds.Contains(i.AdId) && i.Date >= from && i.Date <= to).ExecuteDeleteAsync(cancellationToken);
        var unknown = 0;
        // Meta can answer one ad-day in two rows when a report spans a change of attribution; they are summed.
        foreach (var group in insights.GroupBy(i => (i.AdId, i.Date)))
        {
            if (!ads.TryGetValue(group.Key.AdId, out var adId))
            {
                unknown++;
                continue;
            }
            var impressions = group.Sum(i => i.Impressions);
            var reach = group.Sum(i => i.Reach);
            db.AdInsights.Add(new AdInsightDaily
            {
                AdId = adId,
                Date = group.Key.Date,
                Spend = group.Sum(i => i.Spend),
                Impressions = impressions,
                Reach = reach,
                Frequency = reach > 0 ? Math.Round((decimal)impressions / reach, 4) : 0,
                LinkClicks = group.Sum(i => i.LinkClicks),
                Purchases = group.Sum(i => i.Purchases),
                PurchaseValue = group.Sum(i => i.PurchaseValue),
            });
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        foreach (var entry in db.ChangeTracker.Entries<AdInsightDaily>().ToList())
        {
            entry.State = EntityState.Detached;
        }
        if (unknown > 0)
        {
            logger.LogWarning("{Count} insight rows named ads Meta did not list; they are picked up by the next sync", unknown);
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
