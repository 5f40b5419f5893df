using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AdIntel.E2E.Tests.Security;

/// <summary>
/// The app runs under a strict Content Security Policy (no inline scripts or styles, no eval). In a real browser no
/// page — nor an htmx swap on it — may trip it: Chromium reports every blocked script, style or frame.
/// </summary>
[Collection(E2ECollection.Name)]
public sealed class ContentSecurityPolicyTests(E2EFixture app)
{
    private static readonly string[] Pages =
        ["/", "/campaigns", "/creatives", "/planner", "/imports", "/settings", "/settings/members", "/settings/api-tokens", "/settings/audit", "/settings/plugins", "/jobs"];

    [Fact]
    public async Task No_page_or_htmx_swap_violates_the_content_security_policy()
    {
        var page = await app.NewPageAsync();
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add($"{page.Url}: {message.Text}");
            }
        };
        await page.AddInitScriptAsync(
            "document.addEventListener('securitypolicyviolation', e => console.error('Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI));");

        foreach (var path in Pages)
        {
            var response = await page.GotoAsync(path);
            Assert.True(response?.Ok, $"{path} answered {response?.Status}");
        }

        // htmx swaps: a range preset on the overview, saving the cost settings.
        await page.GotoAsync("/");
        await page.Locator("[data-preset]").First.ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await page.GotoAsync("/settings");
        await page.Locator("#cost-settings button[type=submit]").ClickAsync();
        await Expect(page.Locator("#cost-settings .banner")).ToBeVisibleAsync();

        Assert.True(violations.Count == 0, string.Join('\n', violations));
    }
}
