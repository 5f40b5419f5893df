namespace AdIntel.Web.Domain;

public sealed class OrderLine : IStoreOwned
{
    public long Id { get; set; }
    public long StoreId { get; set; }
    public long OrderId { get; set; }
    public long? VariantId { get; set; }
    public string? Sku { get; set; }
    public required string Title { get; set; }
    public int Quantity { get; set; }
    public decimal UnitPrice { get; set; }
    /// <summary>Line-level discount (already part of the order's Discounts).</summary>
    public decimal Discount { get; set; }
    /// <summary>Variant unit cost when the order was placed; null when unknown.</summary>
    public decimal? UnitCost { get; set; }
}
