using System.Net;
using AdIntel.Fakes;
using AdIntel.Web.Integrations.Meta;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Tests.Integrations.Meta;

/// <summary>Facebook Login against the fake: dialog, code exchange, long-lived token, then a Graph call with it.</summary>
public sealed class MetaOAuthClientTests
{
    private const string Callback = "https://app.example/settings/integrations/meta/callback";

    private static MetaOptions Options(FakeServer server, string? secret = null) => new()
    {
        GraphBaseUrl = server.MetaBaseUrl, DialogBaseUrl = server.MetaBaseUrl, AppId = server.Meta.AppId, AppSecret = secret ?? server.Meta.AppSecret,
        RetryBaseDelay = TimeSpan.FromMilliseconds(5),
    };

    private static async Task<string> ConsentAsync(Uri dialog, string expectedState)
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var response = await browser.GetAsync(dialog);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var query = QueryHelpers.ParseQuery(response.Headers.Location!.Query);
        Assert.Equal(expectedState, query["state"].ToString());
        return query["code"].ToString();
    }

    [Fact]
    public async Task Connect_gets_a_long_lived_token_that_the_graph_client_can_use()
    {
        await using var server = await FakeServer.StartAsync(meta: AdIntel.Fakes.Meta.FakeMetaSample.Create(new DateOnly(2026, 10, 31), days: 2));
        var oauth = new MetaOAuthClient(new HttpClient(), Microsoft.Extensions.Options.Options.Create(Options(server)), TimeProvider.System);

        var code = await ConsentAsync(oauth.DialogUrl(Callback, "state-1"), "state-1");
        var shortLived = await oauth.ExchangeCodeAsync(code, Callback, CancellationToken.None);
        var longLived = await oauth.ExchangeForLongLivedAsync(shortLived.AccessToken, CancellationToken.None);

        Assert.InRange(longLived.ExpiresAt!.Value, DateTimeOffset.UtcNow.AddDays(59), DateTimeOffset.UtcNow.AddDays(61));
        var graph = new MetaGraphClient(new HttpClient(), Microsoft.Extensions.Options.Options.Create(Options(server)), TimeProvider.System, NullLogger<MetaGraphClient>.Instance);
        Assert.Single(await graph.GetAdAccountsAsync(longLived.AccessToken, CancellationToken.None));

        // A code is good for one exchange only.
        var reused = await Assert.ThrowsAsync<MetaApiException>(() => oauth.ExchangeCodeAsync(code, Callback, CancellationToken.None));
        Assert.Equal(100, reused.Error.Code);
    }

    [Fact]
    public async Task A_wrong_app_secret_gets_no_token()
    {
        await using var server = await FakeServer.StartAsync();
        var oauth = new MetaOAuthClient(new HttpClient(), Microsoft.Extensions.Options.Options.Create(Options(server, secret: "wrong")), TimeProvider.System);
        var code = await ConsentAsync(oauth.DialogUrl(Callback, "s"), "s");

        await Assert.ThrowsAsync<MetaApiException>(() => oauth.ExchangeCodeAsync(code, Callback, CancellationToken.None));
    }
}
