using AdIntel.Plugins.Abstractions;
using AdIntel.Web.Rules.Expressions;

namespace AdIntel.Web.Rules.Snapshots;

/// <summary>
/// One account, campaign, ad set or ad at one instant: every catalogue variable's value (the row compiled
/// expressions read) and the daily history up to that instant's store-local day.
/// </summary>
public sealed class EntitySnapshot
{
    private readonly EntityRecord _record;
    private readonly DateOnly _day;
    private IReadOnlyList<DailyDelivery>? _history;

    internal EntitySnapshot(EntityRecord entity, double[] values, DateOnly day)
    {
        _record = entity;
        _day = day;
        Scope = entity.Scope;
        Id = entity.Id;
        ExternalId = entity.ExternalId;
        Name = entity.Name;
        Status = entity.Status;
        OwnBudget = entity.OwnBudget;
        StartDate = entity.StartDate;
        LastSignificantEditAtUtc = entity.LastSignificantEditAtUtc;
        AdAccountId = entity.AdAccountId;
        CampaignId = entity.CampaignId;
        AdSetId = entity.AdSetId;
        Tags = entity.Tags;
        CampaignAutomation = entity.CampaignAutomation;
        Values = values;
    }

    public RuleScope Scope { get; }
    public long Id { get; }

    /// <summary>The ad platform's id (the API's <c>externalId</c>).</summary>
    public string ExternalId { get; }

    public string Name { get; }

    /// <summary>The status as the platform names it (for accounts: ACTIVE while any campaign is).</summary>
    public string Status { get; }

    /// <summary>The entity's own daily budget as the platform holds it (null for ads and for ad sets under a campaign budget).</summary>
    public decimal? OwnBudget { get; }

    /// <summary>The <c>daily_budget</c> variable: the budget the entity spends from.</summary>
    public double? DailyBudget => RuleOps.ToNullable(Values[BudgetSlot]);

    public DateOnly? StartDate { get; }

    /// <summary>The last budget/bid/targeting edit (ad sets, and ads through their ad set).</summary>
    public DateTime? LastSignificantEditAtUtc { get; }

    /// <summary>The entity's account, campaign and ad set where they apply (an ad has all three, an account none).</summary>
    public long? AdAccountId { get; }
    public long? CampaignId { get; }
    public long? AdSetId { get; }

    /// <summary>The entity's tags (<see cref="Domain.EntityTag"/>), for rule filters.</summary>
    public IReadOnlyList<string> Tags { get; }

    /// <summary>The automation setting of the entity's campaign (itself for a campaign).</summary>
    public Definitions.CampaignAutomationSetting CampaignAutomation { get; }

    /// <summary>
    /// The row compiled expressions read: one value per <see cref="RuleVariableCatalogue.All"/> variable at its slot,
    /// NaN for missing, 1/0 for true/false, the status as <see cref="RuleVariableCatalogue.StatusCode"/>. Do not modify.
    /// </summary>
    public double[] Values { get; }

    /// <summary>Days with delivery, oldest first, up to and including the snapshot's day (made when first asked for).</summary>
    public IReadOnlyList<DailyDelivery> History => _history ??= _record.Series.Value.Through(_day);

    public double? Value(RuleVariable variable) => RuleOps.ToNullable(Values[variable.Slot]);

    public double? Value(string variable) => Value(RuleVariableCatalogue.Get(variable));

    private static readonly int BudgetSlot = RuleVariableCatalogue.Get(RuleVariableCatalogue.DailyBudget).Slot;
}

/// <summary>An entity as loaded from the database, with its delivery series (a parent's is merged from its ads' when first asked for).</summary>
internal sealed record EntityRecord(
    RuleScope Scope,
    long Id,
    string ExternalId,
    string Name,
    string Status,
    decimal? OwnBudget,
    DateOnly? StartDate,
    DateTime? LastSignificantEditAtUtc,
    long? AdAccountId,
    long? CampaignId,
    long? AdSetId,
    Lazy<DeliverySeries> Series)
{
    public IReadOnlyList<string> Tags { get; init; } = [];

    public Definitions.CampaignAutomationSetting CampaignAutomation { get; init; } = Definitions.CampaignAutomationSetting.Inherited;
}
