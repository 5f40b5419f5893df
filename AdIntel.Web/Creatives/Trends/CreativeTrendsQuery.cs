using AdIntel.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Creatives.Trends;

/// <summary>Reads the signed-in store's ads, creatives, delivery and watched competitors' ads, and hands them to <see cref="CreativeTrendEngine"/>.</summary>
public sealed class CreativeTrendsQuery(AdIntelDbContext db)
{
    public const int DefaultWindowDays = 90;
    public const int MinWindowDays = 14;
    public const int MaxWindowDays = 365;

    /// <param name="to">The last day of the recent window.</param>
    /// <param name="competitorId">Only this competitor's ads (null: every watched competitor's).</param>
    public async Task<CreativeTrends> GetAsync(DateOnly to, int days, long? competitorId, CancellationToken cancellationToken)
    {
        var (previous, _) = CreativeTrendEngine.Windows(to, days);
        var ads = await db.AdCreatives.AsNoTracking()
            .Join(db.Ads, c => c.AdId, a => a.Id, (c, a) => new StoreTrendAd(a.Id, a.StartDate, c.Format, c.CallToAction, c.PrimaryText, c.Headline, c.Description))
            .ToListAsync(cancellationToken);
        // An ad without a start date was launched on its first day of delivery, which may lie before both windows.
        var undated = ads.Where(a => a.Launched is null).Select(a => a.AdId).ToList();
        var firstDays = undated.Count == 0
            ? []
            : await db.AdInsights.AsNoTracking().Where(i => undated.Contains(i.AdId) && (i.Spend > 0 || i.Impressions > 0))
                .GroupBy(i => i.AdId).Select(g => new { g.Key, First = g.Min(i => i.Date) }).ToDictionaryAsync(g => g.Key, g => g.First, cancellationToken);
        ads = [.. ads.Select(a => a.Launched is null && firstDays.TryGetValue(a.AdId, out var first) ? a with { Launched = first } : a)];
        var delivery = await db.AdInsights.AsNoTracking()
            .Where(i => i.Date >= previous.From && i.Date <= to)
            .Select(i => new TrendDeliveryDay(i.AdId, i.Date, i.Impressions, i.Spend, i.PurchaseValue))
            .ToListAsync(cancellationToken);
        var competitorAds = await db.CompetitorAds.AsNoTracking()
            .Where(a => competitorId == null || a.CompetitorId == competitorId)
            .Select(a => new { a.DeliveryStart, a.DeliveryStop, a.Bodies, a.LinkTitles })
            .ToListAsync(cancellationToken);
        return CreativeTrendEngine.Analyse(to, days, ads, delivery,
            [.. competitorAds.Select(a => new LibraryTrendAd(a.DeliveryStart, a.DeliveryStop, a.Bodies, a.LinkTitles))]);
    }
}
