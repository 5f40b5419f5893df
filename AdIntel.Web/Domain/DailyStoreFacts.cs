namespace AdIntel.Web.Domain;

/// <summary>
/// One store-local day's additive totals, rebuilt from orders, refunds and ad insights whenever they change.
/// The metrics read these instead of scanning orders, so any date range is a sum over at most a few hundred rows.
/// </summary>
public sealed class DailyStoreFacts : IStoreOwned
{
    public long Id { get; set; }
    public long StoreId { get; set; }
    public DateOnly Date { get; set; }
    public int Orders { get; set; }
    public decimal GrossSales { get; set; }
    public decimal Discounts { get; set; }
    /// <summary>Refunded merchandise booked on this day.</summary>
    public decimal Returns { get; set; }
    public decimal Shipping { get; set; }
    public decimal Taxes { get; set; }
    /// <summary>What customers paid for orders of this day (basis of percentage payment fees).</summary>
    public decimal OrderTotals { get; set; }
    /// <summary>Σ unit cost × quantity of lines with a known cost.</summary>
    public decimal Cogs { get; set; }
    /// <summary>Cost of refunded items restocked on this day (reduces COGS).</summary>
    public decimal ReturnedCogs { get; set; }
    public int LineItems { get; set; }
    public int LineItemsWithCost { get; set; }
    /// <summary>Σ unit price × quantity − line discount of the day's lines: the sales that COGS coverage weighs.</summary>
    public decimal LineSales { get; set; }
    /// <summary>The part of <see cref="LineSales"/> whose lines have a known unit cost.</summary>
    public decimal LineSalesWithCost { get; set; }
    public int NewCustomers { get; set; }
    /// <summary>Net sales (gross − discounts − refunds) of the first orders of new customers.</summary>
    public decimal NewCustomerNetSales { get; set; }
    public decimal AdSpend { get; set; }
    public decimal PlatformPurchaseValue { get; set; }
    public decimal PlatformPurchases { get; set; }
    public long Impressions { get; set; }
    public long LinkClicks { get; set; }
}
