using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Tenancy;
using AdIntel.Web.Metrics;
using AdIntel.Web.Rules.Definitions;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Rules.Snapshots;

/// <summary>
/// Builds the values rules evaluate for the current store (set <see cref="StoreContext"/> first): every ad, ad set,
/// campaign and account with every catalogue variable as of an instant, in the store's time zone. One query loads
/// the store's daily insights up to that instant; everything else is computed in memory.
/// </summary>
public sealed class RuleSnapshotBuilder(AdIntelDbContext db, StoreContext storeContext, TimeProvider time)
{
    /// <summary>Snapshot of now (<paramref name="asOf"/> null) or of a past instant.</summary>
    public async Task<RuleSnapshot> BuildAsync(DateTimeOffset? asOf, CancellationToken cancellationToken)
    {
        var instant = asOf ?? time.GetUtcNow();
        var history = await LoadAsync(instant, cancellationToken);
        return history.SnapshotAt(instant);
    }

    /// <summary>
    /// Loads the store's entities and delivery up to <paramref name="asOf"/> once; take snapshots of any instant up
    /// to it with <see cref="DeliveryHistory.SnapshotAt"/> (a backtest loads once and replays each day).
    /// </summary>
    public async Task<DeliveryHistory> LoadAsync(DateTimeOffset asOf, CancellationToken cancellationToken)
    {
        var storeId = storeContext.RequiredStoreId;
        var timeZoneId = await db.Stores.AsNoTracking().Where(s => s.Id == storeId).Select(s => s.TimeZone).SingleAsync(cancellationToken);
        var timeZone = StoreClock.ResolveTimeZone(timeZoneId);
        var lastDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(asOf, timeZone).DateTime);

        var settings = await db.StoreSettings.AsNoTracking().FirstOrDefaultAsync(cancellationToken) ?? new StoreSettings();
        var accounts = await db.AdAccounts.AsNoTracking().OrderBy(a => a.Id)
            .Select(a => new { a.Id, a.ExternalId, a.Name }).ToListAsync(cancellationToken);
        var campaigns = await db.Campaigns.AsNoTracking().OrderBy(c => c.Id)
            .Select(c => new { c.Id, c.AdAccountId, c.ExternalId, c.Name, c.Status, c.DailyBudget, c.StartDate, c.Automation }).ToListAsync(cancellationToken);
        var tags = (await db.EntityTags.AsNoTracking().Select(t => new { t.EntityScope, t.EntityId, t.Tag }).ToListAsync(cancellationToken))
            .ToLookup(t => (t.EntityScope, t.EntityId), t => t.Tag);
        var automation = campaigns.Where(c => c.Automation != CampaignAutomation.Inherit)
            .ToDictionary(c => c.Id, c => new CampaignAutomationSetting(c.Automation, c.Name));
        IReadOnlyList<string> TagsOf(RuleScope scope, long id) => [.. tags[(scope.ToApiName(), id)].Order(StringComparer.OrdinalIgnoreCase)];
        CampaignAutomationSetting AutomationOf(long? campaignId) =>
            campaignId is { } c && automation.TryGetValue(c, out var setting) ? setting : CampaignAutomationSetting.Inherited;
        var adSets = await db.AdSets.AsNoTracking().OrderBy(a => a.Id)
            .Select(a => new { a.Id, a.CampaignId, a.ExternalId, a.Name, a.Status, a.DailyBudget, a.StartDate, a.LastSignificantEditAtUtc })
            .ToListAsync(cancellationToken);
        var ads = await db.Ads.AsNoTracking().OrderBy(a => a.Id)
            .Select(a => new { a.Id, a.AdSetId, a.CampaignId, a.ExternalId, a.Name, a.Status, a.StartDate }).ToListAsync(cancellationToken);
        var facts = await db.DailyFacts.AsNoTracking().Where(f => f.Date <= lastDay).OrderBy(f => f.Date).ToArrayAsync(cancellationToken);

        var accountOfCampaign = campaigns.ToDictionary(c => c.Id, c => c.AdAccountId);
        var adIndex = new AdPositions([.. ads.Select(a => a.Id)]);
        var adSeries = await ReadDeliveryAsync(adIndex, lastDay, cancellationToken);

        // An ad set's, campaign's or account's delivery is its ads' (the ad's own campaign, as Meta reports it), summed
        // when a snapshot is taken; its day-by-day history is merged only if something asks for it.
        Lazy<DeliverySeries> MergedSeries(IEnumerable<int> adIndexes) =>
            new(() => DeliverySeries.Merge([.. adIndexes.Select(i => adSeries[i])]));
        var adsOfAdSet = Enumerable.Range(0, ads.Count).ToLookup(i => ads[i].AdSetId);
        var adsOfCampaign = Enumerable.Range(0, ads.Count).ToLookup(i => ads[i].CampaignId);
        var adsOfAccount = Enumerable.Range(0, ads.Count).Where(i => accountOfCampaign.ContainsKey(ads[i].CampaignId))
            .ToLookup(i => accountOfCampaign[ads[i].CampaignId]);

        var activeAccounts = campaigns.Where(c => IsActive(c.Status)).Select(c => c.AdAccountId).ToHashSet();
        var entities = new Dictionary<RuleScope, IReadOnlyList<EntityRecord>>
        {
            [RuleScope.Account] = [.. accounts.Select(a => new EntityRecord(RuleScope.Account, a.Id, a.ExternalId, a.Name,
                activeAccounts.Contains(a.Id) ? EntityStatus.Active : EntityStatus.Paused, null, null, null,
                null, null, null, MergedSeries(adsOfAccount[a.Id])))],
            [RuleScope.Campaign] = [.. campaigns.Select(c => new EntityRecord(RuleScope.Campaign, c.Id, c.ExternalId, c.Name, c.Status,
                c.DailyBudget, c.StartDate, null, c.AdAccountId, null, null, MergedSeries(adsOfCampaign[c.Id]))
                { Tags = TagsOf(RuleScope.Campaign, c.Id), CampaignAutomation = AutomationOf(c.Id) })],
            [RuleScope.AdSet] = [.. adSets.Select(a => new EntityRecord(RuleScope.AdSet, a.Id, a.ExternalId, a.Name, a.Status,
                a.DailyBudget, a.StartDate, a.LastSignificantEditAtUtc, accountOfCampaign.GetValueOrDefault(a.CampaignId), a.CampaignId, null,
                MergedSeries(adsOfAdSet[a.Id])) { Tags = TagsOf(RuleScope.AdSet, a.Id), CampaignAutomation = AutomationOf(a.CampaignId) })],
        };
        var adSetEdits = adSets.ToDictionary(a => a.Id, a => a.LastSignificantEditAtUtc);
        entities[RuleScope.Ad] = [.. ads.Select((a, i) => new EntityRecord(RuleScope.Ad, a.Id, a.ExternalId, a.Name, a.Status,
            null, a.StartDate, adSetEdits.GetValueOrDefault(a.AdSetId), accountOfCampaign.GetValueOrDefault(a.CampaignId), a.CampaignId, a.AdSetId,
            new Lazy<DeliverySeries>(adSeries[i])) { Tags = TagsOf(RuleScope.Ad, a.Id), CampaignAutomation = AutomationOf(a.CampaignId) })];

        return new DeliveryHistory(storeId, timeZone, asOf, entities, facts, settings);
    }

    /// <summary>
    /// The one large query: every insight row of the store up to <paramref name="lastDay"/>, collected into each ad's
    /// series (by the ad's position in <paramref name="adIndex"/>). On SQLite the rows are read straight from the
    /// statement (<see cref="SqliteQueryReader"/>), which for a store's whole delivery is most of a rule run; a long
    /// history is read in two date ranges at once, the later one on a second connection (SQLite's readers do not wait for
    /// each other), so a large store's run takes about half the time on two cores.
    /// </summary>
    private async Task<DeliverySeries[]> ReadDeliveryAsync(AdPositions adIndex, DateOnly lastDay, CancellationToken cancellationToken)
    {
        var collector = new DeliverySeries.Collector(adIndex.Count);
        var rows = db.AdInsights.AsNoTracking().Where(r => r.Date <= lastDay)
            .Select(r => new { r.AdId, r.Date, r.Spend, r.Impressions, r.Reach, r.LinkClicks, r.Purchases, r.PurchaseValue });
        if (db.Database.GetDbConnection() is SqliteConnection sqlite)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            try
            {
                // A second connection sees only what is committed: not inside a transaction, nor for an in-memory database.
                var split = Environment.ProcessorCount > 1 && db.Database.CurrentTransaction is null
                    && !sqlite.DataSource.Contains(":memory:", StringComparison.OrdinalIgnoreCase) && !sqlite.ConnectionString.Contains("Mode=Memory", StringComparison.OrdinalIgnoreCase)
                    && await rows.Select(r => (DateOnly?)r.Date).MinAsync(cancellationToken) is { } firstDay && lastDay.DayNumber - firstDay.DayNumber >= SplitFromDays
                    ? DateOnly.FromDayNumber((firstDay.DayNumber + lastDay.DayNumber) / 2)
                    : (DateOnly?)null;
                if (split is not { } middle)
                {
                    Collect(collector, rows, sqlite, adIndex, cancellationToken);
                    return collector.Build();
                }
                var later = new DeliverySeries.Collector(adIndex.Count);
                var laterPart = Task.Run(() =>
                {
                    using var second = new SqliteConnection(sqlite.ConnectionString);
                    second.Open();
                    Collect(later, rows.Where(r => r.Date > middle), second, adIndex, cancellationToken);
                }, cancellationToken);
                try
                {
                    Collect(collector, rows.Where(r => r.Date <= middle), sqlite, adIndex, cancellationToken);
                }
                finally
                {
                    await laterPart.ContinueWith(static _ => { }, TaskScheduler.Default);
                }
                await laterPart;
                return DeliverySeries.Collector.Build([collector, later]);
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }
        await foreach (var row in rows.AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            if (adIndex.Of(row.AdId) is var i and >= 0)
            {
                collector.Add(i, row.Date.DayNumber, new DeliverySums(DeliverySums.Units(row.Spend), row.Impressions, row.Reach, row.LinkClicks,
                    DeliverySums.Units(row.Purchases), DeliverySums.Units(row.PurchaseValue)));
            }
        }
        return collector.Build();
    }

    /// <summary>Days of history from which the delivery is read in two parts.</summary>
    private const int SplitFromDays = 28;

    private static void Collect<TRow>(DeliverySeries.Collector collector, IQueryable<TRow> rows, SqliteConnection connection, AdPositions adIndex,
        CancellationToken cancellationToken)
    {
        using var reader = SqliteQueryReader.Open(rows, connection, "AdId", "Date", "Spend", "Impressions", "Reach", "LinkClicks", "Purchases", "PurchaseValue");
        for (var row = 0; reader.Read(); row++)
        {
            if ((row & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
            // Rows of an ad deleted since (or of another level) have no place.
            if (adIndex.Of(reader.GetInt64(0)) is var i and >= 0)
            {
                collector.Add(i, reader.GetDateOnly(1).DayNumber, new DeliverySums(reader.GetTenThousandths(2), reader.GetInt64(3), reader.GetInt64(4),
                    reader.GetInt64(5), reader.GetTenThousandths(6), reader.GetTenThousandths(7)));
            }
        }
    }

    /// <summary>
    /// An ad's position by its id, for each of a million rows: a table indexed by id when the store's ad ids are close
    /// together (they usually are: one store's ads are inserted together), a dictionary otherwise.
    /// </summary>
    private sealed class AdPositions
    {
        private readonly long _first;
        private readonly int[]? _table;
        private readonly Dictionary<long, int>? _byId;

        /// <param name="ids">The ads' ids, ascending.</param>
        public AdPositions(long[] ids)
        {
            Count = ids.Length;
            if (ids.Length == 0)
            {
                _table = [];
                return;
            }
            _first = ids[0];
            var span = ids[^1] - ids[0] + 1;
            if (span <= 4L * ids.Length + 1024)
            {
                _table = new int[span];
                Array.Fill(_table, -1);
                for (var i = 0; i < ids.Length; i++)
                {
                    _table[ids[i] - _first] = i;
                }
            }
            else
            {
                _byId = new Dictionary<long, int>(ids.Length);
                for (var i = 0; i < ids.Length; i++)
                {
                    _byId[ids[i]] = i;
                }
            }
        }

        public int Count { get; }

        /// <summary>The ad's position, or -1 for an id that is not one of the ads.</summary>
        public int Of(long id)
        {
            if (_table is null)
            {
                return _byId!.TryGetValue(id, out var i) ? i : -1;
            }
            var at = (ulong)(id - _first);
            return at < (ulong)_table.Length ? _table[at] : -1;
        }
    }

    private static bool IsActive(string status) => string.Equals(status, EntityStatus.Active, StringComparison.OrdinalIgnoreCase);
}
