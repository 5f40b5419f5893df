namespace AdIntel.Web.Integrations.Shopify.App;

/// <summary>
/// What an install started in this browser expects back from Shopify: the <c>state</c> nonce, the shop, and — in Local
/// mode — the store and account that asked, so the callback attaches the shop to that store only. Kept in an
/// <see cref="OAuthStateCookie{TTicket}"/> named <see cref="CookieName"/>.
/// </summary>
public sealed record ShopifyInstallTicket(string Nonce, string Shop, long? StoreId, long? UserId)
{
    public const string CookieName = "adintel.shopify_install";

    /// <summary>A path on this site to return to once connected (Local mode: e.g. the integrations settings).</summary>
    public string? ReturnUrl { get; init; }
}
