using System.Net;

namespace AdIntel.Web.Tests.Infrastructure.Htmx;

/// <summary>
/// Pages that answer one URL with the full page or, for an htmx swap, only their fragment: the fragment goes to htmx
/// requests only, never to boosted navigation or a history restore, and every answer varies by HX-Request.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class PageOrPartialTests(AppFixture fixture)
{
    /// <summary>A page and a piece of markup only its fragment renders (the stores are new, so the overview is its empty state).</summary>
    public static TheoryData<string, string> Pages => new()
    {
        { "/", "No sales or ad data yet" },
        { "/campaigns", "id=\"report\"" },
        { "/reports", "class=\"report-toolbar\"" },
        { "/settings/audit", "id=\"audit-entries\"" },
    };

    [Theory, MemberData(nameof(Pages))]
    public async Task A_plain_get_renders_the_full_page(string path, string fragmentMarkup) =>
        await AssertFullPageAsync(await GetAsync(path), fragmentMarkup);

    [Theory, MemberData(nameof(Pages))]
    public async Task An_htmx_get_renders_only_the_fragment(string path, string fragmentMarkup)
    {
        var response = await GetAsync(path, ("HX-Request", "true"));

        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("<html", html, StringComparison.Ordinal);
        Assert.DoesNotContain("class=\"topbar\"", html, StringComparison.Ordinal);
        Assert.Contains(fragmentMarkup, html, StringComparison.Ordinal);
        Assert.Contains("HX-Request", response.Headers.Vary);
    }

    [Theory, MemberData(nameof(Pages))]
    public async Task A_history_restore_renders_the_full_page(string path, string fragmentMarkup) =>
        await AssertFullPageAsync(await GetAsync(path, ("HX-Request", "true"), ("HX-History-Restore-Request", "true")), fragmentMarkup);

    [Theory, MemberData(nameof(Pages))]
    public async Task Boosted_navigation_renders_the_full_page(string path, string fragmentMarkup) =>
        await AssertFullPageAsync(await GetAsync(path, ("HX-Request", "true"), ("HX-Boosted", "true")), fragmentMarkup);

    private async Task<HttpResponseMessage> GetAsync(string path, params (string Name, string Value)[] headers)
    {
        var store = await fixture.SqliteApp.CreateStoreAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }
        return await store.Api.SendAsync(request);
    }

    private static async Task AssertFullPageAsync(HttpResponseMessage response, string fragmentMarkup)
    {
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<html", html, StringComparison.Ordinal);
        Assert.Contains("class=\"topbar\"", html, StringComparison.Ordinal);
        Assert.Contains(fragmentMarkup, html, StringComparison.Ordinal);
        Assert.Contains("HX-Request", response.Headers.Vary);
    }
}
