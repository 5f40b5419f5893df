using System.Net.Http.Json;
using AdIntel.Plugins.Abstractions;
using AdIntel.Web.Brain.Recommendations;
using AdIntel.Web.Domain;
using AdIntel.Web.Rules.Plugins;
using AdIntel.Web.Tests.Metrics;
using AdIntel.Web.Tests.Rules.Plugins;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using static AdIntel.Web.Tests.Brain.Recommendations.RecommendationTestStore;

namespace AdIntel.Web.Tests.Brain.Recommendations;

/// <summary>
/// One scenario per kind of recommendation, on stores built for it: it fires exactly when it should, stays quiet
/// otherwise, and its figures equal the test's own arithmetic on the rows it wrote.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class RecommendationScenarioTests(AppFixture fixture)
{
    private const decimal Price = WinnersAndLosers.Price, Cost = WinnersAndLosers.Cost;

    private Task<WinnersAndLosers> WinnersAndLosersAsync(decimal loserPurchasesOnThirdDay = 0) =>
        WinnersAndLosers.CreateAsync(fixture.SqliteApp, loserPurchasesOnThirdDay);

    [Fact]
    public async Task Scale_and_pause_fire_for_the_winner_and_the_loser_with_their_figures()
    {
        var (store, winners, _, loserAd) = await WinnersAndLosersAsync();

        var recommendations = await store.ComputeAsync();

        Assert.Equal([$"pause:ad:{loserAd}", $"scale:ad_set:{winners}"], recommendations.Select(r => r.Key));
        var marginRate = MarginPerOrder(Price, Cost) / Price;
        var (spend, value, purchases) = (7 * 90m, 7 * 450m, 7 * 9m);
        var poas = value * marginRate / spend;
        var scale = recommendations.Single(r => r.Type == RecommendationTypes.Scale);
        FigureAssert.Has(scale, "poas", FigureUnits.Ratio, poas);
        FigureAssert.Has(scale, "targetPoas", FigureUnits.Ratio, 1.5m);
        FigureAssert.Has(scale, "purchaseValue", FigureUnits.Money, value);
        FigureAssert.Has(scale, "storeMarginRate", FigureUnits.Percent, marginRate);
        FigureAssert.Has(scale, "spend", FigureUnits.Money, spend);
        FigureAssert.Has(scale, "purchases", FigureUnits.Count, purchases);
        FigureAssert.Has(scale, "dailyBudget", FigureUnits.Money, 100m);
        // The daily budget rail (20% by default) caps the step.
        FigureAssert.Has(scale, "proposedDailyBudget", FigureUnits.Money, 120m);
        FigureAssert.Has(scale, "maxBudgetChangePerDay", FigureUnits.Percent, 0.2m);
        FigureAssert.Has(scale, "extraSpendPerDay", FigureUnits.Money, 20m);
        FigureAssert.Has(scale, "impactHigh", FigureUnits.Money, 7 * 20m * (poas - 1));
        FigureAssert.Has(scale, "impactLow", FigureUnits.Money, 7 * 20m * (1.5m - 1));
        Assert.Equal((7 * 20m * (poas - 1) + 70m) / 2, scale.Impact.Expected, 6);
        Assert.InRange(scale.Confidence, 0.999m, 1m);
        Assert.Equal(new RecommendedAction("ad_set", winners, $"s-Winners-{store.StoreId}", "Winners",
            new() { Type = ActionTypes.SetBudget, Amount = 120m }, new(spend, 63000, purchases)), scale.Action);
        Assert.Equal(["ad_set", "campaign"], scale.Entities.Select(e => e.Scope));

        // Target CPA: break-even, the margin one order leaves (60 orders over the last 30 days); the loser spent 315 without a purchase.
        var breakEvenCpa = MarginPerOrder(Price, Cost);
        var chance = (decimal)Math.Exp(-(double)(315m / breakEvenCpa));
        var pause = recommendations.Single(r => r.Type == RecommendationTypes.Pause);
        Assert.Equal(RecommendationPriorities.High, pause.Priority);
        FigureAssert.Has(pause, "spend", FigureUnits.Money, 315m);
        FigureAssert.Has(pause, "purchases", FigureUnits.Count, 0m);
        FigureAssert.Has(pause, "targetCpa", FigureUnits.Money, breakEvenCpa);
        FigureAssert.Has(pause, "spendToTargetCpa", FigureUnits.Ratio, 315m / breakEvenCpa);
        FigureAssert.Has(pause, "chanceIfOnTarget", FigureUnits.Percent, chance);
        FigureAssert.Has(pause, "impactExpected", FigureUnits.Money, 315m * (1 - chance));
        FigureAssert.Has(pause, "impactHigh", FigureUnits.Money, 315m);
        Assert.Equal(ActionTypes.Pause, pause.Action!.Spec.Type);
        Assert.Equal(("ad", loserAd), (pause.Action.Scope, pause.Action.EntityId));
        Assert.Contains("break-even", pause.Figure("targetCpa")!.Window, StringComparison.Ordinal);
        Assert.All(recommendations, r => FigureAssert.NumbersComeFromFigures(r));
    }

    [Fact]
    public async Task Scale_is_quiet_below_the_POAS_target_and_without_the_evidence_the_rails_want()
    {
        var (store, winners, _, _) = await WinnersAndLosersAsync();

        await store.PutTargetsAsync(new { poas = 3 });
        Assert.DoesNotContain(await store.ComputeAsync(), r => r.Type == RecommendationTypes.Scale);

        await store.PutTargetsAsync(new { poas = 2.5 });
        Assert.Contains(await store.ComputeAsync(), r => r.Key == $"scale:ad_set:{winners}");

        using var rails = await store.Api.PutAsJsonAsync("/api/settings/automation", new
        {
            automationMode = "suggestions_only", killSwitch = false, maxBudgetChangePercentPerDay = 20, cooldownHours = 24, maxActionsPerRun = 10,
            maxActionsPerDay = 30, minSpend = 50, minImpressions = 1000, minPurchasesForScaleUp = 64, trackingBreakerEnabled = true, trackingDropPercent = 50,
        });
        Assert.True(rails.IsSuccessStatusCode);
        Assert.DoesNotContain(await store.ComputeAsync(), r => r.Type == RecommendationTypes.Scale);
    }

    [Fact]
    public async Task Scale_proposes_only_what_the_daily_budget_rail_leaves_today()
    {
        var (store, winners, _, _) = await WinnersAndLosersAsync();
        // Someone approved a raise from 100 to 110 earlier today: today's range stays 80 to 120 around the day's first budget.
        await store.App.WithDbAsync(store.StoreId, async db =>
        {
            (await db.AdSets.SingleAsync(a => a.Id == winners)).DailyBudget = 110m;
            db.ActionRecords.Add(new ActionRecord
            {
                Source = "person", EntityScope = "ad_set", EntityId = winners, EntityExternalId = "x", EntityName = "Winners", Type = ActionTypes.SetBudget,
                Status = ActionStatuses.Executed, BudgetBefore = 100m, BudgetAfter = 110m, IdempotencyKey = "raise-" + winners,
                CreatedAtUtc = PinnedDate.UtcNow, ExecutedAtUtc = PinnedDate.UtcNow, DecidedBy = "ada@example.com",
            });
            await db.SaveChangesAsync();
        });

        var scale = Assert.Single(await store.ComputeAsync(), r => r.Type == RecommendationTypes.Scale);
        FigureAssert.Has(scale, "dailyBudget", FigureUnits.Money, 110m);
        FigureAssert.Has(scale, "proposedDailyBudget", FigureUnits.Money, 120m);
        FigureAssert.Has(scale, "extraSpendPerDay", FigureUnits.Money, 10m);

        await store.App.WithDbAsync(store.StoreId, async db =>
        {
            (await db.AdSets.SingleAsync(a => a.Id == winners)).DailyBudget = 120m;
            await db.SaveChangesAsync();
        });
        Assert.DoesNotContain(await store.ComputeAsync(), r => r.Type == RecommendationTypes.Scale);
    }

    [Fact]
    public async Task Pause_is_quiet_under_three_times_the_target_CPA_and_for_an_ad_with_a_purchase()
    {
        var (store, _, _, loserAd) = await WinnersAndLosersAsync();

        // 315 spent is under 3 × 110 = 330.
        await store.PutTargetsAsync(new { cpa = 110 });
        Assert.DoesNotContain(await store.ComputeAsync(), r => r.Type == RecommendationTypes.Pause);
        // Over 3 × 100 = 300: the store's own target applies, named as such.
        await store.PutTargetsAsync(new { cpa = 100 });
        var pause = Assert.Single(await store.ComputeAsync(), r => r.Type == RecommendationTypes.Pause);
        Assert.Equal($"pause:ad:{loserAd}", pause.Key);
        FigureAssert.Has(pause, "targetCpa", FigureUnits.Money, 100m);
        Assert.Equal("your setting", pause.Figure("targetCpa")!.Window);

        var (withPurchase, _, _, _) = await WinnersAndLosersAsync(loserPurchasesOnThirdDay: 1);
        Assert.DoesNotContain(await withPurchase.ComputeAsync(), r => r.Type == RecommendationTypes.Pause);
    }

    /// <summary>
    /// 10 orders a day over 35 days (MER 3.6, on target); an ad reporting 8 purchases a day, and 0 on the last 3 days (the outage) when
    /// <paramref name="outage"/>; a second ad spending 200 a day without any purchase over the last 10 days.
    /// </summary>
    private async Task<(RecommendationTestStore Store, long DudAd)> TrackingStoreAsync(bool outage)
    {
        var store = await CreateAsync(fixture.SqliteApp);
        await store.AddDailyOrdersAsync(days: 35, perDay: 10, price: 60m, unitCost: 20m);
        var steady = await store.AddAdAsync(await store.AddAdSetAsync("Steady", 100m), "Steady video");
        var dud = await store.AddAdAsync(await store.AddAdSetAsync("Dud set", 200m), "Dud");
        await store.AddDeliveryAsync(steady, 35, 1, day =>
            outage && day >= Today.AddDays(-3) ? new Delivery(100m, 10_000, 8000, 150, 0, 0m) : new Delivery(100m, 10_000, 8000, 150, 8, 400m));
        await store.AddDeliveryAsync(dud, 10, 1, _ => new Delivery(200m, 20_000, 15_000, 100, 0, 0m));
        await store.RebuildFactsAsync();
        return (store, dud);
    }

    [Fact]
    public async Task Fix_tracking_fires_when_Meta_purchases_drift_from_Shopify_orders_and_holds_back_pauses()
    {
        var (store, _) = await TrackingStoreAsync(outage: true);

        var recommendations = await store.ComputeAsync();

        var fix = Assert.Single(recommendations);
        Assert.Equal($"fix:tracking:{store.StoreId}", fix.Key);
        Assert.Equal((RecommendationTypes.Fix, RecommendationPriorities.High), (fix.Type, fix.Priority));
        FigureAssert.Has(fix, "brokenDays", FigureUnits.Count, 3);
        FigureAssert.Has(fix, "shopifyOrders", FigureUnits.Count, 30);
        FigureAssert.Has(fix, "platformPurchases", FigureUnits.Count, 0);
        // The usual share is 8 purchases per 10 orders: 8 a day expected.
        FigureAssert.Has(fix, "expectedPlatformPurchases", FigureUnits.Count, 24);
        FigureAssert.Has(fix, "shareOfPurchasesSeen", FigureUnits.Percent, 0);
        FigureAssert.Has(fix, "adSpend", FigureUnits.Money, 3 * 300m);
        FigureAssert.Has(fix, "impactExpected", FigureUnits.Money, 3 * 300m);
        Assert.Equal(1m, fix.Confidence);
        Assert.Null(fix.Action);
        Assert.Contains(Today.AddDays(-3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), fix.Figure("brokenDays")!.Window, StringComparison.Ordinal);
        FigureAssert.NumbersComeFromFigures(fix);

        // With tracking working the dud's zero purchases mean something: its pause comes back, and nothing asks for a fix.
        var (healthy, dud) = await TrackingStoreAsync(outage: false);
        var healthyRecommendations = await healthy.ComputeAsync();
        Assert.DoesNotContain(healthyRecommendations, r => r.Type == RecommendationTypes.Fix);
        Assert.Contains(healthyRecommendations, r => r.Key == $"pause:ad:{dud}");
    }

    [Fact]
    public async Task Refresh_fires_for_the_creatives_the_fatigue_plugin_flags_and_no_other()
    {
        var store = await CreateAsync(fixture.SqliteApp);
        var adSet = await store.AddAdSetAsync("Evergreen", 50m, startedDaysAgo: 40);
        Delivery Usual(DateOnly _) => new(50m, 10_000, 9000, 200, 2, 100m);
        var deliveries = new Dictionary<string, Func<DateOnly, Delivery>>
        {
            // Last 7 days: CTR 2% → 1%, frequency 1.11 → 2.
            ["Tired video"] = day => day >= Today.AddDays(-7) ? new(50m, 10_000, 5000, 100, 2, 100m) : Usual(day),
            // Last 7 days: frequency 4, above the critical 3.5, CTR steady.
            ["Worn carousel"] = day => day >= Today.AddDays(-7) ? new(50m, 10_000, 2500, 200, 2, 100m) : Usual(day),
            ["Steady image"] = Usual,
        };
        var ads = new Dictionary<string, long>();
        foreach (var (name, delivery) in deliveries)
        {
            ads[name] = await store.AddAdAsync(adSet, name);
            await store.AddDeliveryAsync(ads[name], 30, 1, delivery);
        }
        await store.RebuildFactsAsync();

        var recommendations = await store.ComputeAsync();

        using var folders = new PluginFolders(PluginFolders.CreativeFatigue);
        var plugin = PluginLoader.Load(folders.Directory, NullLogger.Instance).Find("adintel.creative-fatigue")!.Instance;
        foreach (var (name, delivery) in deliveries)
        {
            var history = Enumerable.Range(1, 30).Select(ago => Today.AddDays(-31 + ago)).Select(day =>
            {
                var d = delivery(day);
                return new DailyDelivery(day, (double)d.Spend, d.Impressions, d.Reach, d.Clicks, (double)d.Purchases, (double)d.PurchaseValue);
            }).ToList();
            var outcome = plugin.Evaluate(new PluginEvaluationContext
            {
                Entity = new PluginEntity { Scope = "ad", Id = ads[name], ExternalId = "x", Name = name, Status = "ACTIVE", Values = new Dictionary<string, double?>(), History = history },
                Parameters = plugin.Parameters.ToDictionary(p => p.Name, p => p.DefaultValue),
                AsOf = new DateTimeOffset(PinnedDate.UtcNow, TimeSpan.Zero),
                Today = Today,
            });
            Assert.True(outcome.Matched == recommendations.Any(r => r.Key == $"test:ad:{ads[name]}"), $"{name}: plugin says {outcome.Reason}");
        }

        var tired = recommendations.Single(r => r.Key == $"test:ad:{ads["Tired video"]}");
        FigureAssert.Has(tired, "ctrFirstDays", FigureUnits.Percent, 1400m / 70_000m);
        FigureAssert.Has(tired, "ctr", FigureUnits.Percent, 700m / 70_000m);
        FigureAssert.Has(tired, "ctrDrop", FigureUnits.Percent, 0.5m);
        FigureAssert.Has(tired, "frequencyFirstDays", FigureUnits.Ratio, 70_000m / 63_000m);
        FigureAssert.Has(tired, "frequency", FigureUnits.Ratio, 2m);
        FigureAssert.Has(tired, "frequencyRise", FigureUnits.Percent, (2m - 70_000m / 63_000m) / (70_000m / 63_000m));
        FigureAssert.Has(tired, "spend", FigureUnits.Money, 350m);
        FigureAssert.Has(tired, "impactExpected", FigureUnits.Money, 175m);
        Assert.InRange(tired.Confidence, 0.999m, 1m);

        var worn = recommendations.Single(r => r.Key == $"test:ad:{ads["Worn carousel"]}");
        FigureAssert.Has(worn, "frequency", FigureUnits.Ratio, 4m);
        FigureAssert.Has(worn, "criticalFrequency", FigureUnits.Ratio, 3.5m);
        FigureAssert.Has(worn, "impactExpected", FigureUnits.Money, 350m * (4m - 3.5m) / 4m);
        Assert.All(recommendations, r => Assert.Equal(RecommendationTypes.Test, r.Type));
        Assert.All(recommendations, r => FigureAssert.NumbersComeFromFigures(r));
    }

    [Fact]
    public async Task Ad_sets_in_learning_are_protected_and_learning_limited_ones_are_not()
    {
        var store = await CreateAsync(fixture.SqliteApp);
        var fresh = await store.AddAdSetAsync("Fresh", 30m, startedDaysAgo: 3);
        var edited = await store.AddAdSetAsync("Edited", 80m, startedDaysAgo: 60, lastEditUtc: PinnedDate.UtcNow.AddDays(-1));
        var limited = await store.AddAdSetAsync("Limited", 40m, startedDaysAgo: 30);
        await store.AddDeliveryAsync(await store.AddAdAsync(fresh, "Fresh ad"), 3, 1, _ => new Delivery(30m, 3000, 2500, 40, 1, 60m));
        await store.AddDeliveryAsync(await store.AddAdAsync(edited, "Edited ad"), 10, 1, _ => new Delivery(80m, 8000, 6000, 90, 10, 600m));
        await store.AddDeliveryAsync(await store.AddAdAsync(limited, "Limited ad"), 30, 1, _ => new Delivery(40m, 4000, 3000, 50, 2, 90m));
        await store.RebuildFactsAsync();

        var recommendations = await store.ComputeAsync();

        // Both low priority, the larger spend at stake first.
        Assert.Equal([$"monitor:ad_set:{fresh}", $"monitor:ad_set:{edited}"], recommendations.Select(r => r.Key));
        var launched = recommendations.Single(r => r.Key == $"monitor:ad_set:{fresh}");
        FigureAssert.Has(launched, "purchases", FigureUnits.Count, 3);
        FigureAssert.Has(launched, "purchasesToLeaveLearning", FigureUnits.Count, 50);
        FigureAssert.Has(launched, "daysSinceRestart", FigureUnits.Days, 3);
        FigureAssert.Has(launched, "daysLeft", FigureUnits.Days, 4);
        FigureAssert.Has(launched, "spendWhileLearning", FigureUnits.Money, 90m);
        Assert.Contains("launched", launched.Reasoning, StringComparison.Ordinal);
        // Out of learning by purchases (70 in 7 days) but edited a day ago: learning again, and no scaling.
        var again = recommendations.Single(r => r.Key == $"monitor:ad_set:{edited}");
        FigureAssert.Has(again, "purchases", FigureUnits.Count, 70);
        FigureAssert.Has(again, "daysSinceRestart", FigureUnits.Days, 1);
        FigureAssert.Has(again, "spendWhileLearning", FigureUnits.Money, 80m);
        Assert.Contains("edited", again.Reasoning, StringComparison.Ordinal);
        Assert.All(recommendations, r => Assert.Null(r.Action));
        Assert.All(recommendations, r => FigureAssert.NumbersComeFromFigures(r));
    }

    [Fact]
    public async Task Product_costs_warning_fires_below_80_percent_cogs_coverage_only()
    {
        var store = await CreateAsync(fixture.SqliteApp);
        await store.AddDailyOrdersAsync(days: 30, perDay: 1, price: 100m, unitCost: 30m);
        await store.AddDailyOrdersAsync(days: 30, perDay: 1, price: 60m, unitCost: null);
        await store.RebuildFactsAsync();

        var fix = Assert.Single(await store.ComputeAsync());

        Assert.Equal(($"fix:product_costs:{store.StoreId}", RecommendationPriorities.Medium), (fix.Key, fix.Priority));
        var netSales = 30 * 160m;
        // 3,000 of 4,800 line sales have a cost.
        FigureAssert.Has(fix, "cogsCoverage", FigureUnits.Percent, 0.625m);
        FigureAssert.Has(fix, "lineItems", FigureUnits.Count, 60);
        FigureAssert.Has(fix, "lineItemsWithoutCost", FigureUnits.Count, 30);
        FigureAssert.Has(fix, "cogs", FigureUnits.Money, 900m);
        FigureAssert.Has(fix, "contributionMargin", FigureUnits.Money, netSales - 900m - (netSales * FeePercent / 100m + 60 * FeeFixed));
        // Missing costs at the costed sales' cost ratio (900 of 3,000) of what the uncosted items sold for (1,800), at most all of it.
        FigureAssert.Has(fix, "impactExpected", FigureUnits.Money, 540m);
        FigureAssert.Has(fix, "impactHigh", FigureUnits.Money, 1800m);
        FigureAssert.NumbersComeFromFigures(fix);

        var covered = await CreateAsync(fixture.SqliteApp);
        await covered.AddDailyOrdersAsync(days: 30, perDay: 9, price: 100m, unitCost: 30m);
        await covered.AddDailyOrdersAsync(days: 30, perDay: 1, price: 60m, unitCost: null);
        await covered.RebuildFactsAsync();
        Assert.Empty(await covered.ComputeAsync());
    }

    [Fact]
    public async Task Mer_below_target_and_falling_is_flagged_and_quiet_when_on_target_or_rising()
    {
        // 2 orders of 100 a day over 60 days; ad spend 40 a day in the 30 days before the last 30, then 100 a day: MER 5 → 2.
        async Task<RecommendationTestStore> StoreAsync(decimal spendBefore)
        {
            var store = await CreateAsync(fixture.SqliteApp);
            await store.AddDailyOrdersAsync(days: 60, perDay: 2, Price, Cost);
            var ad = await store.AddAdAsync(await store.AddAdSetAsync("Always on", null, startedDaysAgo: 90), "Always on ad");
            await store.AddDeliveryAsync(ad, 60, 1, day => new Delivery(day < Today.AddDays(-30) ? spendBefore : 100m, 5000, 4000, 60, 2, 200m));
            await store.RebuildFactsAsync();
            return store;
        }

        var falling = await StoreAsync(spendBefore: 40m);
        var mer = Assert.Single(await falling.ComputeAsync());
        Assert.Equal(($"monitor:mer:{falling.StoreId}", RecommendationPriorities.Medium), (mer.Key, mer.Priority));
        FigureAssert.Has(mer, "mer", FigureUnits.Ratio, 2m);
        FigureAssert.Has(mer, "merBefore", FigureUnits.Ratio, 5m);
        FigureAssert.Has(mer, "targetMer", FigureUnits.Ratio, 3m);
        FigureAssert.Has(mer, "marketingSpend", FigureUnits.Money, 3000m);
        FigureAssert.Has(mer, "totalSales", FigureUnits.Money, 6000m);
        FigureAssert.Has(mer, "marketingSpendAtTarget", FigureUnits.Money, 2000m);
        FigureAssert.Has(mer, "impactExpected", FigureUnits.Money, 1000m);
        FigureAssert.NumbersComeFromFigures(mer);

        await falling.PutTargetsAsync(new { mer = 1.5 });
        Assert.Empty(await falling.ComputeAsync());

        // Below target but rising (MER 1.5 → 2): not a trend to act on yet.
        var rising = await StoreAsync(spendBefore: 200m / 1.5m);
        Assert.Empty(await rising.ComputeAsync());
    }

    [Fact]
    public async Task Ltv_to_cac_below_target_and_falling_is_flagged_with_the_cac_the_target_allows()
    {
        var store = await CreateAsync(fixture.SqliteApp);
        // A cohort a year old: 10 customers who each brought 100 − 40 of gross profit (LTV 60).
        // Then 10 new customers in each of the two last 30-day periods, for ad spend of 5 and then 10 a day: CAC 15 → 30, LTV:CAC 4 → 2.
        var orders = new List<Order>();
        for (var n = 0; n < 30; n++)
        {
            var ago = n < 10 ? 400 : n < 20 ? 31 + (n - 10) * 2 : 1 + (n - 20) * 2;
            var customer = await store.App.AddCustomerAsync(store.StoreId, $"c{n}-{store.StoreId}");
            orders.Add(StoreDataBuilder.Order($"o{n}", Today.AddDays(-ago), customer, lines: [StoreDataBuilder.Line(1, Price, Cost)]));
        }
        await store.App.AddOrdersAsync(store.StoreId, [.. orders]);
        var ad = await store.AddAdAsync(await store.AddAdSetAsync("Prospecting", null, startedDaysAgo: 90), "Prospecting ad");
        await store.AddDeliveryAsync(ad, 60, 1, day => new Delivery(day < Today.AddDays(-30) ? 5m : 10m, 1000, 900, 10, 1, 50m));
        await store.RebuildFactsAsync();

        var recommendation = Assert.Single(await store.ComputeAsync());

        Assert.Equal($"monitor:ltv_to_cac:{store.StoreId}", recommendation.Key);
        FigureAssert.Has(recommendation, "ltv", FigureUnits.Money, 60m);
        FigureAssert.Has(recommendation, "cac", FigureUnits.Money, 30m);
        FigureAssert.Has(recommendation, "ltvToCac", FigureUnits.Ratio, 2m);
        FigureAssert.Has(recommendation, "ltvToCacBefore", FigureUnits.Ratio, 4m);
        FigureAssert.Has(recommendation, "cacAtTarget", FigureUnits.Money, 20m);
        FigureAssert.Has(recommendation, "newCustomers", FigureUnits.Count, 10);
        FigureAssert.Has(recommendation, "impactExpected", FigureUnits.Money, (30m - 20m) * 10);
        FigureAssert.NumbersComeFromFigures(recommendation);

        await store.PutTargetsAsync(new { ltvToCac = 1.5 });
        Assert.Empty(await store.ComputeAsync());
    }
}
