using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AdIntel.E2E.Tests.Pages;

[Collection(E2ECollection.Name)]
public sealed partial class OverviewTests(E2EFixture app)
{
    [Fact]
    public async Task Preset_swaps_the_kpis_in_place_and_back_restores_them()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/");
        // Agreed hook: the KPI card (or the part of a paired card) carries data-metric, its number sits in .kpi-value.
        var totalSales = page.Locator("[data-metric=\"totalSales\"] .kpi-value");
        await Expect(totalSales).ToBeVisibleAsync();
        var last30Days = (await totalSales.InnerTextAsync()).Trim();
        Assert.Matches(MoneyPattern(), last30Days);
        // Marks the document: a full page load would lose it, an htmx swap keeps it.
        await page.EvaluateAsync("() => window.__sameDocument = true");

        await page.Locator("[data-preset=\"7d\"]").First.ClickAsync();

        await Expect(page).ToHaveURLAsync(SevenDayUrlPattern());
        await Expect(totalSales).Not.ToHaveTextAsync(last30Days);
        await Expect(page.Locator("[data-preset=\"7d\"]").First).ToHaveAttributeAsync("aria-current", "true");
        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"));

        await page.GoBackAsync();

        await Expect(page).Not.ToHaveURLAsync(SevenDayUrlPattern());
        await Expect(totalSales).ToHaveTextAsync(last30Days);
    }

    [GeneratedRegex(@"^-?\D{1,4}[\d,]+\.\d{2}$")]
    private static partial Regex MoneyPattern();

    [GeneratedRegex("preset=7d")]
    private static partial Regex SevenDayUrlPattern();
}
