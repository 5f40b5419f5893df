using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AdIntel.E2E.Tests.Pages;

[Collection(E2ECollection.Name)]
public sealed partial class RulesTests(E2EFixture app)
{
    /// <summary>
    /// The rules flow a merchant takes: a preset becomes a rule, the live preview follows the condition as it is typed,
    /// a run queues its actions (the demo store starts in suggestions-only mode), one is approved and executed, then undone.
    /// </summary>
    [Fact]
    public async Task Preset_to_rule_preview_run_approve_and_undo()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/rules");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Rules");

        await page.Locator("article[data-preset=\"zero-purchase-guard\"] button", new() { HasText = "Use this" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(RuleUrl());
        await Expect(page.Locator("h1")).ToHaveTextAsync("Zero-purchase spend guard");

        // Typing a condition shows what it matches now, without saving.
        var expression = page.Locator("#expression");
        await expression.FillAsync("status == 'ACTIVE' and spend_lifetime > 0");
        await expression.PressAsync("End");
        await Expect(page.Locator("[data-testid=preview]")).ToContainTextAsync(MatchCount());
        await Expect(page.Locator("[data-testid=preview] tbody tr").First).ToBeVisibleAsync();

        // A typo is named with the name that was probably meant.
        await expression.FillAsync("status == 'ACTIVE' and spend_lifetim > 0");
        await expression.PressAsync("End");
        await Expect(page.Locator("[data-testid=expression-errors]")).ToContainTextAsync("Did you mean spend_lifetime?");
        await expression.FillAsync("status == 'ACTIVE' and spend_lifetime > 0");
        await expression.PressAsync("End");
        await Expect(page.Locator("[data-testid=preview]")).ToBeVisibleAsync();

        await page.Locator("[data-testid=save-rule]").ClickAsync();
        await Expect(page.Locator(".banner-success")).ToContainTextAsync("Saved");

        await page.Locator("[data-testid=run-now]").ClickAsync();
        await Expect(page).ToHaveURLAsync(ExecutionsUrl());
        await Expect(page.Locator("[data-testid=run-flash]")).ToContainTextAsync("waiting for approval");
        await Expect(page.Locator("[data-testid=run-detail]")).ToContainTextAsync("Every condition holds.");

        await page.GotoAsync("/rules/approvals");
        var pending = page.Locator("[data-testid=pending-action]");
        await Expect(pending.First).ToBeVisibleAsync();
        var before = await pending.CountAsync();
        await pending.First.Locator("button", new() { HasText = "Approve" }).ClickAsync();
        await Expect(page.Locator("[data-testid=flash]")).ToContainTextAsync("Approved and executed: Pause");
        Assert.Equal(before - 1, await page.Locator("[data-testid=pending-action]").CountAsync());

        var executed = page.Locator("[data-testid=history-action]", new() { HasText = "PAUSED" }).First;
        await Expect(executed).ToContainTextAsync("ACTIVE → PAUSED");
        await executed.Locator("button", new() { HasText = "Undo" }).ClickAsync();
        await Expect(page.Locator("[data-testid=flash]")).ToContainTextAsync("Undone");
        await Expect(page.Locator("[data-testid=history-action]", new() { HasText = "undone" }).First).ToBeVisibleAsync();
    }

    [GeneratedRegex("/rules/\\d+$")]
    private static partial Regex RuleUrl();

    [GeneratedRegex("/rules/\\d+/executions\\?run=\\d+")]
    private static partial Regex ExecutionsUrl();

    [GeneratedRegex("\\d+ of \\d+ entities match now")]
    private static partial Regex MatchCount();
}
