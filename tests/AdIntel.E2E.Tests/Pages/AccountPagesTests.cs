using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace AdIntel.E2E.Tests.Pages;

/// <summary>The first-run setup page of Local mode loads its stylesheets in a real browser (nobody is signed in yet).</summary>
[Collection(E2ECollection.Name)]
public sealed partial class AccountPagesTests(E2EFixture fixture)
{
    [Fact]
    public async Task First_run_setup_page_is_styled()
    {
        var (app, baseAddress) = fixture.StartApp(new Dictionary<string, string?> { ["Auth:Mode"] = "Local" });
        await using var _ = app;
        var page = await fixture.NewPageAsync(baseAddress: baseAddress);
        var refused = new List<string>();
        page.Response += (_, response) =>
        {
            if (response.Request.ResourceType is "stylesheet" or "script" && !response.Ok)
            {
                refused.Add($"{response.Url} answered {response.Status}");
            }
        };

        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(SetupUrl());
        // A stylesheet answered with a redirect to an HTML page is refused by the browser: no rules would apply.
        var rules = await page.EvaluateAsync<int>("() => [...document.styleSheets].reduce((n, s) => n + s.cssRules.length, 0)");

        Assert.True(refused.Count == 0, string.Join('\n', refused));
        Assert.True(rules > 0, "The setup page has no CSS rules.");
    }

    [GeneratedRegex("/account/setup$")]
    private static partial Regex SetupUrl();
}
