using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Integrations.Meta;

/// <summary>A user access token and when it expires (null: never, e.g. a system user's).</summary>
public sealed record MetaToken(string AccessToken, DateTimeOffset? ExpiresAt);

/// <summary>
/// Facebook Login's manual flow (docs/integrations.md#facebook-login): the consent dialog URL, the code exchange and the trade for a
/// long-lived (~60 day) token. Token requests are POSTed as forms, so the app secret never appears in a URL (or in
/// a log line that prints one).
/// </summary>
public sealed class MetaOAuthClient(HttpClient http, IOptions<MetaOptions> options, TimeProvider time)
{
    public const string Scopes = "ads_read,ads_management,business_management";
    private readonly MetaOptions _options = options.Value;

    public Uri DialogUrl(string redirectUri, string state) =>
        new(QueryHelpers.AddQueryString($"{_options.DialogBaseUrl.TrimEnd('/')}/{_options.ApiVersion}/dialog/oauth", new Dictionary<string, string?>
        {
            ["client_id"] = Required(_options.AppId, "AppId"),
            ["redirect_uri"] = redirectUri,
            ["state"] = state,
            ["scope"] = Scopes,
            ["response_type"] = "code",
        }));

    /// <summary>The dialog's code for a short-lived token; <paramref name="redirectUri"/> must be the dialog's exactly.</summary>
    public Task<MetaToken> ExchangeCodeAsync(string code, string redirectUri, CancellationToken cancellationToken) =>
        RequestAsync(new Dictionary<string, string> { ["code"] = code, ["redirect_uri"] = redirectUri }, cancellationToken);

    public Task<MetaToken> ExchangeForLongLivedAsync(string shortLivedToken, CancellationToken cancellationToken) =>
        RequestAsync(new Dictionary<string, string> { ["grant_type"] = "fb_exchange_token", ["fb_exchange_token"] = shortLivedToken }, cancellationToken);

    private async Task<MetaToken> RequestAsync(Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        form["client_id"] = Required(_options.AppId, "AppId");
        form["client_secret"] = Required(_options.AppSecret, "AppSecret");
        var now = time.GetUtcNow();
        using var response = await http.PostAsync($"{_options.GraphBaseUrl.TrimEnd('/')}/{_options.ApiVersion}/oauth/access_token",
            new FormUrlEncodedContent(form), cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new MetaApiException(MetaGraphError.Parse((int)response.StatusCode, body));
        }
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var token = root.GetProperty("access_token").GetString()!;
            var expires = root.TryGetProperty("expires_in", out var seconds) && seconds.TryGetInt64(out var s) && s > 0 ? now.AddSeconds(s) : (DateTimeOffset?)null;
            return new MetaToken(token, expires);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new MetaApiException(new MetaGraphError(200, 0, null, "Meta's token answer has no access_token.", null, false, null));
        }
    }

    private static string Required(string? value, string name) =>
        string.IsNullOrWhiteSpace(value) ? throw new InvalidOperationException($"Meta:{name} is not configured.") : value;
}
