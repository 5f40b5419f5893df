using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace AdIntel.Web.Ingestion;

/// <summary>
/// The one writer of the current store's Meta ad accounts, campaigns, ad sets, ads and daily insights, for the Ads
/// Manager export (CSV import) and the Meta sync alike.
/// <list type="bullet">
/// <item>Accounts, campaigns, ad sets and ads are upserted by Meta id: what the source says wins (a name, a parent,
/// the delivery settings), what it does not say is kept. A changed ad set budget restarts the learning phase
/// (<see cref="AdSet.LastSignificantEditAtUtc"/>), as a budget changed by a rule does.</item>
/// <item>Insights are upserted per ad and day: unchanged days are left alone, so writing the same numbers again
/// changes nothing. With an <see cref="InsightRange"/> the source holds the range whole, and stored days of the
/// account's ads in it that the source lacks are removed.</item>
/// </list>
/// Joins the caller's transaction when there is one, else writes each call in one of its own; new rows go in with
/// <see cref="BulkWriter"/>. The daily facts are not rebuilt here: call <see cref="DailyFactsBuilder.RebuildAsync"/>.
/// </summary>
public sealed class MetaAdsWriter(AdIntelDbContext db, TimeProvider time)
{
    public const string Platform = "meta";
    private const int QueryChunk = 500;

    /// <summary>Meta ad id → our id, for the insights written after the structure.</summary>
    private readonly Dictionary<string, long> _adIds = new(StringComparer.Ordinal);

    public async Task<AdStructureWriteResult> UpsertStructureAsync(IncomingAdStructure structure, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var ownTransaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            var accounts = await UpsertAccountsAsync(structure.Accounts, cancellationToken);
            long? unnamedAccount = null;

            var campaigns = await LoadAsync(db.Campaigns, c => c.ExternalId,
                structure.Campaigns.Select(c => c.ExternalId).Concat(structure.AdSets.Select(s => s.CampaignExternalId)), cancellationToken);
            var newCampaigns = new List<Campaign>();
            foreach (var incoming in structure.Campaigns)
            {
                long? accountId = incoming.AccountExternalId is { } named ? accounts[named].Id : null;
                if (!campaigns.TryGetValue(incoming.ExternalId, out var campaign))
                {
                    accountId ??= unnamedAccount ??= await UnnamedAccountAsync(accounts, structure.AccountForUnnamed, cancellationToken);
                    campaign = new Campaign { AdAccountId = accountId.Value, ExternalId = incoming.ExternalId, Name = incoming.Name, UpdatedAtUtc = now };
                    campaigns[incoming.ExternalId] = campaign;
                    newCampaigns.Add(campaign);
                }
                if (Apply(campaign, incoming, accountId ?? campaign.AdAccountId))
                {
                    campaign.UpdatedAtUtc = now;
                }
            }
            await BulkWriter.InsertAsync(db, newCampaigns, cancellationToken);

            var adSets = await LoadAsync(db.AdSets, s => s.ExternalId,
                structure.AdSets.Select(s => s.ExternalId).Concat(structure.Ads.Select(a => a.AdSetExternalId)), cancellationToken);
            var newAdSets = new List<AdSet>();
            foreach (var incoming in structure.AdSets)
            {
                if (!campaigns.TryGetValue(incoming.CampaignExternalId, out var campaign))
                {
                    continue;
                }
                if (!adSets.TryGetValue(incoming.ExternalId, out var adSet))
                {
                    adSet = new AdSet { CampaignId = campaign.Id, ExternalId = incoming.ExternalId, Name = incoming.Name, UpdatedAtUtc = now };
                    adSets[incoming.ExternalId] = adSet;
                    newAdSets.Add(adSet);
                }
                else if (incoming.Delivery is { } delivery && adSet.DailyBudget != delivery.DailyBudget)
                {
                    // A budget edited in Ads Manager restarts the learning phase, as one made by a rule does.
                    adSet.LastSignificantEditAtUtc = now;
                }
                if (Apply(adSet, incoming, campaign.Id))
                {
                    adSet.UpdatedAtUtc = now;
                }
            }
            await BulkWriter.InsertAsync(db, newAdSets, cancellationToken);

            var ads = await LoadAsync(db.Ads, a => a.ExternalId, structure.Ads.Select(a => a.ExternalId), cancellationToken);
            var newAds = new List<Ad>();
            foreach (var incoming in structure.Ads)
            {
                if (!adSets.TryGetValue(incoming.AdSetExternalId, out var adSet))
                {
                    continue;
                }
                if (!ads.TryGetValue(incoming.ExternalId, out var ad))
                {
                    ad = new Ad { AdSetId = adSet.Id, CampaignId = adSet.CampaignId, ExternalId = incoming.ExternalId, Name = incoming.Name, UpdatedAtUtc = now };
                    ads[incoming.ExternalId] = ad;
                    newAds.Add(ad);
                }
                if (Apply(ad, incoming, adSet))
                {
                    ad.UpdatedAtUtc = now;
                }
            }
            await BulkWriter.InsertAsync(db, newAds, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await CommitAsync(ownTransaction, cancellationToken);

            foreach (var ad in ads.Values)
            {
                _adIds[ad.ExternalId] = ad.Id;
            }
            DetachAll();
            return new AdStructureWriteResult(newCampaigns.Count, newAdSets.Count, newAds.Count);
        }
        finally
        {
            if (ownTransaction is not null)
            {
                await ownTransaction.DisposeAsync();
            }
        }
    }

    /// <summary>Upserts ad days (see the class); <paramref name="range"/>: the range the source holds whole, if it does.</summary>
    public async Task<InsightWriteResult> UpsertInsightsAsync(IReadOnlyList<IncomingAdInsightDay> days, InsightRange? range,
        CancellationToken cancellationToken)
    {
        var ownTransaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            await ResolveAdsAsync(days.Select(d => d.AdExternalId), cancellationToken);
            var incoming = new Dictionary<(long AdId, DateOnly Date), AdInsightDaily>();
            var unknown = 0;
            foreach (var group in days.GroupBy(d => (d.AdExternalId, d.Date)))
            {
                if (!_adIds.TryGetValue(group.Key.AdExternalId, out var adId))
                {
                    unknown++;
                    continue;
                }
                incoming[(adId, group.Key.Date)] = Sum(adId, group.Key.Date, group.ToList());
            }

            var stored = new Dictionary<(long AdId, DateOnly Date), AdInsightDaily>();
            if (incoming.Count > 0)
            {
                var minDate = incoming.Keys.Min(k => k.Date);
                var maxDate = incoming.Keys.Max(k => k.Date);
                foreach (var chunk in incoming.Keys.Select(k => k.AdId).Distinct().Chunk(QueryChunk))
                {
                    var rows = await db.AdInsights.AsNoTracking().Where(i => chunk.Contains(i.AdId) && i.Date >= minDate && i.Date <= maxDate)
                        .ToListAsync(cancellationToken);
                    foreach (var row in rows)
                    {
                        stored[(row.AdId, row.Date)] = row;
                    }
                }
            }

            int updated = 0, unchanged = 0;
            var inserts = new List<AdInsightDaily>();
            foreach (var (key, row) in incoming)
            {
                if (!stored.TryGetValue(key, out var current))
                {
                    inserts.Add(row);
                    continue;
                }
                if (Same(current, row))
                {
                    unchanged++;
                    continue;
                }
                row.Id = current.Id;
                row.StoreId = current.StoreId;
                db.AdInsights.Update(row);
                updated++;
            }
            var deleted = range is null ? 0 : await DeleteMissingAsync(range, incoming, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await BulkWriter.InsertAsync(db, inserts, cancellationToken);
            await CommitAsync(ownTransaction, cancellationToken);
            DetachAll();
            return new InsightWriteResult(inserts.Count, updated, unchanged, deleted, unknown);
        }
        finally
        {
            if (ownTransaction is not null)
            {
                await ownTransaction.DisposeAsync();
            }
        }
    }

    // ---- structure ----

    /// <summary>Creates the accounts the store lacks and updates the others with what the source says; returns every Meta account by id.</summary>
    private async Task<Dictionary<string, AdAccount>> UpsertAccountsAsync(IReadOnlyList<IncomingAdAccount> incoming, CancellationToken cancellationToken)
    {
        var stored = await db.AdAccounts.AsTracking().Where(a => a.Platform == Platform).ToDictionaryAsync(a => a.ExternalId, StringComparer.Ordinal, cancellationToken);
        foreach (var account in incoming)
        {
            if (stored.TryGetValue(account.ExternalId, out var current))
            {
                current.Name = account.Name ?? current.Name;
                current.Currency = account.Currency ?? current.Currency;
                continue;
            }
            stored[account.ExternalId] = await CreateAccountAsync(account, cancellationToken);
        }
        return stored;
    }

    private async Task<AdAccount> CreateAccountAsync(IncomingAdAccount account, CancellationToken cancellationToken)
    {
        var storeCurrency = await db.Stores.AsNoTracking().Where(s => s.Id == db.StoreContext.RequiredStoreId).Select(s => s.Currency).SingleAsync(cancellationToken);
        var created = new AdAccount { Platform = Platform, ExternalId = account.ExternalId, Name = account.Name ?? account.ExternalId, Currency = account.Currency ?? storeCurrency };
        await BulkWriter.InsertAsync(db, [created], cancellationToken);
        return created;
    }

    /// <summary>The account of new campaigns that name none: the store's first Meta account, else <paramref name="fallback"/>, created.</summary>
    private async Task<long> UnnamedAccountAsync(Dictionary<string, AdAccount> accounts, IncomingAdAccount? fallback, CancellationToken cancellationToken)
    {
        if (accounts.Values.MinBy(a => a.Id) is { } first)
        {
            return first.Id;
        }
        var created = await CreateAccountAsync(fallback ?? throw new InvalidOperationException("A campaign names no ad account and the store has none."),
            cancellationToken);
        accounts[created.ExternalId] = created;
        return created.Id;
    }

    /// <summary>Tracked entities of the current store with these external ids, queried in chunks.</summary>
    private static async Task<Dictionary<string, T>> LoadAsync<T>(IQueryable<T> set, Func<T, string> externalId, IEnumerable<string> externalIds,
        CancellationToken cancellationToken) where T : class
    {
        var found = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var chunk in externalIds.Distinct(StringComparer.Ordinal).Chunk(QueryChunk))
        {
            foreach (var row in await set.AsTracking().Where(e => chunk.Contains(EF.Property<string>(e, "ExternalId"))).ToListAsync(cancellationToken))
            {
                found[externalId(row)] = row;
            }
        }
        return found;
    }

    private static bool Apply(Campaign campaign, IncomingCampaign incoming, long accountId)
    {
        var changed = Set(campaign.AdAccountId, accountId, v => campaign.AdAccountId = v);
        changed |= Set(campaign.Name, incoming.Name, v => campaign.Name = v);
        if (incoming.Delivery is { } delivery)
        {
            changed |= Set(campaign.Status, delivery.Status, v => campaign.Status = v);
            changed |= Set(campaign.DailyBudget, delivery.DailyBudget, v => campaign.DailyBudget = v);
            changed |= Set(campaign.StartDate, delivery.StartDate ?? campaign.StartDate, v => campaign.StartDate = v);
        }
        return changed;
    }

    private static bool Apply(AdSet adSet, IncomingAdSet incoming, long campaignId)
    {
        var changed = Set(adSet.CampaignId, campaignId, v => adSet.CampaignId = v);
        changed |= Set(adSet.Name, incoming.Name, v => adSet.Name = v);
        if (incoming.Delivery is { } delivery)
        {
            changed |= Set(adSet.Status, delivery.Status, v => adSet.Status = v);
            changed |= Set(adSet.DailyBudget, delivery.DailyBudget, v => adSet.DailyBudget = v);
            changed |= Set(adSet.StartDate, delivery.StartDate ?? adSet.StartDate, v => adSet.StartDate = v);
        }
        return changed;
    }

    private static bool Apply(Ad ad, IncomingAd incoming, AdSet adSet)
    {
        var changed = Set(ad.AdSetId, adSet.Id, v => ad.AdSetId = v);
        changed |= Set(ad.CampaignId, adSet.CampaignId, v => ad.CampaignId = v);
        changed |= Set(ad.Name, incoming.Name, v => ad.Name = v);
        if (incoming.Delivery is { } delivery)
        {
            changed |= Set(ad.Status, delivery.Status, v => ad.Status = v);
            changed |= Set(ad.StartDate, delivery.StartDate ?? ad.StartDate, v => ad.StartDate = v);
        }
        return changed;
    }

    private static bool Set<T>(T current, T incoming, Action<T> apply)
    {
        if (EqualityComparer<T>.Default.Equals(current, incoming))
        {
            return false;
        }
        apply(incoming);
        return true;
    }

    // ---- insights ----

    private async Task ResolveAdsAsync(IEnumerable<string> adExternalIds, CancellationToken cancellationToken)
    {
        var missing = adExternalIds.Where(id => !_adIds.ContainsKey(id)).Distinct(StringComparer.Ordinal).ToList();
        foreach (var chunk in missing.Chunk(QueryChunk))
        {
            foreach (var ad in await db.Ads.AsNoTracking().Where(a => chunk.Contains(a.ExternalId)).Select(a => new { a.ExternalId, a.Id }).ToListAsync(cancellationToken))
            {
                _adIds[ad.ExternalId] = ad.Id;
            }
        }
    }

    /// <summary>One ad day from its records: a single record as it is; several added up, their frequency then impressions / reach.</summary>
    private static AdInsightDaily Sum(long adId, DateOnly date, List<IncomingAdInsightDay> records)
    {
        var row = new AdInsightDaily { AdId = adId, Date = date };
        foreach (var record in records)
        {
            row.Spend += record.Spend;
            row.Impressions += record.Impressions;
            row.Reach += record.Reach;
            row.LinkClicks += record.LinkClicks;
            row.Purchases += record.Purchases;
            row.PurchaseValue += record.PurchaseValue;
        }
        row.Frequency = records is [{ Frequency: { } given }]
            ? Math.Round(given, 4)
            : row.Reach == 0 ? 0 : Math.Round((decimal)row.Impressions / row.Reach, 4);
        return row;
    }

    private static bool Same(AdInsightDaily stored, AdInsightDaily incoming) =>
        stored.Spend == incoming.Spend && stored.Impressions == incoming.Impressions && stored.Reach == incoming.Reach
        && stored.Frequency == incoming.Frequency && stored.LinkClicks == incoming.LinkClicks && stored.Purchases == incoming.Purchases
        && stored.PurchaseValue == incoming.PurchaseValue;

    /// <summary>Removes the range's stored days of the account's ads that the source does not have.</summary>
    private async Task<int> DeleteMissingAsync(InsightRange range, Dictionary<(long AdId, DateOnly Date), AdInsightDaily> incoming,
        CancellationToken cancellationToken)
    {
        var accountId = await db.AdAccounts.Where(a => a.Platform == Platform && a.ExternalId == range.AccountExternalId).Select(a => (long?)a.Id)
            .SingleOrDefaultAsync(cancellationToken);
        if (accountId is null)
        {
            return 0;
        }
        var inRange = await db.AdInsights.AsNoTracking()
            .Where(i => i.Date >= range.From && i.Date <= range.To
                && db.Ads.Any(a => a.Id == i.AdId && db.Campaigns.Any(c => c.Id == a.CampaignId && c.AdAccountId == accountId)))
            .Select(i => new { i.Id, i.AdId, i.Date }).ToListAsync(cancellationToken);
        var gone = inRange.Where(i => !incoming.ContainsKey((i.AdId, i.Date))).Select(i => i.Id).ToList();
        if (gone.Count == 0)
        {
            return 0;
        }
        db.MarkFactsInputsChanged();
        foreach (var chunk in gone.Chunk(QueryChunk))
        {
            await db.AdInsights.Where(i => chunk.Contains(i.Id)).ExecuteDeleteAsync(cancellationToken);
        }
        return gone.Count;
    }

    // ---- plumbing ----

    private void DetachAll()
    {
        foreach (var entry in db.ChangeTracker.Entries().Where(e => e.Entity is AdAccount or Campaign or AdSet or Ad or AdInsightDaily).ToList())
        {
            entry.State = EntityState.Detached;
        }
    }

    private static async Task CommitAsync(IDbContextTransaction? ownTransaction, CancellationToken cancellationToken)
    {
        if (ownTransaction is not null)
        {
            await ownTransaction.CommitAsync(cancellationToken);
        }
    }
}
