using System.Security.Cryptography;
using System.Text;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Caching;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Tenancy;
using AdIntel.Web.Metrics;
using AdIntel.Web.Rules.Actions;
using AdIntel.Web.Tracking;
using AdIntel.Web.Rules.Snapshots;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Brain.Planner;

/// <summary>
/// A daily budget the planner looked at (an active campaign with its own budget, or an active ad set with its own
/// budget in a campaign without one), its last 90 days and what the planner makes of them.
/// </summary>
/// <param name="TodaySpend">Mean daily spend over the last 7 complete days with delivery; null when it did not spend.</param>
/// <param name="Days">Its days with spend, as the platform reported them.</param>
/// <param name="Store">Which days are left out, and each day's demand relative to today's.</param>
/// <param name="Problem">Why no curve or no proposal: not a sales objective, too little spread, no recent spend; null when fitted.</param>
public sealed record PlannedBudget(RuleScope Scope, long Id, string ExternalId, string Name, long CampaignId, string CampaignName, decimal Budget,
    double? TodaySpend, IReadOnlyList<SpendDay> Days, StoreDays Store, SpendResponseFit Fit, string? Problem)
{
    public string Key => $"{Scope.ToApiName()}:{Id}";

    public LogSpendResponse? Curve => Problem is null ? Fit.Curve : null;

    public bool IsExcluded(DateOnly day) => Store.Excluded.ContainsKey(day);

    /// <summary>Its days scaled to today's demand: what the curve is fitted to and the chart shows.</summary>
    public IEnumerable<SpendDay> DaysAtTodaysDemand => Days.Select(Store.AtTodaysDemand);

    /// <summary>The days the fit used, at today's demand.</summary>
    public IEnumerable<SpendDay> UsedDays => DaysAtTodaysDemand.Where(d => !IsExcluded(d.Date));
}

/// <summary>The planner's answer for the current store: every budget, and the reallocation it proposes.</summary>
/// <param name="MarginPerSale">Contribution margin ÷ total sales over the window; null without sales.</param>
/// <param name="Problem">Why nothing is proposed, when that is not simply because nothing would gain.</param>
public sealed record BudgetPlan(DateOnly Today, DateRange Window, decimal? MarginPerSale, decimal MaxBudgetChangePercentPerDay,
    IReadOnlyList<PlannedBudget> Budgets, BudgetAllocation Allocation, string? Problem)
{
    public PlannedBudget? Find(string key) => Budgets.FirstOrDefault(b => b.Key == key);

    public BudgetChange? ChangeOf(PlannedBudget budget) => Allocation.Changes.FirstOrDefault(c => c.Key == budget.Key);

    /// <summary>Marginal profit per extra unit of spend at today's spend (marginal ROAS × margin − 1); null without a curve or margin.</summary>
    public double? MarginalProfit(double? marginalRoas) => marginalRoas is { } roas && MarginPerSale is { } margin ? roas * (double)margin - 1 : null;
}

/// <summary>
/// Reads what the budget planner needs for the current store and puts it through the pure parts: each budget's daily
/// spend and attributed purchase value over the last 90 complete days, at today's demand, without days of broken
/// tracking or sales events (<see cref="StoreDays"/>, <see cref="SpendResponseFitter"/>), the store's contribution margin per unit of sales
/// over the same days from <see cref="MetricsService"/>, and the daily budget rail from the store's settings
/// (<see cref="BudgetAllocator"/>). It only proposes: sending a proposal to the approval queue is
/// <see cref="PlannerApprovals"/>'s job.
/// </summary>
public sealed class BudgetPlanner(AdIntelDbContext db, StoreClock clock, MetricsService metrics, StoreCache cache, StoreContext storeContext)
{
    public const int RecentDays = 7;

    /// <summary>Meta objectives (current and legacy) whose campaigns are meant to bring purchases; a campaign without one counts as selling.</summary>
    public static readonly IReadOnlySet<string> SalesObjectives = new HashSet<string>(["OUTCOME_SALES", "CONVERSIONS", "PRODUCT_CATALOG_SALES"], StringComparer.OrdinalIgnoreCase);

    private static readonly TimeSpan KeptFor = TimeSpan.FromHours(6);

    public async Task<BudgetPlan> BuildAsync(CancellationToken cancellationToken)
    {
        var today = await clock.GetTodayAsync(cancellationToken);
        var window = DatePreset.Last90Days.RangeEndingOn(today);
        var settings = await db.StoreSettings.AsNoTracking().FirstOrDefaultAsync(cancellationToken) ?? new StoreSettings();
        var rails = RailSettings.From(settings);
        var margin = (await metrics.GetKpisAsync(window, cancellationToken)).MarginPerSale;
        var first = window.From.AddDays(-(TrackingHealth.BaselineDays + TrackingHealth.LookbackDays + 1));
        var facts = await db.DailyFacts.AsNoTracking().Where(f => f.Date >= first && f.Date <= window.To).OrderBy(f => f.Date).ToListAsync(cancellationToken);
        var store = StoreDays.From(facts, window, rails.TrackingDropPercent);
        var candidates = await CandidatesAsync(window, cancellationToken);
        var fits = await FitAsync(candidates, store, cancellationToken);

        var budgets = candidates.Select(candidate =>
        {
            var recent = candidate.Days.Where(d => d.Date > today.AddDays(-RecentDays - 1)).ToList();
            var todaySpend = recent.Count > 0 ? recent.Average(d => d.Spend) : (double?)null;
            var fit = fits[candidate.Key];
            var problem = candidate.Problem ?? fit.Problem
                ?? (todaySpend is null ? $"No spend in the last {RecentDays} days: there is no current spend to plan from." : null);
            return new PlannedBudget(candidate.Scope, candidate.Id, candidate.ExternalId, candidate.Name, candidate.CampaignId, candidate.CampaignName,
                candidate.Budget, todaySpend, candidate.Days, store, fit, problem);
        }).ToList();

        var holders = budgets.Where(b => b.Curve is not null)
            .Select(b => new BudgetHolder(b.Key, b.Budget, b.TodaySpend!.Value, b.Curve!, b.Fit.Resamples))
            .ToList();
        string? planProblem = null;
        var allocation = BudgetAllocation.Empty;
        if (margin is not { } m)
        {
            planProblem = "No sales in the last 90 days, so there is no margin to turn purchase value into profit.";
        }
        else if (holders.Count < 2)
        {
            planProblem = $"Budget can only move between at least two budgets with a fitted curve; {(holders.Count == 0 ? "none has" : "one has")} one.";
        }
        else if (rails.MaxBudgetChangePercentPerDay <= 0)
        {
            planProblem = "The daily budget-change limit is 0 % (Settings → Automation), so no budget may move.";
        }
        else
        {
            allocation = BudgetAllocator.Allocate(holders, (double)m, rails.MaxBudgetChangePercentPerDay);
        }
        return new BudgetPlan(today, window, margin, rails.MaxBudgetChangePercentPerDay, budgets, allocation, planProblem);
    }

    /// <summary>
    /// The candidates' fits, cached per store while their days are the same: fitting and resampling every budget takes
    /// a noticeable share of a second, and the days only change when new insights arrive or a day passes.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, SpendResponseFit>> FitAsync(IReadOnlyList<Candidate> candidates, StoreDays store,
        CancellationToken cancellationToken)
    {
        var inputs = candidates.ToDictionary(c => c.Key, c => c.Days.Where(d => !store.Excluded.ContainsKey(d.Date)).Select(store.AtTodaysDemand).ToList());
        Dictionary<string, SpendResponseFit> Fit() => candidates.ToDictionary(c => c.Key, c => c.Problem is { } problem
            ? new SpendResponseFit { Problem = problem }
            : SpendResponseFitter.Fit(inputs[c.Key], Seed(c.Scope, c.Id)));

        using var fingerprint = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var candidate in candidates)
        {
            fingerprint.AppendData(Encoding.UTF8.GetBytes(candidate.Key + (candidate.Problem is null ? "" : "!")));
            foreach (var day in inputs[candidate.Key])
            {
                fingerprint.AppendData(BitConverter.GetBytes(day.Date.DayNumber));
                fingerprint.AppendData(BitConverter.GetBytes(day.Spend));
                fingerprint.AppendData(BitConverter.GetBytes(day.Value));
            }
        }
        var version = Convert.ToHexString(fingerprint.GetHashAndReset());
        return await cache.GetOrBuildAsync(new StoreCacheKey(nameof(BudgetPlanner), storeContext.RequiredStoreId), version,
            (_, _) => Task.FromResult(Fit()), KeptFor, cancellationToken);
    }

    /// <summary>Different but stable bootstrap draws per budget: the same data always gives the same bands.</summary>
    private static int Seed(RuleScope scope, long id) => unchecked((int)id * 4 + (int)scope);

    /// <param name="Problem">Why it is not planned whatever its days (a campaign not meant to sell).</param>
    private sealed record Candidate(RuleScope Scope, long Id, string ExternalId, string Name, long CampaignId, string CampaignName, decimal Budget,
        IReadOnlyList<SpendDay> Days, string? Problem)
    {
        public string Key => $"{Scope.ToApiName()}:{Id}";
    }

    /// <summary>
    /// The budgets that can move: an active campaign's own budget (campaign budget optimisation), else the budgets of its
    /// active ad sets; with each one's days with delivery in the window.
    /// </summary>
    private async Task<List<Candidate>> CandidatesAsync(DateRange window, CancellationToken cancellationToken)
    {
        var campaigns = await db.Campaigns.AsNoTracking().Where(c => c.Status == EntityStatus.Active)
            .Select(c => new { c.Id, c.ExternalId, c.Name, c.DailyBudget, c.Objective }).ToListAsync(cancellationToken);
        var campaignIds = campaigns.Select(c => c.Id).ToList();
        var adSets = await db.AdSets.AsNoTracking()
            .Where(s => campaignIds.Contains(s.CampaignId) && s.Status == EntityStatus.Active && s.DailyBudget > 0)
            .Select(s => new { s.Id, s.ExternalId, s.Name, s.CampaignId, s.DailyBudget }).ToListAsync(cancellationToken);
        var delivery = await db.AdInsights.AsNoTracking()
            .Where(i => i.Date >= window.From && i.Date <= window.To)
            .Join(db.Ads, i => i.AdId, a => a.Id, (i, a) => new { a.CampaignId, a.AdSetId, i.Date, i.Spend, i.PurchaseValue })
            .Where(x => campaignIds.Contains(x.CampaignId))
            .GroupBy(x => new { x.CampaignId, x.AdSetId, x.Date })
            .Select(g => new { g.Key.CampaignId, g.Key.AdSetId, g.Key.Date, Spend = g.Sum(x => x.Spend), Value = g.Sum(x => x.PurchaseValue) })
            .ToListAsync(cancellationToken);

        static List<SpendDay> Days(IEnumerable<(DateOnly Date, decimal Spend, decimal Value)> rows) => rows
            .GroupBy(r => r.Date)
            .Select(g => new SpendDay(g.Key, (double)g.Sum(r => r.Spend), (double)g.Sum(r => r.Value)))
            .Where(d => d.Spend > 0)
            .OrderBy(d => d.Date)
            .ToList();

        var candidates = new List<Candidate>();
        foreach (var campaign in campaigns.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase))
        {
            var problem = campaign.Objective is { } objective && !SalesObjectives.Contains(objective)
                ? $"Its objective is {objective}, not sales: the planner judges budgets by the purchase value they bring, so it leaves this one alone."
                : null;
            if (campaign.DailyBudget is > 0)
            {
                candidates.Add(new Candidate(RuleScope.Campaign, campaign.Id, campaign.ExternalId, campaign.Name, campaign.Id, campaign.Name,
                    campaign.DailyBudget.Value, Days(delivery.Where(d => d.CampaignId == campaign.Id).Select(d => (d.Date, d.Spend, d.Value))), problem));
                continue;
            }
            foreach (var adSet in adSets.Where(s => s.CampaignId == campaign.Id).OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase))
            {
                candidates.Add(new Candidate(RuleScope.AdSet, adSet.Id, adSet.ExternalId, adSet.Name, campaign.Id, campaign.Name, adSet.DailyBudget!.Value,
                    Days(delivery.Where(d => d.AdSetId == adSet.Id).Select(d => (d.Date, d.Spend, d.Value))), problem));
            }
        }
        return candidates;
    }
}
