namespace AdIntel.Web.Pages.Campaigns;

public enum PerformanceLevel
{
    Campaign,
    AdSet,
    Ad,
}

/// <summary>One campaign, ad set or ad with its delivery over the requested range.</summary>
public sealed record PerformanceRow(PerformanceLevel Level, long Id, string ExternalId, string Name, string Status, DeliveryTotals Totals)
{
    public long CampaignId { get; init; }

    /// <summary>The ad set of an ad; for an ad set its own id.</summary>
    public long? AdSetId { get; init; }

    /// <summary>
    /// Campaigns: the campaign budget (CBO), else the sum of its active ad sets' budgets (see <see cref="BudgetLevel"/>).
    /// Ad sets: their own budget, null under a campaign budget. Ads: null.
    /// </summary>
    public decimal? DailyBudget { get; init; }

    /// <summary>Where <see cref="DailyBudget"/> is set: <c>campaign</c>, <c>ad_set</c>, or null when there is none.</summary>
    public string? BudgetLevel { get; init; }

    /// <summary>Ad sets only: delivering but still in Meta's learning phase (see <see cref="LearningPhase"/>).</summary>
    public LearningState Learning { get; init; }

    public bool IsLearning => Learning != LearningState.None;

    public string? Objective { get; init; }

    public string? CreativeType { get; init; }

    public DateOnly? StartDate { get; init; }

    /// <summary>Tags put on the entity by rules' tag actions, A→Z.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Campaigns: their automation setting (inherit, suggestions_only or off); null for ad sets and ads.</summary>
    public string? Automation { get; init; }

    /// <summary>Lower-case status for badges and the API: active, paused or archived.</summary>
    public string StatusKey => Status.ToLowerInvariant();
}

public enum LearningState
{
    None,
    /// <summary>Started or significantly edited within the last 7 days and not yet at 50 purchases a week.</summary>
    Learning,
    /// <summary>Running unchanged for over 7 days and still below 50 purchases a week.</summary>
    Limited,
}

/// <summary>Meta's learning phase as this app estimates it from the data it has.</summary>
public static class LearningPhase
{
    /// <summary>Meta leaves the learning phase after about 50 optimisation events within 7 days.</summary>
    public const int PurchasesToExit = 50;

    public const int WindowDays = 7;

    /// <summary>A significant edit (budget, targeting, creative) restarts learning; we treat the last 72 hours as learning.</summary>
    public static readonly TimeSpan EditResetsFor = TimeSpan.FromHours(72);

    public const string Explanation =
        "Learning: the ad set started or had a significant edit recently (within 72 hours, or within 7 days with fewer than " +
        "50 purchases since). Results are less stable until Meta has about 50 purchases a week to optimise on.";

    public const string LimitedExplanation =
        "Learning limited: the ad set has run unchanged for over 7 days and still had fewer than 50 purchases in the last " +
        "7 days, so Meta cannot finish learning. More budget, a broader audience or merging ad sets usually helps.";

    /// <summary>
    /// The learning state of a delivering ad set (it and its campaign active): learning with fewer than 50 purchases in
    /// the last 7 complete store days, or after a significant edit within the last 72 hours. When it has been running
    /// unchanged for more than 7 days and still gets fewer than 50, Meta calls it "learning limited": it will not leave
    /// the phase without more budget or a broader audience.
    /// </summary>
    /// <param name="purchasesLast7Days">Purchases in the 7 complete store days before today.</param>
    /// <param name="firstDayOfWindow">The first of those 7 days.</param>
    public static LearningState Classify(DateTime? lastSignificantEditUtc, DateOnly? startDate, decimal purchasesLast7Days, DateTime nowUtc,
        DateOnly firstDayOfWindow)
    {
        var recentlyEdited = lastSignificantEditUtc >= nowUtc - EditResetsFor;
        if (!recentlyEdited && purchasesLast7Days >= PurchasesToExit)
        {
            return LearningState.None;
        }
        var resetWithinWindow = recentlyEdited
            || lastSignificantEditUtc >= nowUtc.AddDays(-WindowDays)
            || startDate >= firstDayOfWindow;
        return resetWithinWindow ? LearningState.Learning : LearningState.Limited;
    }
}
