using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Tenancy;
using AdIntel.Web.Metrics;
using AdIntel.Web.Rules.Definitions;
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
        var adSetOfAd = ads.ToDictionary(a => a.Id, a => a.AdSetId);
        var campaignOfAd = ads.ToDictionary(a => a.Id, a => a.CampaignId);
        var series = new SeriesAccumulator();

        // The one large query: every insight row of the store up to the last day, streamed and summed per entity and day.
        var rows = db.AdInsights.AsNoTracking().Where(r => r.Date <= lastDay)
            .Select(r => new { r.AdId, r.Date, r.Spend, r.Impressions, r.Reach, r.LinkClicks, r.Purchases, r.PurchaseValue })
            .AsAsyncEnumerable();
        await foreach (var row in rows.WithCancellation(cancellationToken))
        {
            if (!adSetOfAd.TryGetValue(row.AdId, out var adSetId))
            {
                continue;
            }
            var totals = new DeliveryTotals(row.Spend, row.Impressions, row.Reach, row.LinkClicks, row.Purchases, row.PurchaseValue);
            var campaignId = campaignOfAd[row.AdId];
            series.Add(RuleScope.Ad, row.AdId, row.Date, totals);
            series.Add(RuleScope.AdSet, adSetId, row.Date, totals);
            series.Add(RuleScope.Campaign, campaignId, row.Date, totals);
            if (accountOfCampaign.TryGetValue(campaignId, out var accountId))
            {
                series.Add(RuleScope.Account, accountId, row.Date, totals);
            }
        }

        var activeAccounts = campaigns.Where(c => IsActive(c.Status)).Select(c => c.AdAccountId).ToHashSet();
        var entities = new Dictionary<RuleScope, IReadOnlyList<EntityRecord>>
        {
            [RuleScope.Account] = [.. accounts.Select(a => new EntityRecord(RuleScope.Account, a.Id, a.ExternalId, a.Name,
                activeAccounts.Contains(a.Id) ? EntityStatus.Active : EntityStatus.Paused, null, null, null,
                null, null, null, series.Get(RuleScope.Account, a.Id)))],
            [RuleScope.Campaign] = [.. campaigns.Select(c => new EntityRecord(RuleScope.Campaign, c.Id, c.ExternalId, c.Name, c.Status,
                c.DailyBudget, c.StartDate, null, c.AdAccountId, null, null, series.Get(RuleScope.Campaign, c.Id))
                { Tags = TagsOf(RuleScope.Campaign, c.Id), CampaignAutomation = AutomationOf(c.Id) })],
            [RuleScope.AdSet] = [.. adSets.Select(a => new EntityRecord(RuleScope.AdSet, a.Id, a.ExternalId, a.Name, a.Status,
                a.DailyBudget, a.StartDate, a.LastSignificantEditAtUtc, accountOfCampaign.GetValueOrDefault(a.CampaignId), a.CampaignId, null,
                series.Get(RuleScope.AdSet, a.Id)) { Tags = TagsOf(RuleScope.AdSet, a.Id), CampaignAutomation = AutomationOf(a.CampaignId) })],
        };
        var adSetEdits = adSets.ToDictionary(a => a.Id, a => a.LastSignificantEditAtUtc);
        entities[RuleScope.Ad] = [.. ads.Select(a => new EntityRecord(RuleScope.Ad, a.Id, a.ExternalId, a.Name, a.Status,
            null, a.StartDate, adSetEdits.GetValueOrDefault(a.AdSetId), accountOfCampaign.GetValueOrDefault(a.CampaignId), a.CampaignId, a.AdSetId,
            series.Get(RuleScope.Ad, a.Id)) { Tags = TagsOf(RuleScope.Ad, a.Id), CampaignAutomation = AutomationOf(a.CampaignId) })];

        return new DeliveryHistory(storeId, timeZone, asOf, entities, facts, settings);
    }

    private static bool IsActive(string status) => string.Equals(status, EntityStatus.Active, StringComparison.OrdinalIgnoreCase);

    /// <summary>Sums delivery per (scope, entity, day) and turns each entity's days into a <see cref="DeliverySeries"/>.</summary>
    private sealed class SeriesAccumulator
    {
        private readonly Dictionary<(RuleScope Scope, long Id), Dictionary<DateOnly, DeliveryTotals>> _days = [];

        public void Add(RuleScope scope, long id, DateOnly date, DeliveryTotals totals)
        {
            if (!_days.TryGetValue((scope, id), out var days))
            {
                days = [];
                _days[(scope, id)] = days;
            }
            days[date] = days.TryGetValue(date, out var existing) ? existing + totals : totals;
        }

        public DeliverySeries Get(RuleScope scope, long id) =>
            _days.TryGetValue((scope, id), out var days)
                ? new DeliverySeries([.. days.OrderBy(d => d.Key).Select(d => (d.Key, d.Value))])
                : DeliverySeries.Empty;
    }
}
