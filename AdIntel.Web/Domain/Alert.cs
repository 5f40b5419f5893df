namespace AdIntel.Web.Domain;

public sealed class Alert : IStoreOwned
{
    public long Id { get; set; }
    public long StoreId { get; set; }
    public required string Type { get; set; }
    /// <summary>low, medium, high or critical.</summary>
    public string Severity { get; set; } = "medium";
    /// <summary>campaign, ad_set, ad, tracking or system.</summary>
    public string EntityType { get; set; } = "system";
    public long? EntityId { get; set; }
    public required string Title { get; set; }
    public required string Message { get; set; }
    public string? Recommendation { get; set; }
    /// <summary>open, snoozed, resolved or dismissed.</summary>
    public string Status { get; set; } = "open";
    public DateTime CreatedAtUtc { get; set; }
    public DateTime? ResolvedAtUtc { get; set; }
}
