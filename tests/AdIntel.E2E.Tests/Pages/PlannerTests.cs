using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AdIntel.E2E.Tests.Pages;

[Collection(E2ECollection.Name)]
public sealed class PlannerTests(E2EFixture app)
{
    [Fact]
    public async Task Planner_from_the_nav_shows_a_chart_for_every_budget()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/");

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Planner" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/planner$"));
        await Expect(page.Locator("h1")).ToHaveTextAsync("Budget planner");
        await Expect(page.Locator("#planner-proposal")).ToBeVisibleAsync();
        var cards = page.Locator("[data-testid=planner-budget]");
        Assert.True(await cards.CountAsync() >= 10, "the demo store has a dozen budgets or more");
        for (var i = 0; i < await cards.CountAsync(); i++)
        {
            var card = cards.Nth(i);
            await Expect(card.Locator("svg.planner-chart")).ToBeVisibleAsync();
            // Every budget either shows its marginal ROAS or says why it has none.
            Assert.True(await card.Locator("[data-testid=marginal-roas]").CountAsync() + await card.Locator("[data-testid=planner-budget-problem]").CountAsync() == 1);
        }
        var box = await cards.First.Locator("svg.planner-chart").BoundingBoxAsync();
        Assert.True(box is { Width: > 200, Height: > 100 }, $"chart drawn at {box?.Width}×{box?.Height}");
    }
}
