namespace AdIntel.Web.Domain;

public sealed class Customer : IStoreOwned
{
    public long Id { get; set; }
    public long StoreId { get; set; }
    /// <summary>Shopify customer id when known, else "email:" + the lower-cased e-mail.</summary>
    public required string ExternalId { get; set; }
    public string? Email { get; set; }
    public string? FirstName { get; set; }
    public string? LastName { get; set; }
    public DateTime CreatedAtUtc { get; set; }
}
