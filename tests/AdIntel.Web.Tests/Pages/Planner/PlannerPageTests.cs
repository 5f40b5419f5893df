using System.Net;
using System.Text.RegularExpressions;
using AdIntel.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Tests.Pages.Planner;

[Collection(AppCollection.Name)]
public sealed partial class PlannerPageTests(AppFixture fixture)
{
    [Fact]
    public async Task Get_renders_a_chart_per_budget_the_moves_and_why_some_budgets_are_not_planned()
    {
        var known = await KnownCurvesStore.CreateAsync(fixture.SqliteApp);

        var response = await known.Store.Api.GetAsync("/planner");
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(">Budget planner</h1>", html);
        Assert.Contains("<a href=\"/planner\" aria-current=\"page\">Planner</a>", html);
        Assert.Equal(4, Regex.Count(html, "data-testid=\"planner-budget\""));
        Assert.Equal(4, Regex.Count(html, "<svg [^>]*class=\"planner-chart\""));
        // Points for every day, a curve and its band where a curve was fitted.
        Assert.Equal(2, Regex.Count(html, "<path [^>]*class=\"curve\""));
        Assert.Equal(2, Regex.Count(html, "<path [^>]*class=\"band\""));
        Assert.Equal(4 * 90, Regex.Count(html, "<circle [^>]*class=\"day\""));
        Assert.Contains("Not enough variation in daily spend to fit a curve", html);
        Assert.Contains("OUTCOME_AWARENESS", html);
        var move = Assert.Single(MoveRows().Matches(html));
        Assert.Contains("Saturated", move.Value);
        Assert.Contains("Scale", move.Value);
        Assert.Contains("Expected change in profit: <strong>+$", html);
        Assert.Contains("Send to approvals", html);
        Assert.Equal(2, Regex.Count(html, "data-testid=\"proposed-budget\""));
    }

    [Fact]
    public async Task Viewers_see_the_plan_but_cannot_send_it()
    {
        var known = await KnownCurvesStore.CreateAsync(fixture.SqliteApp, StoreRole.Viewer);

        var html = await known.Store.Api.GetStringAsync("/planner");
        using var post = await known.Store.Api.PostAsync("/planner?handler=SendToApprovals", new FormUrlEncodedContent([]));

        Assert.Contains("data-testid=\"planner-move\"", html);
        Assert.DoesNotContain("Send to approvals", html);
        Assert.NotEqual(HttpStatusCode.OK, post.StatusCode);
        Assert.Equal(0, await fixture.SqliteApp.WithDbAsync(known.Store.StoreId, db => db.ActionRecords.CountAsync()));
    }

    [Fact]
    public async Task Send_to_approvals_from_htmx_swaps_the_proposal_and_queues_each_budget()
    {
        var app = fixture.SqliteApp;
        var known = await KnownCurvesStore.CreateAsync(app);
        var token = TokenField().Match(await known.Store.Api.GetStringAsync("/planner")).Groups["token"].Value;

        using var request = new HttpRequestMessage(HttpMethod.Post, "/planner?handler=SendToApprovals")
        {
            Content = new FormUrlEncodedContent([new("__RequestVerificationToken", token)]),
        };
        request.Headers.Add("HX-Request", "true");
        using var response = await known.Store.Api.SendAsync(request);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("<html", html);
        Assert.Matches("^<section [^>]*id=\"planner-proposal\"", html.Trim());
        Assert.Contains("2 budget changes wait for approval.", html);
        var pending = await app.WithDbAsync(known.Store.StoreId, db => db.ActionRecords.AsNoTracking().Where(a => a.Status == ActionStatuses.PendingApproval).ToListAsync());
        Assert.Equal(new[] { known.Campaigns["Saturated"], known.Campaigns["Scale"] }.Order(), pending.Select(a => a.EntityId).Order());
        Assert.Equal(2, Regex.Count(await known.Store.Api.GetStringAsync("/rules/approvals"), "data-testid=\"pending-action\""));
    }

    [Fact]
    public async Task Send_to_approvals_without_htmx_redirects_back_with_the_outcome()
    {
        var known = await KnownCurvesStore.CreateAsync(fixture.SqliteApp);
        var token = TokenField().Match(await known.Store.Api.GetStringAsync("/planner")).Groups["token"].Value;

        // The client follows the redirect: the answer is the page it leads to.
        using var response = await known.Store.Api.PostAsync("/planner?handler=SendToApprovals",
            new FormUrlEncodedContent([new("__RequestVerificationToken", token)]));
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/planner", response.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains("<html", html);
        Assert.Contains("2 budget changes wait for approval.", html);
        Assert.DoesNotContain("wait for approval.", await known.Store.Api.GetStringAsync("/planner"));
    }

    [Fact]
    public async Task Get_on_a_store_without_budgets_says_so()
    {
        var store = await fixture.SqliteApp.CreateStoreAsync();

        var html = WebUtility.HtmlDecode(await store.Api.GetStringAsync("/planner"));

        Assert.Contains("No budgets to plan", html);
        Assert.Contains("no margin to turn purchase value into profit", html);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"(?<token>[^\"]+)\"")]
    private static partial Regex TokenField();

    [GeneratedRegex("<tr [^>]*data-testid=\"planner-move\">.*?</tr>", RegexOptions.Singleline)]
    private static partial Regex MoveRows();
}
