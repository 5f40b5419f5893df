using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;

namespace AdIntel.Web.Tests.Infrastructure;

[Collection(AppCollection.Name)]
public sealed class DemoModeTests(AppFixture fixture)
{
    private const string ExplanationPage = "/account/demo-store-missing";

    [Fact]
    public async Task Demo_mode_without_a_demo_store_says_to_use_local_mode_for_your_own_data()
    {
        // The fixture's default for other apps: Auth:Mode=Demo (the default) and Demo:Enabled=false.
        await using var app = await fixture.StartAppAsync(AppFixture.Sqlite, new Dictionary<string, string?>());
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        foreach (var path in new[] { "/", "/campaigns", "/settings/members", "/account/setup", "/account/sign-in" })
        {
            using var response = await client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{path}: {(int)response.StatusCode}");
            Assert.Equal(ExplanationPage, response.Headers.Location?.OriginalString);
        }
        using var page = await client.GetAsync(ExplanationPage);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
        Assert.Contains("<code>Auth:Mode=Local</code>", html, StringComparison.Ordinal);
        Assert.Contains("<code>Demo:Enabled</code>", html, StringComparison.Ordinal);

        using var htmx = new HttpRequestMessage(HttpMethod.Get, "/campaigns");
        htmx.Headers.Add("HX-Request", "true");
        using var swap = await client.SendAsync(htmx);
        Assert.Equal(ExplanationPage, swap.Headers.GetValues("HX-Redirect").Single());

        using var api = await client.GetAsync("/api/overview");
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Contains("\"error\"", await api.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
