using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AdIntel.E2E.Tests.Pages;

[Collection(E2ECollection.Name)]
public sealed partial class RecommendationsTests(E2EFixture app)
{
    /// <summary>
    /// The co-pilot's flow on the demo store: the overview lists recommendations with their "why" inline; with a POAS
    /// target set in Settings → Targets, a budget raise is sent to the approval queue, where it waits for a person.
    /// </summary>
    [Fact]
    public async Task Overview_recommendation_goes_to_the_approval_queue()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/");
        var recommendations = page.Locator("[data-testid=recommendation]");
        await Expect(recommendations.First).ToBeVisibleAsync();
        await Expect(page.Locator("[data-testid=computed-at]")).ToContainTextAsync("Computed");

        // "Why" opens in place: the reasoning and the figures it cites.
        var first = recommendations.First;
        await first.Locator("summary", new() { HasText = "Why" }).ClickAsync();
        await Expect(first.Locator("[data-testid=reasoning]")).ToBeVisibleAsync();
        await Expect(first.Locator("tr[data-figure]").First).ToBeVisibleAsync();

        // A POAS target of 0.5 makes every profitable ad set with room in its budget worth scaling.
        await page.GotoAsync("/settings/targets");
        await page.Locator("#Input_Poas").FillAsync("0.5");
        await page.Locator("button", new() { HasText = "Save targets" }).ClickAsync();
        await Expect(page.Locator(".banner-success")).ToContainTextAsync("Saved");
        try
        {
            await page.GotoAsync("/");
            await page.Locator("button", new() { HasText = "Recompute now" }).ClickAsync();
            await Expect(page.Locator("[data-testid=recommendation-message]")).ToContainTextAsync("Recomputed");

            var scale = page.Locator("[data-testid=recommendation][data-type=scale]").First;
            await Expect(scale).ToBeVisibleAsync();
            var key = await scale.GetAttributeAsync("data-key");
            await scale.Locator("button", new() { HasText = "Send to approvals" }).ClickAsync();
            await Expect(page.Locator("[data-testid=recommendation-message]")).ToContainTextAsync("Sent to the approval queue.");
            var waiting = page.Locator($"[data-testid=recommendation][data-key=\"{key}\"] [data-testid=approval-link]");
            await Expect(waiting).ToHaveTextAsync("Waiting for approval");

            await waiting.ClickAsync();
            await Expect(page).ToHaveURLAsync(ApprovalUrl());
            var actionId = new Uri(page.Url).Fragment.TrimStart('#');
            var pending = page.Locator($"#{actionId}");
            await Expect(pending).ToHaveAttributeAsync("data-testid", "pending-action");
            await Expect(pending).ToContainTextAsync("recommendation");
            await Expect(pending).ToContainTextAsync("Set budget to");

            // Left for a person to decide: reject it, so the demo store stays as it was.
            await pending.Locator("button", new() { HasText = "Reject" }).ClickAsync();
            await Expect(page.Locator("[data-testid=flash]")).ToContainTextAsync("Rejected");
        }
        finally
        {
            await page.GotoAsync("/settings/targets");
            await page.Locator("#Input_Poas").FillAsync("");
            await page.Locator("button", new() { HasText = "Save targets" }).ClickAsync();
            await Expect(page.Locator(".banner-success")).ToContainTextAsync("Saved");
        }
    }

    [GeneratedRegex("/rules/approvals#action-\\d+$")]
    private static partial Regex ApprovalUrl();
}
