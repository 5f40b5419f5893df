using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AdIntel.Web.Brain.Planner;
using AdIntel.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Tests.Pages.Planner;

[Collection(AppCollection.Name)]
public sealed class PlannerApiTests(AppFixture fixture)
{
    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Get_recovers_the_known_curves_and_moves_budget_to_the_higher_marginal_profit(string provider)
    {
        var app = await fixture.HostAsync(provider);
        var known = await KnownCurvesStore.CreateAsync(app, StoreRole.Viewer);

        var json = await known.Store.Api.GetFromJsonAsync<JsonElement>("/api/planner");

        var data = json.GetProperty("data");
        Assert.Equal(KnownCurvesStore.MarginPerSale, data.GetProperty("marginPerSale").GetDecimal());
        Assert.Equal(20m, data.GetProperty("maxBudgetChangePercentPerDay").GetDecimal());
        var budgets = data.GetProperty("budgets").EnumerateArray().ToDictionary(b => b.GetProperty("name").GetString()!);
        Assert.Equal(["Awareness", "Saturated", "Scale", "Steady"], budgets.Keys.Order());
        Assert.All(budgets.Values, b => Assert.Equal("campaign", b.GetProperty("scope").GetString()));

        foreach (var (name, truth) in new[] { ("Scale", KnownCurvesStore.Scale), ("Saturated", KnownCurvesStore.Saturated) })
        {
            var budget = budgets[name];
            var fit = budget.GetProperty("fit");
            Assert.Equal(known.Campaigns[name], budget.GetProperty("id").GetInt64());
            Assert.Equal(known.Budgets[name], budget.GetProperty("dailyBudget").GetDecimal());
            Assert.Equal(90, budget.GetProperty("daysWithSpend").GetInt32());
            Assert.Equal(90, budget.GetProperty("points").GetArrayLength());
            Assert.InRange((double)fit.GetProperty("a").GetDecimal(), truth.A * 0.9, truth.A * 1.1);
            Assert.InRange((double)fit.GetProperty("b").GetDecimal(), truth.B * 0.9, truth.B * 1.1);
            var todaySpend = (double)budget.GetProperty("todaySpend").GetDecimal();
            var marginal = fit.GetProperty("marginalRoas").GetDecimal();
            Assert.InRange((double)marginal, truth.Marginal(todaySpend) * 0.9, truth.Marginal(todaySpend) * 1.1);
            Assert.InRange(marginal, fit.GetProperty("marginalRoasLow").GetDecimal(), fit.GetProperty("marginalRoasHigh").GetDecimal());
            // Marginal profit per extra dollar = marginal ROAS × margin − 1 (from the unrounded numbers).
            Assert.Equal((double)(marginal * KnownCurvesStore.MarginPerSale - 1), (double)fit.GetProperty("marginalProfit").GetDecimal(), 0.001);
            Assert.True(fit.GetProperty("rSquared").GetDecimal() > 0.9m);
            Assert.Equal(JsonValueKind.Null, budget.GetProperty("problem").ValueKind);
            AssertRounded(budget, ["dailyBudget", "todaySpend"], 2);
            AssertRounded(fit, ["a", "b"], 2);
            AssertRounded(fit, ["marginalRoas", "marginalRoasLow", "marginalRoasHigh", "marginalProfit", "averageRoas", "elasticity", "rSquared"], 4);
        }

        var steady = budgets["Steady"];
        Assert.Equal(JsonValueKind.Null, steady.GetProperty("fit").ValueKind);
        Assert.StartsWith("Not enough variation in daily spend to fit a curve", steady.GetProperty("problem").GetString());
        Assert.Contains("OUTCOME_AWARENESS", budgets["Awareness"].GetProperty("problem").GetString());
        Assert.Equal(JsonValueKind.Null, budgets["Awareness"].GetProperty("proposal").ValueKind);

        // Budget moves from the saturated campaign to the one whose next dollar earns more, within the ±20 % rail.
        var proposal = data.GetProperty("proposal");
        var move = Assert.Single(proposal.GetProperty("moves").EnumerateArray());
        Assert.Equal(known.Campaigns["Saturated"], move.GetProperty("from").GetProperty("id").GetInt64());
        Assert.Equal(known.Campaigns["Scale"], move.GetProperty("to").GetProperty("id").GetInt64());
        var amount = move.GetProperty("amount").GetDecimal();
        Assert.InRange(amount, 1m, Math.Min(known.Budgets["Saturated"], known.Budgets["Scale"]) * 0.2m);
        Assert.True(move.GetProperty("expectedProfitChange").GetDecimal() > 0);
        Assert.True(move.GetProperty("probabilityOfGain").GetDecimal() >= (decimal)BudgetAllocator.MinConfidence);
        Assert.Equal(move.GetProperty("expectedProfitChange").GetDecimal(), proposal.GetProperty("expectedProfitChange").GetDecimal());
        Assert.Equal(known.Budgets["Scale"] + amount, budgets["Scale"].GetProperty("proposal").GetProperty("newBudget").GetDecimal());
        Assert.Equal(known.Budgets["Saturated"] - amount, budgets["Saturated"].GetProperty("proposal").GetProperty("newBudget").GetDecimal());
        AssertRounded(move, ["amount", "expectedProfitChange", "expectedProfitChangeLow", "expectedProfitChangeHigh"], 2);
    }

    [Fact]
    public async Task Post_offers_the_moves_to_the_approval_queue_without_changing_any_budget()
    {
        var app = fixture.SqliteApp;
        var known = await KnownCurvesStore.CreateAsync(app, StoreRole.Marketer);

        using var response = await known.Store.Api.PostAsync("/api/planner/approvals", null);
        using var again = await known.Store.Api.PostAsync("/api/planner/approvals", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var submitted = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data").GetProperty("submitted").EnumerateArray().ToList();
        Assert.Equal(["Saturated", "Scale"], submitted.Select(s => s.GetProperty("name").GetString()).Order());
        Assert.All(submitted, s => Assert.Equal("queued", s.GetProperty("result").GetString()));
        var actions = await app.WithDbAsync(known.Store.StoreId, db => db.ActionRecords.AsNoTracking().ToListAsync());
        Assert.Equal(2, actions.Count);
        Assert.All(actions, a =>
        {
            Assert.Equal(PlannerApprovals.Source, a.Source);
            Assert.Equal(ActionStatuses.PendingApproval, a.Status);
            Assert.Equal("set_budget", a.Type);
            Assert.Equal("campaign", a.EntityScope);
            Assert.Equal(submitted.Single(s => s.GetProperty("id").GetInt64() == a.EntityId).GetProperty("newBudget").GetDecimal(), a.BudgetAfter);
        });
        // Nothing ran: the budgets are as they were, and asking again queues nothing twice.
        var budgets = await app.WithDbAsync(known.Store.StoreId, db => db.Campaigns.AsNoTracking().ToDictionaryAsync(c => c.Name, c => c.DailyBudget));
        Assert.All(known.Budgets, b => Assert.Equal(b.Value, budgets[b.Key]));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(2, await app.WithDbAsync(known.Store.StoreId, db => db.ActionRecords.CountAsync()));
    }

    [Fact]
    public async Task Post_is_for_marketers_and_answers_409_when_nothing_is_proposed()
    {
        var app = fixture.SqliteApp;
        var viewer = await app.CreateStoreAsync(StoreRole.Viewer);
        var empty = await app.CreateStoreAsync(StoreRole.Marketer);

        using var refused = await viewer.Api.PostAsync("/api/planner/approvals", null);
        using var nothing = await empty.Api.PostAsync("/api/planner/approvals", null);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, nothing.StatusCode);
        var error = (await nothing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal("nothing_to_propose", error.GetProperty("code").GetString());
        Assert.Contains("no sales", error.GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Get_on_an_empty_store_says_why_it_proposes_nothing()
    {
        var store = await fixture.SqliteApp.CreateStoreAsync(StoreRole.Viewer);

        var data = (await store.Api.GetFromJsonAsync<JsonElement>("/api/planner")).GetProperty("data");

        Assert.Equal(0, data.GetProperty("budgets").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, data.GetProperty("marginPerSale").ValueKind);
        Assert.Equal(0, data.GetProperty("proposal").GetProperty("moves").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, data.GetProperty("proposal").GetProperty("probabilityOfGain").ValueKind);
        Assert.Contains("no margin", data.GetProperty("proposal").GetProperty("problem").GetString());
    }

    /// <summary>
    /// The tests' small demo store (a few orders a day, so a few purchases a day per budget): every budget gets a curve
    /// or a reason, the planner leaves out the days of the planted tracking outage, and it never guesses.
    /// </summary>
    [Fact]
    public async Task Get_on_the_demo_store_answers_every_budget_and_leaves_out_the_tracking_outage()
    {
        var app = fixture.SqliteApp;
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/api/planner");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var data = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data");
        var budgets = data.GetProperty("budgets").EnumerateArray().ToList();
        Assert.InRange(budgets.Count, 10, 30);
        Assert.True(data.GetProperty("marginPerSale").GetDecimal() > 0);
        Assert.All(budgets, b => Assert.True((b.GetProperty("fit").ValueKind == JsonValueKind.Object) != (b.GetProperty("problem").ValueKind == JsonValueKind.String)));
        Assert.Contains(budgets, b => b.GetProperty("problem").GetString()?.Contains("OUTCOME_AWARENESS", StringComparison.Ordinal) == true);
        var today = DateOnly.Parse(data.GetProperty("today").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        var (outageFrom, outageTo) = AdIntel.Web.Demo.DemoStoreGenerator.TrackingOutageDays(today.AddDays(-1));
        var excluded = budgets.SelectMany(b => b.GetProperty("points").EnumerateArray())
            .Where(p => p.GetProperty("excluded").GetString() == "broken_tracking")
            .Select(p => DateOnly.Parse(p.GetProperty("date").GetString()!, System.Globalization.CultureInfo.InvariantCulture))
            .Distinct().Order().ToList();
        Assert.Equal(Enumerable.Range(0, outageTo.DayNumber - outageFrom.DayNumber + 1).Select(outageFrom.AddDays), excluded);
        var proposal = data.GetProperty("proposal");
        Assert.True(proposal.GetProperty("moves").GetArrayLength() > 0 || proposal.GetProperty("problem").ValueKind == JsonValueKind.String
            || budgets.Count(b => b.GetProperty("fit").ValueKind == JsonValueKind.Object) >= 2);
    }

    private static void AssertRounded(JsonElement element, string[] names, int decimals)
    {
        foreach (var name in names)
        {
            var value = element.GetProperty(name).GetDecimal();
            Assert.True(Math.Round(value, decimals) == value, $"{name} = {value} has more than {decimals} decimals");
        }
    }
}
