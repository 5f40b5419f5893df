using System.Globalization;
using AdIntel.Web.Domain;
using AdIntel.Web.Metrics;
using AdIntel.Web.Rules.Actions;
using AdIntel.Web.Tracking;
using AdIntel.Web.Rules.Snapshots;

namespace AdIntel.Web.Brain.Recommendations;

/// <summary>
/// Everything the engine judges, loaded once per computation by <see cref="RecommendationService"/>: the rules'
/// snapshot of every entity (the same windowed metrics rules read), the store's metrics, targets, safety rails and
/// tracking health. The recommenders are pure functions of it.
/// </summary>
public sealed record RecommendationContext
{
    /// <summary>The store-local day the computation runs on; windows end the day before (complete days).</summary>
    public required DateOnly Today { get; init; }
    public required DateTime NowUtc { get; init; }
    public required TimeZoneInfo TimeZone { get; init; }
    /// <summary>The store, as the entity of store-wide recommendations.</summary>
    public required RecommendationEntity Store { get; init; }
    public required MetricFormatter Format { get; init; }
    public required StoreTargets Targets { get; init; }
    public required RailSettings Rails { get; init; }
    public required RailLedger Ledger { get; init; }
    public required TrackingStatus Tracking { get; init; }
    /// <summary>Every campaign, ad set and ad with the rule variables as of now.</summary>
    public required RuleSnapshot Snapshot { get; init; }
    /// <summary>Each ad set's own daily budget (null under a campaign budget).</summary>
    public required IReadOnlyDictionary<long, decimal?> AdSetBudgets { get; init; }
    /// <summary>The store's metrics over the last 7 complete days.</summary>
    public required KpiSet Last7Days { get; init; }
    /// <summary>The store's metrics over the last 30 complete days.</summary>
    public required KpiSet Last30Days { get; init; }
    /// <summary>The store's metrics over the 30 days before those (the trend's other end).</summary>
    public required KpiSet Previous30Days { get; init; }
    /// <summary>The store's daily facts of the days tracking is broken on.</summary>
    public required IReadOnlyList<DailyStoreFacts> BrokenDayFacts { get; init; }

    public DateRange Window7 => DatePreset.Last7Days.RangeEndingOn(Today);
    public DateRange Window30 => DatePreset.Last30Days.RangeEndingOn(Today);

    /// <summary>"last 7 complete days, 2026-11-30 to 2026-12-06": how a figure's window is written.</summary>
    public static string Describe(DateRange range) => $"last {range.Days} complete days, {Span(range.From, range.To)}";

    /// <summary>"2026-11-30 to 2026-12-06".</summary>
    public static string Span(DateOnly from, DateOnly to) => $"{Iso(from)} to {Iso(to)}";

    public string Last7 => Describe(Window7);
    public string Last30 => Describe(Window30);
    public string Previous30 => $"{Window30.Days} days before, {Span(Window30.GetPreviousPeriod().From, Window30.GetPreviousPeriod().To)}";

    /// <summary>The target CPA ads are judged against and where it comes from (null when the store has neither a setting nor a break-even).</summary>
    public (decimal Value, string Window)? TargetCpa
    {
        get
        {
            var now = new StoreTargetsNow(Targets, StoreTargets.BreakEvenCpa(Last30Days), Window30);
            return now.Cpa is { } cpa ? (cpa, now.Targets.Cpa is null ? "break-even, " + Last30 : "your setting") : null;
        }
    }

    /// <summary>Whether an entity delivers: it, and its ad set and campaign where it has them, are active.</summary>
    public bool Delivers(EntitySnapshot entity)
    {
        if (!IsActive(entity.Status))
        {
            return false;
        }
        if (entity.AdSetId is { } adSetId && entity.Scope == RuleScope.Ad && Snapshot.Find(RuleScope.AdSet, adSetId) is { } adSet && !IsActive(adSet.Status))
        {
            return false;
        }
        return entity.CampaignId is not { } campaignId || entity.Scope == RuleScope.Campaign
            || Snapshot.Find(RuleScope.Campaign, campaignId) is not { } campaign || IsActive(campaign.Status);
    }

    /// <summary>The entity and its parents (ad → ad set → campaign), as a recommendation names them.</summary>
    public IReadOnlyList<RecommendationEntity> Lineage(EntitySnapshot entity)
    {
        var entities = new List<RecommendationEntity> { Named(entity) };
        if (entity.Scope == RuleScope.Ad && entity.AdSetId is { } adSetId && Snapshot.Find(RuleScope.AdSet, adSetId) is { } adSet)
        {
            entities.Add(Named(adSet));
        }
        if (entity.Scope is RuleScope.Ad or RuleScope.AdSet && entity.CampaignId is { } campaignId && Snapshot.Find(RuleScope.Campaign, campaignId) is { } campaign)
        {
            entities.Add(Named(campaign));
        }
        return entities;
    }

    /// <summary>The store-local day of an instant.</summary>
    public DateOnly LocalDate(DateTime utc) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), TimeZone));

    public static RecommendationEntity Named(EntitySnapshot entity) => new(entity.Scope.ToApiName(), entity.Id, entity.ExternalId, entity.Name);

    public static RecommendedEvidence Evidence(EntitySnapshot entity) =>
        new(Value(entity, "spend_7d"), (long)Value(entity, "impressions_7d"), Value(entity, "purchases_7d"));

    /// <summary>A rule variable of the entity as a decimal (0 when missing).</summary>
    public static decimal Value(EntitySnapshot entity, string variable) => entity.Value(variable) is { } value ? (decimal)value : 0m;

    private static bool IsActive(string status) => string.Equals(status, EntityStatus.Active, StringComparison.OrdinalIgnoreCase);

    public static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
