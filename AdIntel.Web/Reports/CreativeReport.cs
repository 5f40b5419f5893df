using System.Globalization;
using AdIntel.Plugins.Abstractions;
using AdIntel.Plugins.CreativeFatigue;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Metrics;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Reports;

/// <summary>One ad's delivery in the period, Meta's numbers as reported, with its fatigue verdict.</summary>
public sealed record CreativeRow(long AdId, string ExternalId, string Name, string Campaign, string? CreativeType, string Status,
    decimal Spend, long Impressions, long Reach, long Clicks, decimal Purchases, decimal PurchaseValue, string? Fatigue)
{
    public decimal? Roas => KpiCalculator.Ratio(PurchaseValue, Spend);
    public decimal? Ctr => KpiCalculator.Ratio(Clicks, Impressions);
    public decimal? Cpa => KpiCalculator.Ratio(Spend, Purchases);
    /// <summary>Impressions ÷ Σ daily reach: daily reach is all the platform reports per day, so this is a lower bound of the period's frequency.</summary>
    public decimal? Frequency => KpiCalculator.Ratio(Impressions, Reach);
    public bool IsFatigued => Fatigue is not null;
}

/// <summary>
/// Per ad (creative): spend, ROAS, CTR, CPA, frequency and a fatigue flag. The flag is the creative-fatigue rule
/// plugin's verdict with its default thresholds, as a rule would judge the ad the day after the period: against the
/// ad's own first 7 days of delivery, the period's last 7 days show CTR down at least 30% and frequency up at least 25%
/// (each window with at least 1,000 impressions); or those 7 days' frequency is above 3.5, the "critical" level
/// practitioners cite (gazeiq.dev, adcow.online).
/// </summary>
public sealed record CreativeReport(DateRange Range, IReadOnlyList<CreativeRow> Rows)
{
    /// <summary>The plugin's default thresholds, which the report judges with and its note states.</summary>
    internal static FatigueThresholds Fatigue { get; } = new();

    public decimal Spend => Rows.Sum(r => r.Spend);
    public long Impressions => Rows.Sum(r => r.Impressions);
    public long Reach => Rows.Sum(r => r.Reach);
    public long Clicks => Rows.Sum(r => r.Clicks);
    public decimal Purchases => Rows.Sum(r => r.Purchases);
    public decimal PurchaseValue => Rows.Sum(r => r.PurchaseValue);

    public static async Task<CreativeReport> BuildAsync(AdIntelDbContext db, DateRange range, CancellationToken cancellationToken)
    {
        // The fatigue baseline is the ad's first week, which may lie before the period: read each ad's days up to the period's end.
        var days = await Days(db.AdInsights.Where(i => i.Date <= range.To)).ToListAsync(cancellationToken);
        var ads = await db.Ads.AsNoTracking()
            .Join(db.Campaigns, a => a.CampaignId, c => c.Id, (a, c) => new { a.Id, a.ExternalId, a.Name, Campaign = c.Name, a.CreativeType, a.Status })
            .ToDictionaryAsync(a => a.Id, cancellationToken);

        var rows = new List<CreativeRow>();
        foreach (var ad in days.GroupBy(d => d.AdId))
        {
            if (!ads.TryGetValue(ad.Key, out var info))
            {
                continue;
            }
            var inPeriod = ad.Where(d => range.Contains(d.Date)).ToList();
            if (inPeriod.Count == 0)
            {
                continue;
            }
            var history = History(ad);
            rows.Add(new CreativeRow(ad.Key, info.ExternalId, info.Name, info.Campaign, info.CreativeType, info.Status,
                inPeriod.Sum(d => d.Spend), inPeriod.Sum(d => d.Impressions), inPeriod.Sum(d => d.Reach), inPeriod.Sum(d => d.Clicks),
                inPeriod.Sum(d => d.Purchases), inPeriod.Sum(d => d.PurchaseValue), JudgeFatigue(history, range.To)));
        }
        return new CreativeReport(range, rows.OrderByDescending(r => r.Spend).ThenBy(r => r.Name, StringComparer.Ordinal).ToList());
    }

    /// <summary>The fatigue verdict of one ad at the end of a period ending on <paramref name="lastDay"/> (null: not fatigued), as the report judges it.</summary>
    public static async Task<string?> JudgeFatigueAsync(AdIntelDbContext db, long adId, DateOnly lastDay, CancellationToken cancellationToken)
    {
        var days = await Days(db.AdInsights.Where(i => i.AdId == adId && i.Date <= lastDay)).ToListAsync(cancellationToken);
        return days.Count == 0 ? null : JudgeFatigue(History(days), lastDay);
    }

    private static IQueryable<InsightDay> Days(IQueryable<Domain.AdInsightDaily> insights) => insights.AsNoTracking()
        .Select(i => new InsightDay(i.AdId, i.Date, i.Impressions, i.Reach, i.LinkClicks, i.Spend, i.Purchases, i.PurchaseValue));

    private static List<DailyDelivery> History(IEnumerable<InsightDay> days) => days.OrderBy(d => d.Date)
        .Select(d => new DailyDelivery(d.Date, (double)d.Spend, d.Impressions, d.Reach, d.Clicks, (double)d.Purchases, (double)d.PurchaseValue))
        .ToList();

    /// <summary>Why the ad looks fatigued at the end of a period ending on <paramref name="lastDay"/>, or null.</summary>
    /// <param name="history">The ad's daily delivery up to <paramref name="lastDay"/>, oldest first.</param>
    public static string? JudgeFatigue(IReadOnlyList<DailyDelivery> history, DateOnly lastDay)
    {
        var thresholds = Fatigue;
        var verdict = FatigueJudge.Judge(history, lastDay, thresholds);
        var (baseline, recent) = (verdict.Baseline, verdict.Recent);
        return verdict.Finding switch
        {
            FatigueFinding.CriticalFrequency => string.Create(CultureInfo.InvariantCulture,
                $"Frequency {recent.Frequency:0.00} in the last {thresholds.RecentDays} days (above {thresholds.CriticalFrequency:0.0})"),
            FatigueFinding.Decay => string.Create(CultureInfo.InvariantCulture,
                $"CTR {baseline.Ctr:0.00%} → {recent.Ctr:0.00%}, frequency {baseline.Frequency:0.00} → {recent.Frequency:0.00} against its first {thresholds.BaselineDays} days"),
            _ => null,
        };
    }

    private sealed record InsightDay(long AdId, DateOnly Date, long Impressions, long Reach, long Clicks, decimal Spend, decimal Purchases, decimal PurchaseValue);
}
