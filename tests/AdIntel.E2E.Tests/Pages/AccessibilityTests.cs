using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace AdIntel.E2E.Tests.Pages;

/// <summary>
/// Every page of the app, as the demo store's owner, scanned with axe-core in Chromium: no serious or critical violation.
/// The pages are found by following the app's own links from the overview (main navigation, section tabs, detail pages),
/// so a new screen is scanned as soon as something links to it. axe-core comes from npm (tests/browser-tools, installed by
/// ./test.sh) and is injected with the Content-Security-Policy bypassed in this browser context only; the app never ships it.
/// </summary>
[Collection(E2ECollection.Name)]
public sealed partial class AccessibilityTests(E2EFixture app)
{
    /// <summary>Links that are not pages to scan: the Hangfire dashboard, the API, downloads, signing out, the hand-offs to Shopify's and Meta's sign-in.</summary>
    private static readonly string[] NotPages = ["/hangfire", "/api/", "/account/sign-out", "/reports/export", "/integrations/"];

    private const int MostPages = 80;

    [Fact]
    public async Task No_page_has_a_serious_or_critical_axe_violation()
    {
        var axe = await File.ReadAllTextAsync(AxeScript());
        var page = await app.NewPageAsync(1366, 768, bypassCsp: true);
        var report = new StringBuilder();
        var scanned = new List<string>();

        // The demo store starts without rules: one from a preset gives the scan a rule's page and its runs.
        await page.GotoAsync("/rules");
        await page.Locator("article[data-preset] button", new() { HasText = "Use this" }).First.ClickAsync();
        await page.WaitForURLAsync(RulePage());

        // Breadth first from the overview, one page per route (ids differ, the page is the same), links in document order.
        var patterns = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>(["/"]);
        while (queue.Count > 0 && scanned.Count < MostPages)
        {
            var path = queue.Dequeue();
            if (!patterns.Add(Pattern(path)))
            {
                continue;
            }
            await ScanAsync(page, path, axe, report);
            scanned.Add(path);
            foreach (var href in await LinksAsync(page))
            {
                if (!NotPages.Any(prefix => href.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) && !patterns.Contains(Pattern(href)))
                {
                    queue.Enqueue(href);
                }
            }
        }

        // Sections of a page that only its query tells apart (the crawl counts a path once).
        foreach (var section in new[] { "/creatives?tab=competitors", "/creatives?tab=trends" })
        {
            await ScanAsync(page, section, axe, report);
            scanned.Add(section);
        }

        Assert.True(report.Length == 0, $"axe-core found serious or critical violations on {scanned.Count} pages scanned:\n{report}");

        // The scan reached the app's sections and a detail page of each kind, or it proves nothing.
        foreach (var expected in new[] { "/", "/campaigns", "/campaigns/{id}", "/campaigns/{id}/adsets/{id}",
                     "/campaigns/{id}/adsets/{id}/ads/{id}", "/rules", "/rules/{id}", "/reports",
                     "/reports/cohorts", "/creatives", "/creatives/studio", "/alerts", "/tracking", "/imports", "/planner", "/settings", "/settings/automation" })
        {
            Assert.True(scanned.Select(Pattern).Contains(expected), $"{expected} was not reached; scanned: {string.Join(", ", scanned)}");
        }
    }

    [Fact]
    public async Task Ask_adintel_has_no_serious_or_critical_axe_violation()
    {
        // Ask AdIntel exists only with an LLM configured; the page renders without calling it, so an unreachable one will do.
        var (other, baseAddress) = app.StartApp(new Dictionary<string, string?>
        {
            ["Demo:Enabled"] = "true",
            ["Demo:Orders"] = "500",
            ["Auth:Mode"] = "Demo",
            ["Llm:Provider"] = "openai",
            ["Llm:BaseUrl"] = "http://127.0.0.1:9/v1",
            ["Llm:Model"] = "unreachable",
            ["Llm:ApiKey"] = "placeholder",
        });
        await using (other)
        {
            var axe = await File.ReadAllTextAsync(AxeScript());
            var page = await app.NewPageAsync(1366, 768, baseAddress, bypassCsp: true);
            var report = new StringBuilder();
            await ScanAsync(page, "/ask", axe, report);
            Assert.True(report.Length == 0, $"axe-core found serious or critical violations:\n{report}");
        }
    }

    /// <summary>Opens <paramref name="path"/>, waits for its htmx fragments, runs axe-core and adds each serious or critical violation to <paramref name="report"/>.</summary>
    private static async Task ScanAsync(IPage page, string path, string axe, StringBuilder report)
    {
        // Some pages compute on their first visit (the LTV model fit); a slow CI machine gets time for that.
        var response = await page.GotoAsync(path, new() { Timeout = 90_000 });
        if (response is not { Ok: true })
        {
            report.AppendLine($"{path}: answered {response?.Status}");
            return;
        }
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle, new() { Timeout = 90_000 });
        await AppendViolationsAsync(page, path, axe, report);
    }

    /// <summary>Runs axe-core on the page as it is now (e.g. after htmx swapped results in) and adds each serious or critical violation to <paramref name="report"/>.</summary>
    internal static async Task AppendViolationsAsync(IPage page, string path, string axe, StringBuilder report)
    {
        await page.EvaluateAsync(axe);
        var violations = await page.EvaluateAsync<JsonElement>("""
            async () => {
              const results = await axe.run(document, { resultTypes: ['violations'] });
              return results.violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => ({ id: v.id, impact: v.impact, help: v.help, count: v.nodes.length,
                             nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' — ' + (n.failureSummary || '').split('\n').slice(1, 2).join('').trim()) }));
            }
            """);
        foreach (var violation in violations.EnumerateArray())
        {
            report.AppendLine($"{path}: {violation.GetProperty("impact").GetString()} {violation.GetProperty("id").GetString()} " +
                              $"({violation.GetProperty("count").GetInt32()}×) {violation.GetProperty("help").GetString()}");
            foreach (var node in violation.GetProperty("nodes").EnumerateArray())
            {
                report.AppendLine("    " + node.GetString());
            }
        }
    }

    /// <summary>The paths of the page's links to other pages of the app.</summary>
    private static async Task<string[]> LinksAsync(IPage page) => await page.EvaluateAsync<string[]>("""
        () => [...document.querySelectorAll('a[href]')]
          .filter(a => !a.hasAttribute('download') && a.target !== '_blank')
          .map(a => new URL(a.getAttribute('href'), location.href))
          .filter(u => u.origin === location.origin)
          .map(u => u.pathname)
        """);

    private static string Pattern(string path) => NumericSegment().Replace(path.TrimEnd('/') is { Length: > 0 } trimmed ? trimmed : "/", "/{id}");

    /// <summary>axe.min.js from tests/browser-tools/node_modules (npm ci there, or ./test.sh, installs it).</summary>
    internal static string AxeScript()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var tools = Path.Combine(directory.FullName, "tests", "browser-tools");
            if (Directory.Exists(tools))
            {
                var script = Path.Combine(tools, "node_modules", "axe-core", "axe.min.js");
                return File.Exists(script)
                    ? script
                    : throw new InvalidOperationException($"axe-core is not installed: run `npm ci` in {tools} (./test.sh does).");
            }
        }
        throw new InvalidOperationException("tests/browser-tools was not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"/rules/\d+$")]
    private static partial Regex RulePage();

    [GeneratedRegex(@"/\d+(?=/|$)")]
    private static partial Regex NumericSegment();
}
