namespace AdIntel.Web.Domain;

public sealed class Product : IStoreOwned
{
    public long Id { get; set; }
    public long StoreId { get; set; }
    public required string ExternalId { get; set; }
    public required string Title { get; set; }
    public string? ProductType { get; set; }
    public string? Vendor { get; set; }
    public List<ProductVariant> Variants { get; set; } = [];
}
