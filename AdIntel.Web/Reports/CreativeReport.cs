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
/// Per ad (creative): spend, ROAS, CTR, CPA, frequency and a fatigue flag. Fatigue follows the creative-fatigue rule
/// plugin's defaults: against the ad's own first 7 days of delivery, the last 7 days of the period show CTR down at
/// least 30% and frequency up at least 25% (each window with at least 1,000 impressions); or the last 7 days' frequency
/// is above 3.5, the "critical" level practitioners cite (gazeiq.dev, adcow.online).
/// </summary>
public sealed record CreativeReport(DateRange Range, IReadOnlyList<CreativeRow> Rows)
{
    public const int WindowDays = 7;
    public const decimal CtrDrop = 0.30m;
    public const decimal FrequencyRise = 0.25m;
    public const long MinimumImpressions = 1000;
    public const decimal CriticalFrequency = 3.5m;

    public decimal Spend => Rows.Sum(r => r.Spend);
    public long Impressions => Rows.Sum(r => r.Impressions);
    public long Reach => Rows.Sum(r => r.Reach);
    public long Clicks => Rows.Sum(r => r.Clicks);
    public decimal Purchases => Rows.Sum(r => r.Purchases);
    public decimal PurchaseValue => Rows.Sum(r => r.PurchaseValue);

    public static async Task<CreativeReport> BuildAsync(AdIntelDbContext db, DateRange range, CancellationToken cancellationToken)
    {
        // The fatigue baseline is the ad's first week, which may lie before the period: read each ad's days up to the period's end.
        var days = await db.AdInsights.AsNoTracking()
            .Where(i => i.Date <= range.To)
            .Select(i => new InsightDay(i.AdId, i.Date, i.Impressions, i.Reach, i.LinkClicks, i.Spend, i.Purchases, i.PurchaseValue))
            .ToListAsync(cancellationToken);
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
            var history = ad.OrderBy(d => d.Date).ToList();
            rows.Add(new CreativeRow(ad.Key, info.ExternalId, info.Name, info.Campaign, info.CreativeType, info.Status,
                inPeriod.Sum(d => d.Spend), inPeriod.Sum(d => d.Impressions), inPeriod.Sum(d => d.Reach), inPeriod.Sum(d => d.Clicks),
                inPeriod.Sum(d => d.Purchases), inPeriod.Sum(d => d.PurchaseValue), JudgeFatigue(history, range.To)));
        }
        return new CreativeReport(range, rows.OrderByDescending(r => r.Spend).ThenBy(r => r.Name, StringComparer.Ordinal).ToList());
    }

    /// <summary>Why the ad looks fatigued at <paramref name="asOf"/>, or null.</summary>
    private static string? JudgeFatigue(IReadOnlyList<InsightDay> history, DateOnly asOf)
    {
        var firstDay = history[0].Date;
        var baseline = Window.Of(history, firstDay, firstDay.AddDays(WindowDays - 1));
        var recent = Window.Of(history, asOf.AddDays(1 - WindowDays), asOf);
        if (recent.Impressions < MinimumImpressions || recent.Frequency is not { } recentFrequency)
        {
            return null;
        }
        if (recentFrequency > CriticalFrequency)
        {
            return $"Frequency {recentFrequency:0.00} in the last {WindowDays} days (above {CriticalFrequency:0.0})";
        }
        var overlaps = asOf.AddDays(1 - WindowDays) <= firstDay.AddDays(WindowDays - 1);
        if (overlaps || baseline.Impressions < MinimumImpressions || baseline.Ctr is not { } baseCtr || baseCtr == 0
            || recent.Ctr is not { } recentCtr || baseline.Frequency is not { } baseFrequency || baseFrequency == 0)
        {
            return null;
        }
        var drop = (baseCtr - recentCtr) / baseCtr;
        var rise = (recentFrequency - baseFrequency) / baseFrequency;
        return drop >= CtrDrop && rise >= FrequencyRise
            ? $"CTR {baseCtr:0.00%} → {recentCtr:0.00%}, frequency {baseFrequency:0.00} → {recentFrequency:0.00} against its first {WindowDays} days"
            : null;
    }

    private sealed record InsightDay(long AdId, DateOnly Date, long Impressions, long Reach, long Clicks, decimal Spend, decimal Purchases, decimal PurchaseValue);

    private sealed record Window(long Impressions, long Reach, long Clicks)
    {
        public decimal? Ctr => KpiCalculator.Ratio(Clicks, Impressions);
        public decimal? Frequency => KpiCalculator.Ratio(Impressions, Reach);

        public static Window Of(IEnumerable<InsightDay> days, DateOnly from, DateOnly to)
        {
            long impressions = 0, reach = 0, clicks = 0;
            foreach (var day in days)
            {
                if (day.Date >= from && day.Date <= to)
                {
                    impressions += day.Impressions;
                    reach += day.Reach;
                    clicks += day.Clicks;
                }
            }
            return new Window(impressions, reach, clicks);
        }
    }
}
