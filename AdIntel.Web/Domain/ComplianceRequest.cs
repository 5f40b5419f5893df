namespace AdIntel.Web.Domain;

/// <summary>
/// A mandatory Shopify privacy request (customers/data_request, customers/redact) and what was done: the data export
/// produced, or the records redacted. Owners see and download them in Settings → Integrations.
/// </summary>
public sealed class ComplianceRequest : IStoreOwned
{
    public long Id { get; set; }
    public long StoreId { get; set; }
    /// <summary>customers/data_request or customers/redact.</summary>
    public required string Topic { get; set; }
    public string? CustomerExternalId { get; set; }
    public string? CustomerEmail { get; set; }
    /// <summary>Shopify's data_request.id, when given.</summary>
    public string? ShopifyRequestId { get; set; }
    /// <summary>data_request: the customer's data as JSON; redact: what was redacted (counts).</summary>
    public string ResultJson { get; set; } = "{}";
    public DateTime ReceivedAtUtc { get; set; }
    public DateTime? CompletedAtUtc { get; set; }
}
