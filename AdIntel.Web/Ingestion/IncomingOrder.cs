namespace AdIntel.Web.Ingestion;

/// <summary>
/// One Shopify order as a source hands it to <see cref="OrderWriter"/>: the orders export (CSV import), the GraphQL sync
/// or a webhook. Plain values in the shop's currency; the writer decides how they are stored (the order's day, gross
/// sales, customer, variants, refunds).
/// </summary>
public sealed record IncomingOrder
{
    /// <summary>Shopify's order id (its digits: the export's "Id" column), or the order's name when an export has no ids.</summary>
    public required string ExternalId { get; init; }
    /// <summary>"#1001". An order stored under its name (an export without ids) is found by it too.</summary>
    public required string Name { get; init; }
    public string? Email { get; init; }
    /// <summary>Null for a guest order.</summary>
    public IncomingCustomer? Customer { get; init; }
    public required DateTime CreatedAtUtc { get; init; }
    /// <summary>Shopify's updated_at; null when the source has none (an export): the order is then stamped with the time of writing.</summary>
    public DateTime? UpdatedAtUtc { get; init; }
    public DateTime? CancelledAtUtc { get; init; }
    /// <summary>Shopify's test orders (the "Bogus" gateway) are stored but do not count as sales.</summary>
    public bool IsTest { get; init; }
    public string? SourceName { get; init; }
    /// <summary>ISO 4217; null: the store's currency.</summary>
    public string? Currency { get; init; }
    /// <summary>Shopify's financial status in any case; null: "paid".</summary>
    public string? FinancialStatus { get; init; }
    /// <summary>Order- and line-level discounts.</summary>
    public decimal Discounts { get; init; }
    public decimal Shipping { get; init; }
    public decimal Taxes { get; init; }
    /// <summary>What the customer paid at checkout, before refunds.</summary>
    public decimal Total { get; init; }
    public string? DiscountCode { get; init; }
    public List<IncomingOrderLine> Lines { get; init; } = [];
    public List<IncomingRefund> Refunds { get; init; } = [];
    /// <summary>
    /// The export's refunds are one estimate per order (its "Refunded Amount"); Shopify's own refunds, where an order
    /// has them, are more precise and are kept instead. A source that reads Shopify's refunds leaves this false: its
    /// refunds (none included) replace whatever the order had.
    /// </summary>
    public bool RefundsAreEstimated { get; init; }

    /// <summary>Σ unit price × quantity, before discounts.</summary>
    public decimal GrossSales
    {
        get
        {
            var gross = 0m;
            foreach (var line in Lines)
            {
                gross += line.UnitPrice * line.Quantity;
            }
            return gross;
        }
    }
}

/// <summary>A line item.</summary>
public sealed record IncomingOrderLine
{
    /// <summary>The line's name ("Product - Variant"), the export's "Lineitem name".</summary>
    public required string Title { get; init; }
    public string? Sku { get; init; }
    /// <summary>Quantity ordered (refunds are booked separately).</summary>
    public required int Quantity { get; init; }
    /// <summary>Price per unit before discounts.</summary>
    public required decimal UnitPrice { get; init; }
    /// <summary>Discount allocated to the whole line (already part of the order's discounts).</summary>
    public decimal Discount { get; init; }
    /// <summary>Shopify's variant id when the source names it; otherwise the line is linked to a variant by its SKU.</summary>
    public string? VariantExternalId { get; init; }
    /// <summary>The variant's unit cost as the source reports it; null: the linked variant's stored cost.</summary>
    public decimal? UnitCost { get; init; }
}

/// <summary>A refund: its total and how much of it was shipping and taxes; the rest is the refunded merchandise.</summary>
public sealed record IncomingRefund
{
    /// <summary>Shopify's refund id; ignored for an export's estimate, which is stored as <see cref="OrderWriter.EstimatedRefundPrefix"/> + the order's id.</summary>
    public string? ExternalId { get; init; }
    /// <summary>The refund's day is its date in the store's time zone.</summary>
    public required DateTime CreatedAtUtc { get; init; }
    public required decimal Total { get; init; }
    /// <summary>Refunded shipping, without its tax.</summary>
    public decimal Shipping { get; init; }
    /// <summary>Refunded taxes (of lines and shipping).</summary>
    public decimal Tax { get; init; }
}

/// <summary>
/// Who placed an order. With Shopify's customer id (a sync, a webhook) the customer is that id's, and what the record
/// says updates it; without one (the export knows only an e-mail) it is the store's customer with that e-mail, created
/// from this record when there is none and otherwise left as it is.
/// </summary>
public sealed record IncomingCustomer
{
    public string? ShopifyId { get; init; }
    public string? Email { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    /// <summary>Null when the source does not say; the customer's oldest order seen then stands in.</summary>
    public DateTime? CreatedAtUtc { get; init; }
}

/// <summary>When a stored order is rewritten by an incoming one of the same id.</summary>
public enum OrderWriteMode
{
    /// <summary>
    /// For a source without Shopify's updated_at (the export): rewritten when what it says differs from what is stored
    /// (its lines, refunds and fields; a line's unit cost is ours, not compared). Re-importing a file changes nothing.
    /// </summary>
    IfDifferent,
    /// <summary>
    /// The sync reads what Shopify holds now, so it is the truth: rewritten unless stored with exactly this updated_at
    /// (re-reading after a resume costs nothing). Orders first imported from an export are replaced.
    /// </summary>
    IfUpdatedAtDiffers,
    /// <summary>Webhooks arrive late, twice, or out of order: a record older than (or as old as) the stored order is ignored.</summary>
    IfNewer,
    /// <summary>Always rewrite: the record is known to be more complete than what is stored at the same updated_at.</summary>
    Always,
}

/// <summary>What one write did.</summary>
/// <param name="Refunds">Refunds stored with new orders, plus rewritten orders whose refunds changed.</param>
public sealed record OrderWriteResult(int Created, int Updated, int Unchanged, int CustomersCreated, int Refunds)
{
    public static OrderWriteResult None { get; } = new(0, 0, 0, 0, 0);
}
