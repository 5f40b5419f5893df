namespace AdIntel.Web.Domain;

/// <summary>An ad; what it shows (copy, headline, call to action) is its <see cref="AdCreative"/>.</summary>
public sealed class Ad : IStoreOwned
{
    public long Id { get; set; }
    public long StoreId { get; set; }
    public long AdSetId { get; set; }
    /// <summary>Denormalised from the ad set so campaign roll-ups need no join.</summary>
    public long CampaignId { get; set; }
    /// <summary>Ads Manager's "Ad ID".</summary>
    public required string ExternalId { get; set; }
    public required string Name { get; set; }
    public string Status { get; set; } = EntityStatus.Active;
    /// <summary>"image", "video" or "carousel".</summary>
    public string? CreativeType { get; set; }
    public DateOnly? StartDate { get; set; }
    public DateTime UpdatedAtUtc { get; set; }
}
