namespace AdIntel.Web.Domain;

/// <summary>A Shopify store (the tenant). Every store-owned row carries its id.</summary>
public sealed class Store
{
    public long Id { get; set; }
    public required string Name { get; set; }
    /// <summary>myshopify domain, e.g. "acme.myshopify.com".</summary>
    public required string ShopDomain { get; set; }
    /// <summary>ISO 4217 code of the store currency.</summary>
    public string Currency { get; set; } = "USD";
    /// <summary>IANA time zone; every date range and daily bucket is in this zone.</summary>
    public string TimeZone { get; set; } = "America/New_York";
    public bool IsDemo { get; set; }
    public DateTime CreatedAtUtc { get; set; }
}
