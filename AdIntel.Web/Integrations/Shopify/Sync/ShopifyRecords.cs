using AdIntel.Web.Ingestion;

namespace AdIntel.Web.Integrations.Shopify.Sync;

/// <summary>
/// One Shopify order as the sync and the webhooks read it: plain values in the shop's currency (Shopify's
/// <c>shopMoney</c>), ids as Shopify's numeric ids (the number at the end of a GID, or the REST <c>id</c>). Whoever reads
/// Shopify's JSON (GraphQL or a webhook payload) fills it; <see cref="ToIncoming"/> hands it to <see cref="OrderWriter"/>,
/// which decides how it is stored.
/// </summary>
public sealed record ShopifyOrderRecord
{
    public required long Id { get; init; }
    /// <summary>"#1001".</summary>
    public required string Name { get; init; }
    public string? Email { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>Shopify's updated_at: an order is stored again only when it changed (see <see cref="OrderWriteMode"/>).</summary>
    public required DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? CancelledAt { get; init; }
    public bool Test { get; init; }
    public string? SourceName { get; init; }
    /// <summary>The shop currency (ISO 4217).</summary>
    public required string Currency { get; init; }
    /// <summary>Shopify's financial status in any case ("PAID", "partially_refunded"); stored lower-case.</summary>
    public string? FinancialStatus { get; init; }
    /// <summary>Order- and line-level discounts (totalDiscountsSet / total_discounts).</summary>
    public decimal TotalDiscounts { get; init; }
    /// <summary>Shipping charged (totalShippingPriceSet / total_shipping_price_set).</summary>
    public decimal TotalShipping { get; init; }
    public decimal TotalTax { get; init; }
    /// <summary>What the customer paid at checkout, before refunds (totalPriceSet / total_price).</summary>
    public decimal TotalPrice { get; init; }
    public string? DiscountCode { get; init; }
    /// <summary>Null for a guest order.</summary>
    public ShopifyCustomerRecord? Customer { get; init; }
    public List<ShopifyLineRecord> Lines { get; init; } = [];
    public List<ShopifyRefundRecord> Refunds { get; init; } = [];

    /// <summary>The order as every source hands it to <see cref="OrderWriter"/>; Shopify's refunds replace an export's estimate.</summary>
    public IncomingOrder ToIncoming() => new()
    {
        ExternalId = ShopifyGid.ExternalId(Id),
        Name = Name,
        Email = Email,
        Customer = Customer?.ToIncoming(),
        CreatedAtUtc = CreatedAt.UtcDateTime,
        UpdatedAtUtc = UpdatedAt.UtcDateTime,
        CancelledAtUtc = CancelledAt?.UtcDateTime,
        IsTest = Test,
        SourceName = SourceName,
        Currency = Currency,
        FinancialStatus = FinancialStatus,
        Discounts = TotalDiscounts,
        Shipping = TotalShipping,
        Taxes = TotalTax,
        Total = TotalPrice,
        DiscountCode = DiscountCode,
        Lines = Lines.ConvertAll(l => new IncomingOrderLine
        {
            Title = l.Title,
            Sku = l.Sku,
            Quantity = l.Quantity,
            UnitPrice = l.UnitPrice,
            Discount = l.Discount,
            VariantExternalId = l.VariantId is { } variant ? ShopifyGid.ExternalId(variant) : null,
            UnitCost = l.UnitCost,
        }),
        Refunds = Refunds.ConvertAll(r => r.ToIncoming()),
    };

    public static List<IncomingOrder> ToIncoming(IEnumerable<ShopifyOrderRecord> orders) => orders.Select(o => o.ToIncoming()).ToList();
}

/// <summary>A line item. <see cref="UnitCost"/> is the variant's inventoryItem.unitCost when Shopify reported it.</summary>
public sealed record ShopifyLineRecord
{
    public required long Id { get; init; }
    /// <summary>Null when the product was deleted.</summary>
    public long? VariantId { get; init; }
    public string? Sku { get; init; }
    /// <summary>The line's name ("Product - Variant"), as the orders export's "Lineitem name".</summary>
    public required string Title { get; init; }
    /// <summary>Quantity ordered (not reduced by refunds: refunds are booked separately).</summary>
    public required int Quantity { get; init; }
    /// <summary>Price per unit before discounts (originalUnitPriceSet / price).</summary>
    public required decimal UnitPrice { get; init; }
    /// <summary>Discount allocated to the whole line (already part of the order's <see cref="ShopifyOrderRecord.TotalDiscounts"/>).</summary>
    public decimal Discount { get; init; }
    public decimal? UnitCost { get; init; }
}

/// <summary>
/// A refund: its total and how much of it was shipping and taxes; the rest (line subtotals, order adjustments) is the
/// refunded merchandise amount.
/// </summary>
public sealed record ShopifyRefundRecord
{
    public required long Id { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>Everything refunded (totalRefundedSet).</summary>
    public required decimal Total { get; init; }
    /// <summary>Refunded shipping, without its tax.</summary>
    public decimal Shipping { get; init; }
    /// <summary>Refunded taxes (of lines and shipping).</summary>
    public decimal Tax { get; init; }

    public IncomingRefund ToIncoming() => new()
    {
        ExternalId = ShopifyGid.ExternalId(Id), CreatedAtUtc = CreatedAt.UtcDateTime, Total = Total, Shipping = Shipping, Tax = Tax,
    };
}

public sealed record ShopifyCustomerRecord
{
    public required long Id { get; init; }
    public string? Email { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    /// <summary>Null when the payload does not say (an order's embedded customer); the customer's oldest order then stands in.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    public IncomingCustomer ToIncoming() => new()
    {
        ShopifyId = ShopifyGid.ExternalId(Id), Email = Email, FirstName = FirstName, LastName = LastName, CreatedAtUtc = CreatedAt?.UtcDateTime,
    };
}

public sealed record ShopifyProductRecord
{
    public required long Id { get; init; }
    public required string Title { get; init; }
    public string? ProductType { get; init; }
    public string? Vendor { get; init; }
    public List<ShopifyVariantRecord> Variants { get; init; } = [];
}

public sealed record ShopifyVariantRecord
{
    public required long Id { get; init; }
    public string? Sku { get; init; }
    public required string Title { get; init; }
    public decimal Price { get; init; }
    /// <summary>inventoryItem.unitCost; null when the merchant has not entered a cost.</summary>
    public decimal? UnitCost { get; init; }
}

/// <summary>What one write of products did.</summary>
public sealed record ShopifyWriteResult(int Created, int Updated, int Unchanged)
{
    public static ShopifyWriteResult None { get; } = new(0, 0, 0);

    public ShopifyWriteResult Add(ShopifyWriteResult other) => new(Created + other.Created, Updated + other.Updated, Unchanged + other.Unchanged);
}

/// <summary>Shopify's ids: GIDs (<c>gid://shopify/Order/123</c>) and the numeric id at their end, which is what we store.</summary>
public static class ShopifyGid
{
    public static long Number(string gid)
    {
        var slash = gid.LastIndexOf('/');
        var tail = gid.AsSpan(slash + 1);
        var query = tail.IndexOf('?');
        if (query >= 0)
        {
            tail = tail[..query];
        }
        return long.TryParse(tail, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new FormatException($"“{gid}” is not a Shopify GID.");
    }

    public static string Of(string type, long number) => $"gid://shopify/{type}/{ExternalId(number)}";

    /// <summary>Our ExternalId of a Shopify id: its decimal digits (what the orders export's "Id" column holds).</summary>
    public static string ExternalId(long number) => number.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
