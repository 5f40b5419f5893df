using AdIntel.Web.Brain.Planner;
using AdIntel.Web.Demo;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Options;

namespace AdIntel.Web.Tests.Brain.Planner;

/// <summary>
/// The demo store as the app seeds it by default (50,000 orders): its ad sets test budgets and answer with diminishing
/// returns, so the planner has curves to fit and budget worth moving. (The tests' app seeds a much smaller store, whose
/// few purchases a day per budget are mostly noise; the planner rightly fits nothing there.)
/// </summary>
public sealed class DemoStorePlannerTests
{
    private const double Margin = 0.5;

    [Fact]
    public void Default_demo_store_has_budgets_with_diminishing_returns_and_budget_worth_moving()
    {
        var today = DateOnly.FromDateTime(PinnedDate.UtcNow);
        var store = DemoStoreGenerator.Generate(new DemoOptions(), today);
        var from = today.AddDays(-90);
        var orders = store.Orders.Where(o => o.CountsAsSale && o.LocalDate >= from).GroupBy(o => o.LocalDate).ToDictionary(g => g.Key, g => g.Count());
        var median = orders.Values.Order().ElementAt(orders.Count / 2);
        bool Excluded(DateOnly day) => (day >= store.TrackingOutageFrom && day <= store.TrackingOutageTo) || orders.GetValueOrDefault(day) > 1.5 * median;
        var ads = store.Ads.ToDictionary(a => a.Id);
        var insights = store.Insights.Where(i => i.Date >= from && !Excluded(i.Date)).ToList();

        var holders = new List<BudgetHolder>();
        var fits = new List<(LogSpendResponse Curve, double Spend)>();
        foreach (var campaign in store.Campaigns.Where(c => c.Status == EntityStatus.Active && c.Objective == "OUTCOME_SALES"))
        {
            var budgets = campaign.DailyBudget is { } campaignBudget
                ? [(campaign.Id, campaignBudget, insights.Where(i => ads[i.AdId].CampaignId == campaign.Id).ToList())]
                : store.AdSets.Where(s => s.CampaignId == campaign.Id && s.Status == EntityStatus.Active && s.DailyBudget > 0)
                    .Select(s => (s.Id, s.DailyBudget!.Value, insights.Where(i => ads[i.AdId].AdSetId == s.Id).ToList())).ToList();
            foreach (var (id, budget, rows) in budgets)
            {
                var days = rows.GroupBy(r => r.Date).Select(g => new SpendDay(g.Key, (double)g.Sum(r => r.Spend), (double)g.Sum(r => r.PurchaseValue))).ToList();
                var fit = SpendResponseFitter.Fit(days, (int)id);
                var spend = days.Where(d => d.Date >= today.AddDays(-7)).Select(d => d.Spend).DefaultIfEmpty(0).Average();
                if (fit.Curve is { } curve && spend > 0)
                {
                    holders.Add(new BudgetHolder(id.ToString(System.Globalization.CultureInfo.InvariantCulture), budget, spend, curve, fit.Resamples));
                    fits.Add((curve, spend));
                }
            }
        }

        var allocation = BudgetAllocator.Allocate(holders, Margin, 20m);

        Assert.True(holders.Count >= 5, $"{holders.Count} budgets with a curve");
        Assert.True(fits.Count(f => f.Curve.Elasticity(f.Spend) < 0.9) >= 3, "diminishing returns visible on at least three budgets");
        Assert.NotEmpty(allocation.Moves);
        var marginal = allocation.Changes.ToDictionary(c => c.Key, c => c.MarginalProfit);
        Assert.All(allocation.Moves, m =>
        {
            Assert.True(marginal[m.From] < marginal[m.To]);
            Assert.True(m.ProbabilityPositive >= BudgetAllocator.MinConfidence);
        });
        Assert.True(allocation.ExpectedProfitChange > 0);
    }
}
