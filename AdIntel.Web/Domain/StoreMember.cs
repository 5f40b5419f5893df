namespace AdIntel.Web.Domain;

/// <summary>A person's membership of a store with a role.</summary>
public sealed class StoreMember : IStoreOwned
{
    public long Id { get; set; }
    public long StoreId { get; set; }
    /// <summary>The local account (Auth:Mode=Local); null for people known only by e-mail (e.g. Shopify staff).</summary>
    public long? UserId { get; set; }
    public required string Email { get; set; }
    public string? DisplayName { get; set; }
    public StoreRole Role { get; set; }
    public DateTime CreatedAtUtc { get; set; }
}
