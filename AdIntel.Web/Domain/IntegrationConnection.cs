namespace AdIntel.Web.Domain;

/// <summary>
/// A store's connection to Shopify or Meta: which shop or ad account, its tokens (encrypted with ASP.NET Data
/// Protection, keys kept in the database — never the plain token), and where its sync stands. One per store and provider.
/// </summary>
public sealed class IntegrationConnection : IStoreOwned
{
    public long Id { get; set; }
    public long StoreId { get; set; }
    /// <summary><see cref="IntegrationProviders.Shopify"/> or <see cref="IntegrationProviders.Meta"/>.</summary>
    public required string Provider { get; set; }
    /// <summary>connected, needs_account (Meta: token held, ad account not chosen yet), error or disconnected.</summary>
    public string Status { get; set; } = IntegrationStatuses.Connected;
    /// <summary>The shop's myshopify domain, or the chosen Meta ad account ("act_123"); empty until chosen.</summary>
    public string ExternalAccountId { get; set; } = "";
    public string? DisplayName { get; set; }
    public string? EncryptedAccessToken { get; set; }
    public DateTime? AccessTokenExpiresAtUtc { get; set; }
    public string? EncryptedRefreshToken { get; set; }
    public DateTime? RefreshTokenExpiresAtUtc { get; set; }
    public string? Scopes { get; set; }
    public DateTime ConnectedAtUtc { get; set; }
    public DateTime UpdatedAtUtc { get; set; }
    /// <summary>Where the sync resumes (cursors, bulk operation id, rows done, high-water marks), as JSON.</summary>
    public string CheckpointJson { get; set; } = "{}";
    public DateTime? LastSyncStartedAtUtc { get; set; }
    public DateTime? LastSyncSucceededAtUtc { get; set; }
    public string? LastError { get; set; }
    public DateTime? LastErrorAtUtc { get; set; }
}

public static class IntegrationProviders
{
    public const string Shopify = "shopify";
    public const string Meta = "meta";
}

public static class IntegrationStatuses
{
    public const string Connected = "connected";
    public const string NeedsAccount = "needs_account";
    public const string Error = "error";
    public const string Disconnected = "disconnected";
}
