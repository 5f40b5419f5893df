namespace AdIntel.Web.Integrations.Shopify.App;

/// <summary>
/// The Shopify app's addresses. In the Shopify Partner dashboard / <c>shopify.app.toml</c>: App URL =
/// <see cref="Install"/>, allowed redirection URL = <see cref="Callback"/> (or the API aliases <see cref="ApiInstall"/> and
/// <see cref="ApiCallback"/>), webhooks (including the compliance topics)
/// = <see cref="Webhooks"/>.
/// </summary>
public static class ShopifyAppPaths
{
    public const string Root = "/integrations/shopify";

    /// <summary>GET: the install entry and the app URL Shopify opens (hmac, shop, timestamp, host, and id_token when embedded).</summary>
    public const string Install = Root + "/install";

    /// <summary>GET: where Shopify sends the merchant back with the authorization code.</summary>
    public const string Callback = Root + "/callback";

    /// <summary>GET: alias of <see cref="Install"/> (errors as API envelopes; Shopify comes back to <see cref="ApiCallback"/>).</summary>
    public const string ApiInstall = "/api/auth/shopify";

    /// <summary>GET: alias of <see cref="Callback"/>.</summary>
    public const string ApiCallback = ApiInstall + "/callback";

    /// <summary>GET: who is signed in: person, store, role and shop.</summary>
    public const string Me = ApiInstall + "/me";

    /// <summary>POST (form with antiforgery token, owner): forget the tokens and mark the connection disconnected.</summary>
    public const string Disconnect = Root + "/disconnect";

    public const string Webhooks = "/api/webhooks/shopify";

    /// <summary>GET: the store's privacy requests (owner); <c>/{id}</c> one of them; <c>/{id}/download</c> its JSON.</summary>
    public const string ComplianceRequests = "/api/compliance-requests";
}
