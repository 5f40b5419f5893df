namespace AdIntel.Web.Domain;

/// <summary>
/// A Shopify webhook we accepted (HMAC verified), kept so a redelivery of the same event is recognised and ignored.
/// Not store-owned: deduplication happens before the shop is resolved, and shop/redact outlives the store it deletes.
/// </summary>
public sealed class WebhookReceipt
{
    public long Id { get; set; }
    /// <summary>X-Shopify-Event-Id when sent (the same across redeliveries), else X-Shopify-Webhook-Id.</summary>
    public required string DeliveryKey { get; set; }
    public string? WebhookId { get; set; }
    public required string Topic { get; set; }
    public required string ShopDomain { get; set; }
    public long? StoreId { get; set; }
    public DateTime ReceivedAtUtc { get; set; }
    /// <summary>processed or ignored (see <see cref="WebhookReceiptStatuses"/>); a delivery that fails leaves no receipt, so Shopify retries it.</summary>
    public string Status { get; set; } = WebhookReceiptStatuses.Processed;
    public string? Error { get; set; }
}

public static class WebhookReceiptStatuses
{
    public const string Processed = "processed";
    /// <summary>Nothing to apply: no store is connected to the shop, or the topic changed nothing (the receipt's error says why).</summary>
    public const string Ignored = "ignored";
}
