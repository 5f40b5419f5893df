namespace AdIntel.Web.Domain;

public sealed class AdSet : IStoreOwned
{
    public long Id { get; set; }
    public long StoreId { get; set; }
    public long CampaignId { get; set; }
    /// <summary>Ads Manager's "Ad set ID".</summary>
    public required string ExternalId { get; set; }
    public required string Name { get; set; }
    public string Status { get; set; } = EntityStatus.Active;
    public decimal? DailyBudget { get; set; }
    public DateOnly? StartDate { get; set; }
    /// <summary>Last time the budget or targeting was edited (resets Meta's learning phase).</summary>
    public DateTime? LastSignificantEditAtUtc { get; set; }
    public DateTime UpdatedAtUtc { get; set; }
}
