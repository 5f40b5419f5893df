namespace AdIntel.Web.Domain;

/// <summary>Per-store cost assumptions and preferences used by the metrics.</summary>
public sealed class StoreSettings : IStoreOwned
{
    public long Id { get; set; }
    public long StoreId { get; set; }
    /// <summary>Payment processing fee as a percentage of the order total (2.9 means 2.9%).</summary>
    public decimal PaymentFeePercent { get; set; } = 2.9m;
    /// <summary>Fixed payment fee per order.</summary>
    public decimal PaymentFeeFixed { get; set; } = 0.30m;
    /// <summary>What shipping an order costs the merchant (label, packaging).</summary>
    public decimal ShippingCostPerOrder { get; set; }
    /// <summary>Marketing costs outside the ad platforms (agencies, influencers, tools), per month, spread evenly over its days.</summary>
    public decimal OtherMarketingCostPerMonth { get; set; }
    /// <summary>suggestions_only, auto_low_risk or auto_all: caps every rule's automation.</summary>
    public string AutomationMode { get; set; } = "suggestions_only";
    public DateTime UpdatedAtUtc { get; set; }
}
