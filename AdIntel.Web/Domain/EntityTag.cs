namespace AdIntel.Web.Domain;

/// <summary>
/// A tag on a campaign, ad set or ad ("fatigued", "winner"): set by a rule's tag action (or a person), shown on the
/// entity's page and matched by rule filters. One row per entity and tag.
/// </summary>
public sealed class EntityTag : IStoreOwned
{
    public const int MaxLength = 50;

    public long Id { get; set; }
    public long StoreId { get; set; }

    /// <summary>campaign, ad_set or ad.</summary>
    public required string EntityScope { get; set; }
    public long EntityId { get; set; }
    public required string Tag { get; set; }

    /// <summary>The action that set it (its undo removes it); null when a person added it.</summary>
    public long? ActionRecordId { get; set; }
    public DateTime CreatedAtUtc { get; set; }
}
