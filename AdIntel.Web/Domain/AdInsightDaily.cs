namespace AdIntel.Web.Domain;

/// <summary>One ad's delivery on one day (account time zone), as the ad platform reports it.</summary>
public sealed class AdInsightDaily : IStoreOwned
{
    public long Id { get; set; }
    public long StoreId { get; set; }
    public long AdId { get; set; }
    public DateOnly Date { get; set; }
    public long Impressions { get; set; }
    public long Reach { get; set; }
    public decimal Frequency { get; set; }
    public long LinkClicks { get; set; }
    public decimal Spend { get; set; }
    /// <summary>Purchases the platform attributes to the ad (one action type only).</summary>
    public decimal Purchases { get; set; }
    /// <summary>Platform-attributed purchase conversion value.</summary>
    public decimal PurchaseValue { get; set; }
}
