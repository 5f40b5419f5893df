namespace AdIntel.Web.Domain;

public sealed class Campaign : IStoreOwned
{
    public long Id { get; set; }
    public long StoreId { get; set; }
    public long AdAccountId { get; set; }
    /// <summary>Ads Manager's "Campaign ID".</summary>
    public required string ExternalId { get; set; }
    public required string Name { get; set; }
    public string Status { get; set; } = EntityStatus.Active;
    public string? Objective { get; set; }
    /// <summary>Campaign budget (CBO) per day in the account currency; null when budgets live on ad sets.</summary>
    public decimal? DailyBudget { get; set; }
    public DateOnly? StartDate { get; set; }
    public DateTime UpdatedAtUtc { get; set; }

    /// <summary>
    /// How far rules and recommendations may act on this campaign and everything in it: inherit (the store's mode),
    /// suggestions_only (every change waits for a person) or off (they leave it alone). Values in <c>CampaignAutomation</c>.
    /// </summary>
    public string Automation { get; set; } = "inherit";
}
