using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AdIntel.E2E.Tests.Pages;

[Collection(E2ECollection.Name)]
public sealed partial class CampaignsTests(E2EFixture app)
{
    [Fact]
    public async Task Sort_by_spend_then_drill_into_the_top_campaign()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/campaigns");
        var rows = page.Locator(".performance-table tbody tr");
        await Expect(rows.First).ToBeVisibleAsync();
        Assert.True(await rows.CountAsync() >= 2, "the demo store should have several campaigns");
        // Marks the document: a full page load would lose it, htmx swaps keep it.
        await page.EvaluateAsync("() => window.__sameDocument = true");

        // Spend is the default order (biggest first); the first click flips it to smallest first.
        await page.Locator("th a[data-sort=\"spend\"]").ClickAsync();
        await Expect(page).ToHaveURLAsync(SpendAscendingUrl());
        await Expect(page.Locator("th[aria-sort=\"ascending\"] a[data-sort=\"spend\"]")).ToBeVisibleAsync();
        var ascending = await SpendsAsync(page);
        Assert.Equal(ascending.Order().ToArray(), ascending);

        await page.Locator("th a[data-sort=\"spend\"]").ClickAsync();
        await Expect(page.Locator("th[aria-sort=\"descending\"] a[data-sort=\"spend\"]")).ToBeVisibleAsync();
        var descending = await SpendsAsync(page);
        Assert.Equal(descending.OrderDescending().ToArray(), descending);
        Assert.True(descending[0] > 0, "the top campaign should have spent something");

        var top = rows.First.Locator("td.name a");
        var name = (await top.InnerTextAsync()).Trim();
        await top.ClickAsync();

        await Expect(page).ToHaveURLAsync(CampaignUrl());
        await Expect(page.Locator("h1")).ToHaveTextAsync(name);
        await Expect(page.Locator(".breadcrumbs a", new() { HasText = "Campaigns" })).ToBeVisibleAsync();
        await Expect(page.Locator("th a[data-sort=\"name\"]")).ToHaveTextAsync("Ad set");
        await Expect(rows.First).ToBeVisibleAsync();
        await Expect(page).ToHaveTitleAsync(name + " · AdIntel");
        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "sorting and drilling down should swap in place");

        await page.Locator(".breadcrumbs a", new() { HasText = "Campaigns" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Campaigns");
    }

    private static async Task<decimal[]> SpendsAsync(IPage page)
    {
        var cells = await page.Locator(".performance-table tbody td[data-metric=\"spend\"]").AllInnerTextsAsync();
        return cells.Select(text => decimal.Parse(NotMoney().Replace(text, ""), NumberStyles.Number, CultureInfo.InvariantCulture)).ToArray();
    }

    [GeneratedRegex("[^0-9.-]")]
    private static partial Regex NotMoney();

    [GeneratedRegex("/campaigns\\?.*sort=spend&dir=asc")]
    private static partial Regex SpendAscendingUrl();

    [GeneratedRegex("/campaigns/\\d+(\\?|$)")]
    private static partial Regex CampaignUrl();
}
