namespace AdIntel.Web.Domain;

public sealed class ProductVariant : IStoreOwned
{
    public long Id { get; set; }
    public long StoreId { get; set; }
    public long ProductId { get; set; }
    public required string ExternalId { get; set; }
    public string? Sku { get; set; }
    public required string Title { get; set; }
    public decimal Price { get; set; }
    /// <summary>Shopify's inventoryItem.unitCost; null when the merchant has not entered it.</summary>
    public decimal? UnitCost { get; set; }
}
