using System.Net;
using System.Text.RegularExpressions;
using AdIntel.Web.Domain;
using AdIntel.Web.Tests.Brain.Recommendations;

namespace AdIntel.Web.Tests.Pages.Overview;

/// <summary>The overview's recommendations panel: each with its "why" inline, its buttons for those who may act, htmx and plain forms alike.</summary>
[Collection(AppCollection.Name)]
public sealed partial class RecommendationPanelTests(AppFixture fixture)
{
    [Fact]
    public async Task Overview_shows_each_recommendation_with_its_why_figures_and_buttons()
    {
        var (store, winners, _, loserAd) = await WinnersAndLosers.CreateAsync(fixture.SqliteApp);

        var html = WebUtility.HtmlDecode(await store.Api.GetStringAsync("/"));

        Assert.Contains("id=\"recommendations\"", html, StringComparison.Ordinal);
        Assert.Equal([$"pause:ad:{loserAd}", $"scale:ad_set:{winners}"], Keys().Matches(html).Select(m => m.Groups[1].Value));
        Assert.Matches("Computed <time[^>]* datetime=\"[^\"]+\"[^>]*>[A-Z][a-z]{2} \\d{1,2}, \\d{4}, \\d{2}:\\d{2}</time>", html);
        Assert.Contains("Raise the budget of “Winners” from $100.00 to $120.00 a day", html, StringComparison.Ordinal);
        Assert.Contains(">Why</summary>", html, StringComparison.Ordinal);
        Assert.Contains("Its POAS was 2.84× over the last 7 complete days", html, StringComparison.Ordinal);
        Assert.Matches("data-figure=\"poas\"[^>]*><th[^>]*>poas</th><td[^>]*>2.84×</td><td[^>]*>last 7 complete days, ", html);
        Assert.Contains("Send to approvals: set the daily budget to $120.00", html, StringComparison.Ordinal);
        Assert.Contains("Send to approvals: pause the ad", html, StringComparison.Ordinal);
        Assert.Contains("handler=Dismiss", html, StringComparison.Ordinal);

        // A store without data has no panel; one with data and nothing to recommend says so.
        var viewer = await fixture.SqliteApp.CreateStoreAsync(StoreRole.Viewer);
        Assert.DoesNotContain("id=\"recommendations\"", await viewer.Api.GetStringAsync("/"), StringComparison.Ordinal);
        var quiet = await RecommendationTestStore.CreateAsync(fixture.SqliteApp, StoreRole.Viewer);
        await quiet.AddDailyOrdersAsync(days: 30, perDay: 2, price: 80m, unitCost: 30m);
        await quiet.RebuildFactsAsync();
        var nothing = WebUtility.HtmlDecode(await quiet.Api.GetStringAsync("/"));
        Assert.Contains("Nothing to recommend right now", nothing, StringComparison.Ordinal);
        Assert.DoesNotContain("handler=Recompute", nothing, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dismiss_and_restore_from_the_panel_with_a_plain_form_and_with_htmx()
    {
        var browser = fixture.SqliteApp.CreateClient();
        var page = await browser.GetStringAsync("/");
        var key = Keys().Match(page).Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(key), "the demo store's overview shows a recommendation");
        var token = RequestToken().Match(page).Groups[1].Value;

        // A plain form post: redirected back to the overview, which says what happened and lists it as dismissed.
        using var dismiss = await browser.PostAsync($"/?handler=Dismiss&key={Uri.EscapeDataString(key)}",
            new FormUrlEncodedContent([KeyValuePair.Create("__RequestVerificationToken", token)]));
        var after = WebUtility.HtmlDecode(await dismiss.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, dismiss.StatusCode);
        Assert.Contains("Dismissed: it stays hidden while it applies.", after, StringComparison.Ordinal);
        Assert.DoesNotContain($"data-testid=\"recommendation\" data-key=\"{key}\"", after, StringComparison.Ordinal);
        Assert.Contains($"data-testid=\"hidden-recommendation\" data-key=\"{key}\"", after, StringComparison.Ordinal);

        // htmx: only the panel comes back, with the recommendation open again.
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/?handler=Restore&key={Uri.EscapeDataString(key)}")
        {
            Content = new FormUrlEncodedContent([KeyValuePair.Create("__RequestVerificationToken", token)]),
        };
        request.Headers.Add("HX-Request", "true");
        using var restore = await browser.SendAsync(request);
        var fragment = WebUtility.HtmlDecode(await restore.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, restore.StatusCode);
        Assert.Matches("^<section[^>]* class=\"card recommendations\"", fragment.TrimStart());
        Assert.DoesNotContain("<html", fragment, StringComparison.Ordinal);
        Assert.Contains($"data-testid=\"recommendation\" data-key=\"{key}\"", fragment, StringComparison.Ordinal);

        using var unknown = await browser.PostAsync("/?handler=Dismiss&key=scale:ad_set:0",
            new FormUrlEncodedContent([KeyValuePair.Create("__RequestVerificationToken", token)]));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [GeneratedRegex("data-testid=\"recommendation\" data-key=\"([^\"]+)\"")]
    private static partial Regex Keys();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex RequestToken();
}
