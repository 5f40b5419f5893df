using System.Net;
using System.Text.RegularExpressions;

namespace AdIntel.Web.Tests.Security;

/// <summary>The pages people see before they are signed in (setup, sign-in, password reset, invitations) in Local mode.</summary>
[Collection(LocalAppCollection.Name)]
public sealed partial class SignedOutPagesTests(AppFixture fixture)
{
    public static TheoryData<string> SignedOutPages => new()
    {
        "/account/sign-in", "/account/forgot-password", "/account/reset-password?user=1&code=x", "/account/accept-invitation?token=x",
    };

    [Theory]
    [MemberData(nameof(SignedOutPages))]
    public async Task Signed_out_page_gets_its_stylesheets_and_scripts(string page)
    {
        var app = await fixture.LocalAsync(AppFixture.Sqlite);

        await AssertAssetsLoadAsync(app.NewBrowser(), page);
    }

    [Fact]
    public async Task First_run_setup_page_gets_its_stylesheets_and_scripts()
    {
        await using var app = await fixture.StartLocalAsync(AppFixture.Sqlite);

        await AssertAssetsLoadAsync(app.NewBrowser(), "/account/setup");
    }

    private static async Task AssertAssetsLoadAsync(Browser browser, string page)
    {
        using var response = await browser.GetAsync(page);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        var assets = Asset().Matches(html).Select(m => (Url: WebUtility.HtmlDecode(m.Groups["url"].Value), IsScript: m.Groups["tag"].Value == "script")).ToList();
        Assert.Contains(assets, a => !a.IsScript);

        foreach (var (url, isScript) in assets)
        {
            using var asset = await browser.GetAsync(url);
            Assert.True(asset.StatusCode == HttpStatusCode.OK, $"{page}: {url} answered {(int)asset.StatusCode} {asset.Headers.Location}");
            Assert.Equal(isScript ? "text/javascript" : "text/css", asset.Content.Headers.ContentType?.MediaType);
        }
    }

    [GeneratedRegex("<(?<tag>link) rel=\"stylesheet\" href=\"(?<url>[^\"]+)\"|<(?<tag>script) src=\"(?<url>[^\"]+)\"")]
    private static partial Regex Asset();
}
