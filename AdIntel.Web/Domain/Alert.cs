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
    /// <summary>open or dismissed (see <see cref="AlertStatuses"/>).</summary>
    public string Status { get; set; } = AlertStatuses.Open;
    public DateTime CreatedAtUtc { get; set; }
    public DateTime? ResolvedAtUtc { get; set; }
}

public static class AlertStatuses
{
    public const string Open = "open";
    /// <summary>Taken back: the notification that raised it was undone.</summary>
    public const string Dismissed = "dismissed";
}
