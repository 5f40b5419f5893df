namespace AdIntel.Web.Domain;

/// <summary>
/// One recommendation of a store (Brain/Recommendations), by its stable key (type and entity): the latest computed
/// content while it is current, and the merchant's dismissal or snooze, which outlive recomputation.
/// </summary>
public sealed class RecommendationRecord : IStoreOwned
{
    public long Id { get; set; }
    public long StoreId { get; set; }
    /// <summary>"scale:ad_set:12": type and entity, unique per store.</summary>
    public required string Key { get; set; }
    /// <summary>scale, pause, fix, test or monitor.</summary>
    public required string Type { get; set; }
    /// <summary>high, medium or low.</summary>
    public required string Priority { get; set; }
    /// <summary>Position in the latest computation (0 first).</summary>
    public int Rank { get; set; }
    /// <summary>The recommendation as computed (title, reasoning, figures, impact, confidence, entities, action), JSON.</summary>
    public string PayloadJson { get; set; } = "{}";
    /// <summary>Whether the latest computation produced it; rows kept only for a dismissal or snooze are not current.</summary>
    public bool IsCurrent { get; set; }
    public DateTime FirstSeenAtUtc { get; set; }
    /// <summary>When a computation last produced it.</summary>
    public DateTime ComputedAtUtc { get; set; }
    public DateTime? DismissedAtUtc { get; set; }
    public string? DismissedBy { get; set; }
    /// <summary>Hidden until then.</summary>
    public DateTime? SnoozedUntilUtc { get; set; }
    public string? SnoozedBy { get; set; }
    /// <summary>The action it last sent to the approval queue.</summary>
    public long? ActionRecordId { get; set; }
}
