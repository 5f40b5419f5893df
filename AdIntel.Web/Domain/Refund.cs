namespace AdIntel.Web.Domain;

public sealed class Refund : IStoreOwned
{
    public long Id { get; set; }
    public long StoreId { get; set; }
    public long OrderId { get; set; }
    public required string ExternalId { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    /// <summary>Refund date in the store's time zone (returns are booked on this day).</summary>
    public DateOnly LocalDate { get; set; }
    /// <summary>Refunded merchandise amount (excluding shipping and taxes).</summary>
    public decimal Amount { get; set; }
    public decimal ShippingRefunded { get; set; }
    public decimal TaxRefunded { get; set; }
}
