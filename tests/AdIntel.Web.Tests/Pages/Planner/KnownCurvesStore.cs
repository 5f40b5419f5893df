using AdIntel.Web.Brain.Planner;
using AdIntel.Web.Domain;
using AdIntel.Web.Tests.Brain.Planner;
using AdIntel.Web.Tests.Metrics;
using Microsoft.EntityFrameworkCore;
using static AdIntel.Web.Tests.Metrics.StoreDataBuilder;

namespace AdIntel.Web.Tests.Pages.Planner;

/// <summary>
/// A store whose campaigns answer spend with known curves, written through EF like any store's data, over the 90 days
/// before today plus 40 days of orders before them:
/// <list type="bullet">
/// <item>orders: one a day, $1,000 of goods costing $400, no shipping: contribution margin 1000 − 400 − 29.30 fees, so
/// <see cref="MarginPerSale"/> = 0.5707 of total sales;</item>
/// <item>"Scale" (campaign budget): value = 3000 · ln(1 + spend / 400), budget tested from 0.35× to 3× of $400 and back at
/// $400 for the last two weeks — marginal ROAS 3.75 there, the next dollar earns most;</item>
/// <item>"Saturated" (campaign budget): value = 900 · ln(1 + spend / 80), tested from $60 to $480 and back at $240 —
/// marginal ROAS 2.81 there;</item>
/// <item>"Steady": the same $200 every day (only delivery's 4 % wobble) — not enough spread;</item>
/// <item>"Awareness": an awareness objective, whatever its days.</item>
/// </list>
/// Value carries 3 % noise, so the curves can be recovered within 10 %.
/// </summary>
public sealed record KnownCurvesStore(TestStore Store, IReadOnlyDictionary<string, long> Campaigns, IReadOnlyDictionary<string, decimal> Budgets)
{
    public const decimal MarginPerSale = 0.5707m;

    public static readonly LogSpendResponse Scale = new(3000, 400);
    public static readonly LogSpendResponse Saturated = new(900, 80);

    public static async Task<KnownCurvesStore> CreateAsync(AdIntelApp app, StoreRole role = StoreRole.Owner)
    {
        var store = await app.CreateStoreAsync(role);
        var today = DateOnly.FromDateTime(PinnedDate.UtcNow);
        var first = today.AddDays(-90);
        await app.AddOrdersAsync(store.StoreId, Enumerable.Range(1, 130)
            .Select(i => Order($"k{i}", today.AddDays(-i), customerId: null, lines: [Line(1, 1000, 400)]))
            .ToArray());

        var ads = await app.AddCampaignsAsync(store.StoreId, "Scale", "Saturated", "Steady", "Awareness");
        var series = new Dictionary<string, IReadOnlyList<SpendDay>>
        {
            ["Scale"] = new SyntheticEntity(Scale, 400, 0.03, 11, 0.35, 3, SettledDays: 14).Days(),
            ["Saturated"] = new SyntheticEntity(Saturated, 240, 0.03, 12, 0.25, 2, SettledDays: 14).Days(),
            ["Steady"] = new SyntheticEntity(new LogSpendResponse(1500, 300), 200, 0.03, 13, 1, 1).Days(),
            ["Awareness"] = new SyntheticEntity(new LogSpendResponse(100, 300), 200, 0.03, 14).Days(),
        };
        // Purchases at $100 each, so the platform's purchases per order stay steady (no broken tracking).
        await app.AddInsightsAsync(store.StoreId, series.SelectMany(s => s.Value.Select((d, i) =>
            Insight(ads[s.Key], first.AddDays(i), (decimal)d.Spend, (decimal)d.Value, Math.Round((decimal)d.Value / 100m, 2)))).ToArray());

        // Budgets that explain the last week's spend, as Meta delivers about 97 % of a budget.
        var budgets = series.ToDictionary(s => s.Key, s => Math.Round((decimal)s.Value.TakeLast(7).Average(d => d.Spend) / 0.97m));
        var campaigns = await app.WithDbAsync(store.StoreId, async db =>
        {
            var byName = await db.Campaigns.ToDictionaryAsync(c => c.Name);
            foreach (var (name, campaign) in byName)
            {
                campaign.DailyBudget = budgets[name];
                campaign.Objective = name == "Awareness" ? "OUTCOME_AWARENESS" : "OUTCOME_SALES";
            }
            await db.SaveChangesAsync();
            return byName.ToDictionary(c => c.Key, c => c.Value.Id);
        });
        await app.RebuildFactsAsync(store.StoreId);
        return new KnownCurvesStore(store, campaigns, budgets);
    }
}
