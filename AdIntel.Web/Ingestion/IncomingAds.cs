namespace AdIntel.Web.Ingestion;

/// <summary>
/// A Meta ad account, campaigns, ad sets and ads as a source hands them to <see cref="MetaAdsWriter"/>: an Ads Manager
/// export (CSV import) or the Meta sync. Each is keyed by its Meta id (an export without ids: a key derived from the
/// names); null fields are what the source does not say, and leave the stored value as it is.
/// </summary>
/// <param name="AccountForUnnamed">
/// Where new campaigns that name no account go when the store has no Meta ad account yet (otherwise they go to its
/// first); null when every campaign names its account.
/// </param>
public sealed record IncomingAdStructure(IReadOnlyList<IncomingAdAccount> Accounts, IReadOnlyList<IncomingCampaign> Campaigns,
    IReadOnlyList<IncomingAdSet> AdSets, IReadOnlyList<IncomingAd> Ads, IncomingAdAccount? AccountForUnnamed = null);

/// <summary>An ad account ("act_1234"). A new one without a name is named by its id, without a currency in the store's.</summary>
public sealed record IncomingAdAccount(string ExternalId, string? Name, string? Currency);

/// <summary>A campaign in the account <paramref name="AccountExternalId"/>; null when the source does not say (an export without account ids).</summary>
public sealed record IncomingCampaign(string ExternalId, string? AccountExternalId, string Name, AdDelivery? Delivery);

public sealed record IncomingAdSet(string ExternalId, string CampaignExternalId, string Name, AdDelivery? Delivery);

public sealed record IncomingAd(string ExternalId, string AdSetExternalId, string Name, AdDelivery? Delivery);

/// <summary>
/// How an entity delivers, when the source knows (the sync does; an export does not): its <see cref="Domain.EntityStatus"/>,
/// its daily budget in the account currency (null: none on this level; not used for ads) and its start date (null: unknown).
/// </summary>
public sealed record AdDelivery(string Status, decimal? DailyBudget, DateOnly? StartDate);

/// <summary>
/// One ad's delivery on one day. Several records of one ad and day (an export's breakdown rows, a report spanning a
/// change of attribution) are added up.
/// </summary>
public sealed record IncomingAdInsightDay
{
    public required string AdExternalId { get; init; }
    public required DateOnly Date { get; init; }
    public decimal Spend { get; init; }
    public long Impressions { get; init; }
    public long Reach { get; init; }
    /// <summary>Meta's own frequency when the source has it; otherwise (and for added-up records) impressions / reach.</summary>
    public decimal? Frequency { get; init; }
    public long LinkClicks { get; init; }
    /// <summary>Purchases of the one action type counted.</summary>
    public decimal Purchases { get; init; }
    public decimal PurchaseValue { get; init; }
}

/// <summary>A range of days a source holds whole for an account: stored days of its ads in it that the source lacks are removed.</summary>
public sealed record InsightRange(string AccountExternalId, DateOnly From, DateOnly To);

public sealed record AdStructureWriteResult(int CampaignsCreated, int AdSetsCreated, int AdsCreated);

/// <param name="UnknownAds">Ad days of ads neither stored nor in the structure written before; not stored.</param>
public sealed record InsightWriteResult(int Created, int Updated, int Unchanged, int Deleted, int UnknownAds);
