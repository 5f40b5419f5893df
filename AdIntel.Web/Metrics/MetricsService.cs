using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Metrics;

/// <summary>
/// The current store's metrics for any range of store-local days, read from <see cref="DailyStoreFacts"/> (a range is
/// a sum over at most a few hundred rows) plus the store's cost settings and its cached LTV curve.
/// </summary>
public sealed class MetricsService(AdIntelDbContext db, StoreClock clock, LtvCurveProvider ltvCurves)
{
    public async Task<KpiSet> GetKpisAsync(DateRange range, CancellationToken cancellationToken)
    {
        var inputs = await LoadInputsAsync(range, cancellationToken);
        return Compute(range, inputs.Facts, inputs);
    }

    /// <summary>The period's metrics and those of the period of equal length right before it, read in one go.</summary>
    public async Task<KpiComparison> GetComparisonAsync(DateRange range, CancellationToken cancellationToken)
    {
        var previous = range.GetPreviousPeriod();
        var inputs = await LoadInputsAsync(new DateRange(previous.From, range.To), cancellationToken);
        return new KpiComparison(
            Compute(range, inputs.Facts.Where(f => range.Contains(f.Date)), inputs),
            Compute(previous, inputs.Facts.Where(f => previous.Contains(f.Date)), inputs));
    }

    /// <summary>
    /// The metrics of each of <paramref name="periods"/> (consecutive, inside <paramref name="range"/>) and of the whole
    /// range, from one read of the facts: the reports' P&amp;L by month or week, with the same numbers as the overview.
    /// </summary>
    public async Task<(IReadOnlyList<KpiSet> Periods, KpiSet Total)> GetKpisByPeriodAsync(DateRange range, IReadOnlyList<DateRange> periods,
        CancellationToken cancellationToken)
    {
        var inputs = await LoadInputsAsync(range, cancellationToken);
        var byPeriod = periods.Select(period => Compute(period, inputs.Facts.Where(f => period.Contains(f.Date)), inputs)).ToList();
        return (byPeriod, Compute(range, inputs.Facts, inputs));
    }

    /// <summary>One point per day of <paramref name="range"/>, days without data included (as zeros).</summary>
    public async Task<IReadOnlyList<DailyPoint>> GetDailySeriesAsync(DateRange range, CancellationToken cancellationToken)
    {
        var inputs = await LoadInputsAsync(range, cancellationToken);
        var byDate = inputs.Facts.ToDictionary(f => f.Date);
        return range.EachDay()
            .Select(day => new DailyPoint(day, Compute(new DateRange(day, day), byDate.TryGetValue(day, out var facts) ? [facts] : [], inputs)))
            .ToList();
    }

    /// <summary>
    /// The store's targets (Settings → Targets) and the break-even CPA over the last <see cref="StoreTargets.BreakEvenCpaDays"/>
    /// complete days, the target CPA of stores that set none.
    /// </summary>
    public async Task<StoreTargetsNow> GetTargetsAsync(CancellationToken cancellationToken)
    {
        var today = await clock.GetTodayAsync(cancellationToken);
        var window = new DateRange(today.AddDays(-StoreTargets.BreakEvenCpaDays), today.AddDays(-1));
        var inputs = await LoadInputsAsync(window, cancellationToken);
        return new StoreTargetsNow(StoreTargets.From(inputs.Settings), StoreTargets.BreakEvenCpa(Compute(window, inputs.Facts, inputs)), window);
    }

    /// <summary>Whether the store has any sales or ad data at all (the overview shows its empty state otherwise).</summary>
    public Task<bool> HasDataAsync(CancellationToken cancellationToken) => db.DailyFacts.AnyAsync(cancellationToken);

    /// <summary>
    /// Each campaign's delivery in the period with an estimated profit (<see cref="KpiCalculator.EstimatedProfit"/>).
    /// Campaigns without spend are left out.
    /// </summary>
    public async Task<IReadOnlyList<CampaignProfit>> GetCampaignProfitsAsync(KpiSet period, CancellationToken cancellationToken)
    {
        var range = period.Period;
        var delivery = await db.AdInsights.AsNoTracking()
            .Where(i => i.Date >= range.From && i.Date <= range.To)
            .Join(db.Ads, i => i.AdId, a => a.Id, (i, a) => new { a.CampaignId, i.Spend, i.PurchaseValue, i.Purchases })
            .GroupBy(x => x.CampaignId)
            .Select(g => new { CampaignId = g.Key, Spend = g.Sum(x => x.Spend), PurchaseValue = g.Sum(x => x.PurchaseValue), Purchases = g.Sum(x => x.Purchases) })
            .ToListAsync(cancellationToken);
        var ids = delivery.Select(d => d.CampaignId).ToList();
        var campaigns = await db.Campaigns.AsNoTracking().Where(c => ids.Contains(c.Id))
            .Select(c => new { c.Id, c.Name, c.Status })
            .ToDictionaryAsync(c => c.Id, cancellationToken);

        var marginRatio = period.MarginPerSale;
        return delivery
            .Where(d => d.Spend > 0 && campaigns.ContainsKey(d.CampaignId))
            .Select(d => new CampaignProfit(
                d.CampaignId,
                campaigns[d.CampaignId].Name,
                campaigns[d.CampaignId].Status,
                d.Spend,
                d.PurchaseValue,
                d.Purchases,
                KpiCalculator.Ratio(d.PurchaseValue, d.Spend),
                KpiCalculator.EstimatedProfit(d.PurchaseValue, d.Spend, marginRatio)))
            .ToList();
    }

    private async Task<MetricInputs> LoadInputsAsync(DateRange range, CancellationToken cancellationToken)
    {
        var today = await clock.GetTodayAsync(cancellationToken);
        // A store without a settings row uses the defaults the settings screen starts from.
        var settings = await db.StoreSettings.AsNoTracking().FirstOrDefaultAsync(cancellationToken) ?? new StoreSettings();
        var facts = await db.DailyFacts.AsNoTracking()
            .Where(f => f.Date >= range.From && f.Date <= range.To)
            .ToListAsync(cancellationToken);
        var ltv = await ltvCurves.GetAsync(today, cancellationToken);
        return new MetricInputs(today, settings, facts, ltv);
    }

    private static KpiSet Compute(DateRange range, IEnumerable<DailyStoreFacts> facts, MetricInputs inputs) =>
        KpiCalculator.Compute(range, FactTotals.Sum(facts), inputs.Settings,
            KpiCalculator.OtherMarketingSpend(range, inputs.Settings.OtherMarketingCostPerMonth, inputs.Today), inputs.Ltv);

    private sealed record MetricInputs(DateOnly Today, StoreSettings Settings, List<DailyStoreFacts> Facts, LtvCurve Ltv);
}

public sealed record KpiComparison(KpiSet Current, KpiSet Previous);

/// <summary>The store's targets with today's break-even CPA (over <paramref name="BreakEvenWindow"/>) for the target CPA it may default to.</summary>
public sealed record StoreTargetsNow(StoreTargets Targets, decimal? BreakEvenCpa, DateRange BreakEvenWindow)
{
    /// <summary>The CPA ads are judged against: the store's setting, else break-even (null when neither exists).</summary>
    public decimal? Cpa => Targets.Cpa ?? BreakEvenCpa;

    /// <summary>"setting" or "breakEven".</summary>
    public string CpaBasis => Targets.Cpa is null ? "breakEven" : "setting";
}

/// <summary>A campaign's delivery in a period and its estimated profit (see <see cref="MetricsService.GetCampaignProfitsAsync"/>).</summary>
public sealed record CampaignProfit(long CampaignId, string Name, string Status, decimal Spend, decimal PurchaseValue, decimal Purchases,
    decimal? Roas, decimal? EstimatedProfit);
