using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Metrics;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Pages.Campaigns;

/// <summary>Everything about one campaign over a range: the campaign's own totals and its ad sets.</summary>
public sealed record CampaignPerformance(PerformanceRow Campaign, IReadOnlyList<PerformanceRow> AdSets, int AdCount);

/// <summary>One ad set over a range, with its campaign (for navigation) and its ads.</summary>
public sealed record AdSetPerformance(CampaignRef Campaign, PerformanceRow AdSet, IReadOnlyList<PerformanceRow> Ads);

public sealed record CampaignRef(long Id, string ExternalId, string Name, string Status);

/// <summary>One campaign's, ad set's or ad's delivery on each day of a range, days without delivery as zeros.</summary>
public sealed record EntityDailyDelivery(PerformanceLevel Level, long Id, string Name, IReadOnlyList<(DateOnly Date, DeliveryTotals Totals)> Days);

/// <summary>
/// Campaign, ad set and ad performance of the current store (the DbContext's store filter applies to every query).
/// Insights are summed per ad in the database over the range, then rolled up to ad sets and campaigns in memory:
/// a store has at most a few thousand ads, while it has millions of daily insight rows.
/// </summary>
public sealed class CampaignPerformanceQuery(AdIntelDbContext db, StoreClock clock, TimeProvider time, MetricsService metrics)
{
    public async Task<IReadOnlyList<PerformanceRow>> GetCampaignsAsync(DateRange range, CancellationToken cancellationToken)
    {
        var campaigns = await db.Campaigns.AsNoTracking().ToListAsync(cancellationToken);
        var adSets = await db.AdSets.AsNoTracking().ToListAsync(cancellationToken);
        var ads = await db.Ads.AsNoTracking().Select(a => new AdKey(a.Id, a.AdSetId, a.CampaignId)).ToListAsync(cancellationToken);
        var byAd = await SumByAdAsync(range, adIds: null, cancellationToken);

        var byCampaign = RollUp(byAd, ads, a => a.CampaignId);
        var adSetsByCampaign = adSets.ToLookup(s => s.CampaignId);
        return await WithTagsAsync(campaigns
            .Select(c => CampaignRow(c, adSetsByCampaign[c.Id], byCampaign.GetValueOrDefault(c.Id, DeliveryTotals.None)))
            .ToList(), cancellationToken);
    }

    /// <summary>Null when the campaign does not exist in the current store.</summary>
    public async Task<CampaignPerformance?> GetCampaignAsync(long campaignId, DateRange range, CancellationToken cancellationToken)
    {
        var campaign = await db.Campaigns.AsNoTracking().FirstOrDefaultAsync(c => c.Id == campaignId, cancellationToken);
        if (campaign is null)
        {
            return null;
        }
        var adSets = await db.AdSets.AsNoTracking().Where(s => s.CampaignId == campaignId).ToListAsync(cancellationToken);
        var ads = await db.Ads.AsNoTracking().Where(a => a.CampaignId == campaignId)
            .Select(a => new AdKey(a.Id, a.AdSetId, a.CampaignId)).ToListAsync(cancellationToken);
        var byAd = await SumByAdAsync(range, db.Ads.Where(a => a.CampaignId == campaignId).Select(a => a.Id), cancellationToken);
        var learning = await FindLearningAdSetsAsync(campaign, adSets, cancellationToken);

        var byAdSet = RollUp(byAd, ads, a => a.AdSetId);
        var adSetRows = adSets
            .Select(s => AdSetRow(s, byAdSet.GetValueOrDefault(s.Id, DeliveryTotals.None), learning.GetValueOrDefault(s.Id)))
            .ToList();
        var campaignRow = CampaignRow(campaign, adSets, DeliveryTotals.Sum(byAd.Values));
        return new CampaignPerformance((await WithTagsAsync([campaignRow], cancellationToken))[0], await WithTagsAsync(adSetRows, cancellationToken), ads.Count);
    }

    /// <summary>Null when the campaign or the ad set (of that campaign) does not exist in the current store.</summary>
    public async Task<AdSetPerformance?> GetAdSetAsync(long campaignId, long adSetId, DateRange range, CancellationToken cancellationToken)
    {
        var campaign = await db.Campaigns.AsNoTracking().FirstOrDefaultAsync(c => c.Id == campaignId, cancellationToken);
        var adSet = await db.AdSets.AsNoTracking().FirstOrDefaultAsync(s => s.Id == adSetId && s.CampaignId == campaignId, cancellationToken);
        if (campaign is null || adSet is null)
        {
            return null;
        }
        var ads = await db.Ads.AsNoTracking().Where(a => a.AdSetId == adSetId).ToListAsync(cancellationToken);
        var byAd = await SumByAdAsync(range, db.Ads.Where(a => a.AdSetId == adSetId).Select(a => a.Id), cancellationToken);
        var learning = await FindLearningAdSetsAsync(campaign, [adSet], cancellationToken);

        var adRows = ads.Select(a => AdRow(a, byAd.GetValueOrDefault(a.Id, DeliveryTotals.None))).ToList();
        var adSetRow = AdSetRow(adSet, DeliveryTotals.Sum(byAd.Values), learning.GetValueOrDefault(adSet.Id));
        return new AdSetPerformance(new CampaignRef(campaign.Id, campaign.ExternalId, campaign.Name, campaign.Status),
            (await WithTagsAsync([adSetRow], cancellationToken))[0], await WithTagsAsync(adRows, cancellationToken));
    }

    /// <summary>All ads of a campaign; null when the campaign does not exist in the current store.</summary>
    public async Task<IReadOnlyList<PerformanceRow>?> GetCampaignAdsAsync(long campaignId, DateRange range, CancellationToken cancellationToken)
    {
        if (!await db.Campaigns.AnyAsync(c => c.Id == campaignId, cancellationToken))
        {
            return null;
        }
        var ads = await db.Ads.AsNoTracking().Where(a => a.CampaignId == campaignId).ToListAsync(cancellationToken);
        var byAd = await SumByAdAsync(range, db.Ads.Where(a => a.CampaignId == campaignId).Select(a => a.Id), cancellationToken);
        return await WithTagsAsync(ads.Select(a => AdRow(a, byAd.GetValueOrDefault(a.Id, DeliveryTotals.None))).ToList(), cancellationToken);
    }

    /// <summary>Every ad of the store over the range (without tags): the account-wide comparison of creatives.</summary>
    public async Task<IReadOnlyList<PerformanceRow>> GetAdsAsync(DateRange range, CancellationToken cancellationToken)
    {
        var ads = await db.Ads.AsNoTracking().ToListAsync(cancellationToken);
        var byAd = await SumByAdAsync(range, adIds: null, cancellationToken);
        return [.. ads.Select(a => AdRow(a, byAd.GetValueOrDefault(a.Id, DeliveryTotals.None)))];
    }

    /// <summary>Null when the entity does not exist in the current store.</summary>
    public async Task<EntityDailyDelivery?> GetDailyDeliveryAsync(PerformanceLevel level, long id, DateRange range, CancellationToken cancellationToken)
    {
        var name = level switch
        {
            PerformanceLevel.Campaign => await db.Campaigns.Where(c => c.Id == id).Select(c => c.Name).FirstOrDefaultAsync(cancellationToken),
            PerformanceLevel.AdSet => await db.AdSets.Where(s => s.Id == id).Select(s => s.Name).FirstOrDefaultAsync(cancellationToken),
            _ => await db.Ads.Where(a => a.Id == id).Select(a => a.Name).FirstOrDefaultAsync(cancellationToken),
        };
        if (name is null)
        {
            return null;
        }
        var adIds = level switch
        {
            PerformanceLevel.Campaign => db.Ads.Where(a => a.CampaignId == id).Select(a => a.Id),
            PerformanceLevel.AdSet => db.Ads.Where(a => a.AdSetId == id).Select(a => a.Id),
            _ => db.Ads.Where(a => a.Id == id).Select(a => a.Id),
        };
        var sums = await SumByAsync(db.AdInsights.Where(i => i.Date >= range.From && i.Date <= range.To && adIds.Contains(i.AdId)), i => i.Date,
            cancellationToken);
        return new EntityDailyDelivery(level, id, name, [.. range.EachDay().Select(day => (day, sums.GetValueOrDefault(day, DeliveryTotals.None)))]);
    }

    private async Task<Dictionary<long, DeliveryTotals>> SumByAdAsync(DateRange range, IQueryable<long>? adIds, CancellationToken cancellationToken)
    {
        var insights = db.AdInsights.Where(i => i.Date >= range.From && i.Date <= range.To);
        if (adIds is not null)
        {
            insights = insights.Where(i => adIds.Contains(i.AdId));
        }
        var sums = await SumByAsync(insights, i => i.AdId, cancellationToken);
        if (sums.Count == 0)
        {
            return sums;
        }
        // Estimated profit and POAS read the store's margin over the same range, as the overview does.
        var margin = (await metrics.GetKpisAsync(range, cancellationToken)).MarginPerSale;
        return sums.ToDictionary(s => s.Key, s => s.Value with { MarginPerSale = margin });
    }

    /// <summary>Delivery summed in the database per <paramref name="key"/> (an ad, a day).</summary>
    private static async Task<Dictionary<TKey, DeliveryTotals>> SumByAsync<TKey>(IQueryable<AdInsightDaily> insights,
        System.Linq.Expressions.Expression<Func<AdInsightDaily, TKey>> key, CancellationToken cancellationToken) where TKey : notnull
    {
        var sums = await insights
            .GroupBy(key)
            .Select(g => new
            {
                g.Key,
                Spend = g.Sum(i => i.Spend),
                Impressions = g.Sum(i => i.Impressions),
                Reach = g.Sum(i => i.Reach),
                LinkClicks = g.Sum(i => i.LinkClicks),
                Purchases = g.Sum(i => i.Purchases),
                PurchaseValue = g.Sum(i => i.PurchaseValue),
            })
            .ToListAsync(cancellationToken);
        return sums.ToDictionary(s => s.Key, s => new DeliveryTotals(s.Spend, s.Impressions, s.Reach, s.LinkClicks, s.Purchases, s.PurchaseValue));
    }

    /// <summary>The rows with their tags (rows of one level).</summary>
    private async Task<IReadOnlyList<PerformanceRow>> WithTagsAsync(IReadOnlyList<PerformanceRow> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return rows;
        }
        var scope = PerformanceReport.ScopeOf(rows[0].Level);
        var ids = rows.Select(r => r.Id).ToList();
        var tags = (await db.EntityTags.AsNoTracking().Where(t => t.EntityScope == scope && ids.Contains(t.EntityId))
                .Select(t => new { t.EntityId, t.Tag }).ToListAsync(cancellationToken))
            .ToLookup(t => t.EntityId, t => t.Tag);
        return [.. rows.Select(r => tags.Contains(r.Id) ? r with { Tags = [.. tags[r.Id].Order(StringComparer.OrdinalIgnoreCase)] } : r)];
    }

    private static Dictionary<long, DeliveryTotals> RollUp(Dictionary<long, DeliveryTotals> byAd, IEnumerable<AdKey> ads, Func<AdKey, long> parent) =>
        ads.Where(a => byAd.ContainsKey(a.Id))
            .GroupBy(parent)
            .ToDictionary(g => g.Key, g => DeliveryTotals.Sum(g.Select(a => byAd[a.Id])));

    /// <summary>The learning state (<see cref="LearningPhase.Classify"/>) of the ad sets that deliver (they and their campaign are active).</summary>
    private async Task<Dictionary<long, LearningState>> FindLearningAdSetsAsync(Campaign campaign, IReadOnlyCollection<AdSet> adSets, CancellationToken cancellationToken)
    {
        if (campaign.Status != EntityStatus.Active)
        {
            return [];
        }
        var delivering = adSets.Where(s => s.Status == EntityStatus.Active).ToList();
        if (delivering.Count == 0)
        {
            return [];
        }
        var today = await clock.GetTodayAsync(cancellationToken);
        var window = DatePreset.Last7Days.RangeEndingOn(today);
        var adSetIds = delivering.Select(s => s.Id).ToList();
        var purchases = await (
                from insight in db.AdInsights
                join ad in db.Ads on insight.AdId equals ad.Id
                where insight.Date >= window.From && insight.Date <= window.To && adSetIds.Contains(ad.AdSetId)
                group insight by ad.AdSetId into g
                select new { AdSetId = g.Key, Purchases = g.Sum(i => i.Purchases) })
            .ToDictionaryAsync(x => x.AdSetId, x => x.Purchases, cancellationToken);

        var now = time.GetUtcNow().UtcDateTime;
        var states = new Dictionary<long, LearningState>();
        foreach (var adSet in delivering)
        {
            var state = LearningPhase.Classify(adSet.LastSignificantEditAtUtc, adSet.StartDate, purchases.GetValueOrDefault(adSet.Id), now, window.From);
            if (state != LearningState.None)
            {
                states[adSet.Id] = state;
            }
        }
        return states;
    }

    private static PerformanceRow CampaignRow(Campaign campaign, IEnumerable<AdSet> adSets, DeliveryTotals totals)
    {
        var budget = campaign.DailyBudget;
        var level = budget is null ? null : "campaign";
        if (budget is null)
        {
            var adSetBudgets = adSets.Where(s => s.Status == EntityStatus.Active).Select(s => s.DailyBudget).OfType<decimal>().ToList();
            if (adSetBudgets.Count > 0)
            {
                budget = adSetBudgets.Sum();
                level = "ad_set";
            }
        }
        return new PerformanceRow(PerformanceLevel.Campaign, campaign.Id, campaign.ExternalId, campaign.Name, campaign.Status, totals)
        {
            CampaignId = campaign.Id,
            DailyBudget = budget,
            BudgetLevel = level,
            Objective = campaign.Objective,
            StartDate = campaign.StartDate,
            Automation = campaign.Automation,
        };
    }

    private static PerformanceRow AdSetRow(AdSet adSet, DeliveryTotals totals, LearningState learning) =>
        new(PerformanceLevel.AdSet, adSet.Id, adSet.ExternalId, adSet.Name, adSet.Status, totals)
        {
            CampaignId = adSet.CampaignId,
            AdSetId = adSet.Id,
            DailyBudget = adSet.DailyBudget,
            BudgetLevel = adSet.DailyBudget is null ? null : "ad_set",
            Learning = learning,
            StartDate = adSet.StartDate,
        };

    private static PerformanceRow AdRow(Ad ad, DeliveryTotals totals) =>
        new(PerformanceLevel.Ad, ad.Id, ad.ExternalId, ad.Name, ad.Status, totals)
        {
            CampaignId = ad.CampaignId,
            AdSetId = ad.AdSetId,
            CreativeType = ad.CreativeType,
            StartDate = ad.StartDate,
        };

    private sealed record AdKey(long Id, long AdSetId, long CampaignId);
}
