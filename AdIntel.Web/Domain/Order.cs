namespace AdIntel.Web.Domain;

public sealed class Order : IStoreOwned
{
    public long Id { get; set; }
    public long StoreId { get; set; }
    /// <summary>Shopify order id ("Id" column of the export).</summary>
    public required string ExternalId { get; set; }
    /// <summary>Shopify order name, e.g. "#1001".</summary>
    public required string Name { get; set; }
    public long? CustomerId { get; set; }
    public string? Email { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    /// <summary>Creation date in the store's time zone (the day the order counts on).</summary>
    public DateOnly LocalDate { get; set; }
    public DateTime UpdatedAtUtc { get; set; }
    public string Currency { get; set; } = "USD";
    public string FinancialStatus { get; set; } = "paid";
    public DateTime? CancelledAtUtc { get; set; }
    public bool IsTest { get; set; }
    public string? SourceName { get; set; }
    /// <summary>Σ line price × quantity before discounts.</summary>
    public decimal GrossSales { get; set; }
    /// <summary>Order- and line-level discounts.</summary>
    public decimal Discounts { get; set; }
    public decimal Shipping { get; set; }
    public decimal Taxes { get; set; }
    /// <summary>What the customer paid: gross − discounts + shipping + taxes.</summary>
    public decimal Total { get; set; }
    public string? DiscountCode { get; set; }
    /// <summary>Not loaded by queries: the writer and readers that need an order's lines or refunds fill these (by <see cref="OrderLine.OrderId"/>).</summary>
    public List<OrderLine> Lines { get; set; } = [];
    /// <summary>See <see cref="Lines"/>.</summary>
    public List<Refund> Refunds { get; set; } = [];

    public bool CountsAsSale => !IsTest && CancelledAtUtc is null;
}
