using System.Globalization;
using AdIntel.Web.Brain.Recommendations;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Tests.Brain.Recommendations;

/// <summary>
/// The demo store's recommendations, every figure recomputed here from its rows (insights, ad sets, daily facts,
/// settings, executed actions) with the definitions docs/recommendations.md gives, and every number of their texts a figure.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class DemoStoreRecommendationTests(AppFixture fixture)
{
    [Fact]
    public async Task Every_figure_of_the_demo_stores_recommendations_matches_its_data()
    {
        var app = fixture.SqliteApp;
        var recommendations = await app.WithServiceAsync<RecommendationService, IReadOnlyList<Recommendation>>(app.DemoStoreId,
            s => s.ComputeAsync(CancellationToken.None));
        var data = await app.WithDbAsync(app.DemoStoreId, DemoData.LoadAsync);

        Assert.NotEmpty(recommendations);
        foreach (var r in recommendations)
        {
            FigureAssert.NumbersComeFromFigures(r, data.Currency);
            var id = long.Parse(r.Key[(r.Key.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
            switch (r.Type)
            {
                case RecommendationTypes.Scale:
                    CheckScale(r, data, id);
                    break;
                case RecommendationTypes.Pause:
                    CheckPause(r, data, id);
                    break;
                case RecommendationTypes.Test:
                    CheckFatigue(r, data, id);
                    break;
                case RecommendationTypes.Monitor when r.Key.StartsWith("monitor:mer:", StringComparison.Ordinal):
                    CheckMer(r, data);
                    break;
                case RecommendationTypes.Monitor when r.Key.StartsWith("monitor:ltv_to_cac:", StringComparison.Ordinal):
                    CheckLtvToCac(r, data);
                    break;
                case RecommendationTypes.Monitor:
                    CheckLearning(r, data, id);
                    break;
                case RecommendationTypes.Fix when r.Key.StartsWith("fix:tracking:", StringComparison.Ordinal):
                    CheckTracking(r, data);
                    break;
                case RecommendationTypes.Fix:
                    CheckProductCosts(r, data);
                    break;
                default:
                    Assert.Fail($"Unknown type {r.Type}");
                    break;
            }
        }
    }

    private static void CheckScale(Recommendation r, DemoData data, long adSetId)
    {
        var delivery = data.AdSetDelivery(adSetId, data.Today.AddDays(-7), data.Yesterday);
        var marginRate = data.Margin(data.Today.AddDays(-7)) / data.TotalSales(data.Today.AddDays(-7));
        var poas = delivery.PurchaseValue * marginRate / delivery.Spend;
        FigureAssert.Has(r, "spend", FigureUnits.Money, delivery.Spend);
        FigureAssert.Has(r, "purchaseValue", FigureUnits.Money, delivery.PurchaseValue);
        FigureAssert.Has(r, "purchases", FigureUnits.Count, delivery.Purchases);
        FigureAssert.Has(r, "storeMarginRate", FigureUnits.Percent, marginRate);
        FigureAssert.Has(r, "poas", FigureUnits.Ratio, poas);
        Assert.True(poas > (data.Settings.TargetPoas ?? 1.5m), $"{r.Key}: POAS {poas} does not beat the target");
        var budget = data.AdSets[adSetId].DailyBudget!.Value;
        // The rail: at most the day's first budget + 20%, rounded down to the cent.
        var baseline = data.BudgetBeforeToday(adSetId) ?? budget;
        var limit = Math.Floor(baseline * (1 + (data.Settings.MaxBudgetChangePercentPerDay ?? 20m) / 100m) * 100m) / 100m;
        FigureAssert.Has(r, "dailyBudget", FigureUnits.Money, budget);
        FigureAssert.Has(r, "proposedDailyBudget", FigureUnits.Money, limit);
        FigureAssert.Has(r, "impactHigh", FigureUnits.Money, 7 * (limit - budget) * (poas - 1));
        Assert.Equal(limit, r.Action!.Spec.Amount);
    }

    private static void CheckPause(Recommendation r, DemoData data, long adId)
    {
        var delivery = data.AdDelivery(adId, data.Today.AddDays(-7), data.Yesterday);
        var cpa = data.Settings.TargetCpa ?? data.Margin(data.Today.AddDays(-30)) / data.Orders(data.Today.AddDays(-30));
        FigureAssert.Has(r, "spend", FigureUnits.Money, delivery.Spend);
        FigureAssert.Has(r, "purchases", FigureUnits.Count, 0);
        Assert.Equal(0, delivery.Purchases);
        FigureAssert.Has(r, "targetCpa", FigureUnits.Money, cpa);
        Assert.True(delivery.Spend > 3 * cpa);
    }

    private static void CheckFatigue(Recommendation r, DemoData data, long adId)
    {
        var first = data.Insights.Where(i => i.AdId == adId && i.Date <= data.Today).Min(i => i.Date);
        var baseline = data.AdDelivery(adId, first, first.AddDays(6));
        var recent = data.AdDelivery(adId, data.Today.AddDays(-7), data.Yesterday);
        FigureAssert.Has(r, "spend", FigureUnits.Money, recent.Spend);
        FigureAssert.Has(r, "frequency", FigureUnits.Ratio, (decimal)recent.Impressions / recent.Reach);
        if (r.Figure("ctrFirstDays") is not null)
        {
            FigureAssert.Has(r, "ctrFirstDays", FigureUnits.Percent, (decimal)baseline.Clicks / baseline.Impressions);
            FigureAssert.Has(r, "ctr", FigureUnits.Percent, (decimal)recent.Clicks / recent.Impressions);
        }
        if (r.Figure("frequencyFirstDays") is not null)
        {
            FigureAssert.Has(r, "frequencyFirstDays", FigureUnits.Ratio, (decimal)baseline.Impressions / baseline.Reach);
        }
        if (r.Figure("ctrFirstDays") is { } firstDays)
        {
            Assert.EndsWith(first.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + " to " + first.AddDays(6).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                firstDays.Window, StringComparison.Ordinal);
        }
    }

    private static void CheckLearning(Recommendation r, DemoData data, long adSetId)
    {
        var adSet = data.AdSets[adSetId];
        var edited = adSet.LastSignificantEditAtUtc is { } at ? DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(at, data.TimeZone)) : (DateOnly?)null;
        var restart = new[] { edited, adSet.StartDate }.Where(d => d is not null).Max()!.Value;
        FigureAssert.Has(r, "purchases", FigureUnits.Count, data.AdSetDelivery(adSetId, data.Today.AddDays(-7), data.Yesterday).Purchases);
        FigureAssert.Has(r, "daysSinceRestart", FigureUnits.Days, data.Today.DayNumber - restart.DayNumber);
        FigureAssert.Has(r, "spendWhileLearning", FigureUnits.Money, data.AdSetDelivery(adSetId, restart, data.Yesterday).Spend);
    }

    private static void CheckMer(Recommendation r, DemoData data)
    {
        var (last, before) = (data.Today.AddDays(-30), data.Today.AddDays(-60));
        var mer = data.TotalSales(last) / data.MarketingSpend(last, data.Yesterday);
        var merBefore = data.TotalSales(before, last.AddDays(-1)) / data.MarketingSpend(before, last.AddDays(-1));
        FigureAssert.Has(r, "totalSales", FigureUnits.Money, data.TotalSales(last));
        FigureAssert.Has(r, "marketingSpend", FigureUnits.Money, data.MarketingSpend(last, data.Yesterday));
        FigureAssert.Has(r, "mer", FigureUnits.Ratio, mer);
        FigureAssert.Has(r, "merBefore", FigureUnits.Ratio, merBefore);
        Assert.True(mer < merBefore && mer <= (data.Settings.TargetMer ?? 3m), $"MER {mer} (before {merBefore}) is not below target and falling");
    }

    private static void CheckLtvToCac(Recommendation r, DemoData data)
    {
        var last = data.Today.AddDays(-30);
        var newCustomers = data.FactsFrom(last).Sum(f => f.NewCustomers);
        var cac = data.MarketingSpend(last, data.Yesterday) / newCustomers;
        FigureAssert.Has(r, "newCustomers", FigureUnits.Count, newCustomers);
        FigureAssert.Has(r, "cac", FigureUnits.Money, cac);
        FigureAssert.Has(r, "ltvToCac", FigureUnits.Ratio, r.Figure("ltv")!.Value / cac);
    }

    private static void CheckTracking(Recommendation r, DemoData data)
    {
        var days = r.Figure("brokenDays")!.Window["broken days: ".Length..].Split(", ").Select(d => DateOnly.ParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList();
        var facts = data.Facts.Where(f => days.Contains(f.Date)).ToList();
        FigureAssert.Has(r, "brokenDays", FigureUnits.Count, days.Count);
        FigureAssert.Has(r, "shopifyOrders", FigureUnits.Count, facts.Sum(f => f.Orders));
        FigureAssert.Has(r, "platformPurchases", FigureUnits.Count, facts.Sum(f => f.PlatformPurchases));
        FigureAssert.Has(r, "adSpend", FigureUnits.Money, facts.Sum(f => f.AdSpend));
    }

    private static void CheckProductCosts(Recommendation r, DemoData data)
    {
        var facts = data.FactsFrom(data.Today.AddDays(-30)).ToList();
        var lines = facts.Sum(f => f.LineItems);
        var costed = facts.Sum(f => f.LineItemsWithCost);
        FigureAssert.Has(r, "lineItems", FigureUnits.Count, lines);
        FigureAssert.Has(r, "lineItemsWithoutCost", FigureUnits.Count, lines - costed);
        FigureAssert.Has(r, "cogsCoverage", FigureUnits.Percent, (decimal)costed / lines);
        FigureAssert.Has(r, "cogs", FigureUnits.Money, facts.Sum(f => f.Cogs));
        FigureAssert.Has(r, "contributionMargin", FigureUnits.Money, data.Margin(data.Today.AddDays(-30)));
    }

    /// <summary>The demo store's rows, read once.</summary>
    private sealed record DemoData(string Currency, TimeZoneInfo TimeZone, DateOnly Today, StoreSettings Settings, List<DailyStoreFacts> Facts,
        List<AdInsightDaily> Insights, Dictionary<long, long> AdSetOfAd, Dictionary<long, AdSet> AdSets, List<ActionRecord> BudgetChangesToday)
    {
        public DateOnly Yesterday => Today.AddDays(-1);

        public static async Task<DemoData> LoadAsync(AdIntelDbContext db)
        {
            var store = await db.Stores.SingleAsync(s => s.Id == db.CurrentStoreId);
            var timeZone = TimeZoneInfo.FindSystemTimeZoneById(store.TimeZone);
            var now = PinnedDate.UtcNow;
            var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(now, timeZone));
            var dayStart = TimeZoneInfo.ConvertTimeToUtc(today.ToDateTime(TimeOnly.MinValue), timeZone);
            return new DemoData(store.Currency, timeZone, today, await db.StoreSettings.AsNoTracking().SingleAsync(),
                await db.DailyFacts.AsNoTracking().ToListAsync(), await db.AdInsights.AsNoTracking().ToListAsync(),
                await db.Ads.AsNoTracking().ToDictionaryAsync(a => a.Id, a => a.AdSetId), await db.AdSets.AsNoTracking().ToDictionaryAsync(a => a.Id),
                await db.ActionRecords.AsNoTracking().Where(a => a.ExecutedAtUtc >= dayStart && a.BudgetBefore != null && a.EntityScope == "ad_set"
                    && (a.Type == "set_budget" || a.Type == "scale_budget")).OrderBy(a => a.ExecutedAtUtc).ToListAsync());
        }

        public IEnumerable<DailyStoreFacts> FactsFrom(DateOnly first, DateOnly? last = null) => Facts.Where(f => f.Date >= first && f.Date <= (last ?? Yesterday));

        public int Orders(DateOnly first) => FactsFrom(first).Sum(f => f.Orders);

        public decimal TotalSales(DateOnly first, DateOnly? last = null) => FactsFrom(first, last).Sum(f => f.GrossSales - f.Discounts - f.Returns + f.Shipping + f.Taxes);

        /// <summary>Ad spend + other marketing costs, each day carrying its month's amount ÷ the month's days.</summary>
        public decimal MarketingSpend(DateOnly first, DateOnly last)
        {
            var other = 0m;
            for (var day = first; day <= last; day = day.AddDays(1))
            {
                other += Settings.OtherMarketingCostPerMonth / DateTime.DaysInMonth(day.Year, day.Month);
            }
            return FactsFrom(first, last).Sum(f => f.AdSpend) + other;
        }

        /// <summary>Contribution margin: net sales − COGS + shipping charged − shipping costs − payment fees.</summary>
        public decimal Margin(DateOnly first) => FactsFrom(first).Sum(f => f.GrossSales - f.Discounts - f.Returns - f.Cogs + f.Shipping
            - f.Orders * Settings.ShippingCostPerOrder - (f.OrderTotals * Settings.PaymentFeePercent / 100m + f.Orders * Settings.PaymentFeeFixed));

        public decimal? BudgetBeforeToday(long adSetId) => BudgetChangesToday.FirstOrDefault(a => a.EntityId == adSetId)?.BudgetBefore;

        public Delivery AdDelivery(long adId, DateOnly first, DateOnly last) => Sum(Insights.Where(i => i.AdId == adId && i.Date >= first && i.Date <= last));

        public Delivery AdSetDelivery(long adSetId, DateOnly first, DateOnly last) =>
            Sum(Insights.Where(i => AdSetOfAd.GetValueOrDefault(i.AdId) == adSetId && i.Date >= first && i.Date <= last));

        private static Delivery Sum(IEnumerable<AdInsightDaily> rows)
        {
            var list = rows.ToList();
            return new Delivery(list.Sum(i => i.Spend), list.Sum(i => i.Impressions), list.Sum(i => i.Reach), list.Sum(i => i.LinkClicks),
                list.Sum(i => i.Purchases), list.Sum(i => i.PurchaseValue));
        }
    }
}
