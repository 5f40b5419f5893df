namespace AdIntel.Fakes.Shopify;

/// <summary>The fake Shopify's app credentials and the tokens it has handed out, per shop.</summary>
public sealed class FakeShopifyState
{
    public string ClientId { get; set; } = "fake-shopify-client-id";
    public string ClientSecret { get; set; } = "fake-shopify-client-secret";
    public string Scopes { get; set; } = "read_orders,read_all_orders,read_products,read_customers,read_inventory";
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Authorization codes: one use each, valid for a minute.</summary>
    public Dictionary<string, (string Shop, DateTimeOffset Expires)> Codes { get; } = [];
    /// <summary>Access tokens by value.</summary>
    public Dictionary<string, FakeShopifyToken> AccessTokens { get; } = [];
    /// <summary>Refresh tokens by value; a consumed one answers invalid_grant.</summary>
    public Dictionary<string, FakeShopifyRefresh> RefreshTokens { get; } = [];

    /// <summary>The GraphQL Admin API's side: shops' data, rate limits, bulk operations, faults (FakeShopifyGraphQl).</summary>
    public FakeShopifyAdmin Admin { get; } = new();
}

public sealed record FakeShopifyToken(string Shop, DateTimeOffset? Expires);

public sealed class FakeShopifyRefresh(string shop, DateTimeOffset expires)
{
    public string Shop => shop;
    public DateTimeOffset Expires => expires;
    public bool Consumed { get; set; }
}
