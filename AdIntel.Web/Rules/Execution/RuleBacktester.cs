using AdIntel.Plugins.Abstractions;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Metrics;
using AdIntel.Web.Rules.Actions;
using AdIntel.Web.Tracking;
using AdIntel.Web.Rules.Definitions;
using AdIntel.Web.Rules.Snapshots;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Rules.Execution;

/// <summary>One day on which the rule would have fired on one entity, with the estimated effect of its action.</summary>
/// <param name="EstimatedSpendChange">Change of ad spend from the day after the firing until the entity's next state change or the end (null: not estimable).</param>
/// <param name="EstimatedProfitChange">Change of contribution profit over the same days (attributed value × store margin rate − spend change).</param>
/// <param name="HeldByCircuitBreaker">Tracking looked broken that day: automation would only have queued it (no effect counted).</param>
/// <param name="Outcome">What the safety rails would have done with it: executed, queued (for approval), blocked or no_change.</param>
/// <param name="Reason">The rails' sentence for it, e.g. the guard's veto or the cooldown.</param>
public sealed record BacktestFiring(DateOnly Date, long EntityId, string ExternalId, string Name, string Action, string Description,
    IReadOnlyDictionary<string, object?> Values, decimal? EstimatedSpendChange, decimal? EstimatedProfitChange, bool HeldByCircuitBreaker,
    string Outcome, string Reason)
{
    /// <summary>A firing whose effect is counted: what a run would execute, or queue for a person to approve (not held by the breaker).</summary>
    public bool Counted => Outcome == BacktestOutcomes.Executed || (Outcome == BacktestOutcomes.Queued && !HeldByCircuitBreaker);
}

/// <summary>What the rails would have done with a backtest firing (API values).</summary>
public static class BacktestOutcomes
{
    public const string Executed = "executed";
    public const string Queued = "queued";
    public const string Blocked = "blocked";
    public const string NoChange = "no_change";
}

/// <param name="Firings">Every match with an action, including those the rails would hold back.</param>
/// <param name="Counted">Firings whose effect is counted (executed or queued for approval).</param>
/// <param name="HeldBack">Firings the rails would block, hold for the breaker, or find nothing to change for.</param>
public sealed record BacktestTotals(int Days, int Firings, int Entities, decimal EstimatedSpendChange, decimal EstimatedProfitChange, decimal MarginRate,
    int Counted, int HeldBack);

public sealed record BacktestResult(DateOnly From, DateOnly To, IReadOnlyList<BacktestFiring> Firings, BacktestTotals Totals, string Method);

/// <summary>
/// Replays a rule day by day over history: one load of the store's delivery, then one snapshot per past day (as of
/// the end of that store-local day, so no later data leaks in), the rule judged on each, and the actions' effect
/// estimated on the days after. See <see cref="Method"/> for the counterfactual.
/// </summary>
public sealed class RuleBacktester(RuleSnapshotBuilder snapshots, RuleProposals proposals, AdIntelDbContext db, TimeProvider time)
{
    public const int MaxDays = 90;

    /// <summary>Returns scale with spend to this power (diminishing returns): +20% spend brings about +13.6% value.</summary>
    public const double ReturnsElasticity = 0.7;

    public const string Method =
        "Each past day is replayed as of the end of that day (store time): the rule sees only data up to then. An entity fires at most once a day, " +
        "and a paused entity fires no more. Effects are counted from the day after a firing to yesterday. Pause: the entity's actual later spend " +
        "is removed, and so is its platform-attributed purchase value, valued at the store's contribution margin rate over the period " +
        "(contribution margin ÷ total sales, from Shopify). Budget changes (scale or set): later spend is scaled by the cumulative change, " +
        "with each day's change capped by the store's daily budget limit; purchase value is assumed to follow the entity's 7-day ROAS at the " +
        "firing with diminishing returns (value ∝ spend^0.7), valued at the same margin rate. Enable, notify and tag have no estimated effect. " +
        "Each firing goes through the same safety rails as a real run, with the rule's risk and mode, the day's evidence, guard plugins, " +
        "budget caps and cooldowns counted from the backtest's own earlier firings: what they would block (a guard such as the learning-phase " +
        "guard, a cooldown, the daily budget limit) or find nothing to change for is shown with the reason and not counted, and so are firings " +
        "on days when tracking looked broken (the circuit breaker would have held them). Firings that would wait for approval are counted, " +
        "as if approved. Entity attributes (status, budgets) are today's: past edits made outside AdIntel are not known.";

    public async Task<BacktestResult> RunAsync(Rule definition, PreparedRule rule, IReadOnlyList<RuleActionSpec> actions, int days, CancellationToken cancellationToken)
    {
        days = Math.Clamp(days, 1, MaxDays);
        var history = await snapshots.LoadAsync(time.GetUtcNow(), cancellationToken);
        var today = history.LastDay;
        var from = today.AddDays(-days);
        var to = today.AddDays(-1);
        var settings = await db.StoreSettings.AsNoTracking().FirstOrDefaultAsync(cancellationToken) ?? new StoreSettings();
        var rails = RailSettings.From(settings);
        var factsFrom = from.AddDays(-(TrackingHealth.BaselineDays + TrackingHealth.LookbackDays + 1));
        var facts = await db.DailyFacts.AsNoTracking().Where(f => f.Date >= factsFrom && f.Date <= today).OrderBy(f => f.Date).ToListAsync(cancellationToken);
        var period = facts.Where(f => f.Date >= from && f.Date <= to).ToList();
        var kpis = KpiCalculator.Compute(new DateRange(from, to), FactTotals.Sum(period), settings, 0m, LtvCurve.InsufficientHistory);
        var marginRate = kpis.TotalSales > 0 ? kpis.ContributionMargin / kpis.TotalSales : 0m;

        var states = new Dictionary<long, EntityPlan>();
        var firings = new List<PendingFiring>();
        var executed = new List<LedgerEntry>();
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            var endOfDay = EndOfDay(day, history.TimeZone);
            var snapshot = history.SnapshotAt(new DateTimeOffset(endOfDay, TimeSpan.Zero));
            var tracking = TrackingHealth.Evaluate(facts, day.AddDays(1), rails.TrackingDropPercent);
            // The day's rails: its budget baseline and counts start at the store's midnight; cooldowns see earlier days.
            var ledger = new RailLedger(TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(TimeOnly.MinValue), history.TimeZone), executed);
            ledger.BeginRun();
            foreach (var evaluation in rule.Evaluate(snapshot).Where(e => e.Matched))
            {
                var entity = evaluation.Entity;
                if (!states.TryGetValue(entity.Id, out var plan))
                {
                    plan = new EntityPlan(entity);
                    states[entity.Id] = plan;
                }
                if (plan.PausedFrom is not null)
                {
                    continue;
                }
                // A plugin rule without actions of its own acts on its plugin's proposals.
                var dayActions = actions.Count == 0 && evaluation.ProposedActions is { } proposed ? proposed : actions;
                var vetoes = proposals.GuardVetoes(entity, snapshot, dayActions);
                foreach (var action in dayActions)
                {
                    var state = new AdEntityState(entity.Scope, entity.Id, entity.ExternalId, entity.Name, entity.Status, plan.Budget is { } b ? (decimal)b : null);
                    var decision = SafetyRails.Decide(RuleProposals.For(definition, entity, action, vetoes), state, rails, ledger, tracking, endOfDay,
                        approvedByPerson: false, entity.CampaignAutomation);
                    var heldByBreaker = rails.TrackingBreakerEnabled && tracking.Broken && decision.Verdict == RailVerdict.NeedsApproval;
                    var outcome = decision.Verdict switch
                    {
                        RailVerdict.Execute => BacktestOutcomes.Executed,
                        RailVerdict.NeedsApproval => BacktestOutcomes.Queued,
                        RailVerdict.NoChange => BacktestOutcomes.NoChange,
                        _ => BacktestOutcomes.Blocked,
                    };
                    var firing = new PendingFiring(day, entity, action, evaluation.Values, heldByBreaker, outcome, decision.Reason);
                    firings.Add(firing);
                    if (outcome is BacktestOutcomes.Executed or BacktestOutcomes.Queued && !heldByBreaker)
                    {
                        var budgetBefore = state.DailyBudget;
                        plan.Apply(firing, decision.TargetBudget, entity.Value("roas_7d"));
                        var entry = new LedgerEntry(entity.Scope, entity.Id, definition.Id, action.Type, endOfDay, action.ChangesBudget ? budgetBefore : null,
                            Automatic: outcome == BacktestOutcomes.Executed);
                        ledger.Record(entry);
                        executed.Add(entry);
                    }
                }
            }
        }

        // Effects need each entity's whole history, not the history as of its first firing.
        var final = history.SnapshotAt(new DateTimeOffset(EndOfDay(to, history.TimeZone), TimeSpan.Zero));
        var estimates = states.Values
            .SelectMany(p => p.Estimate(final.Find(rule.Scope, p.EntityId)?.History ?? [], to, (double)marginRate))
            .ToDictionary(e => (object)e.Firing, e => e, ReferenceEqualityComparer.Instance);
        var result = firings.Select(f =>
        {
            var counted = !f.HeldByBreaker && f.Outcome is BacktestOutcomes.Executed or BacktestOutcomes.Queued;
            var estimable = counted && f.Action.Type is ActionTypes.Pause or ActionTypes.ScaleBudget or ActionTypes.SetBudget;
            estimates.TryGetValue(f, out var estimate);
            return new BacktestFiring(f.Day, f.Entity.Id, f.Entity.ExternalId, f.Entity.Name, f.Action.Type, f.Action.Describe(), f.Values,
                estimable ? Round(estimate?.Spend ?? 0) : null, estimable ? Round(estimate?.Profit ?? 0) : null, f.HeldByBreaker, f.Outcome, f.Reason);
        }).ToList();
        var countedCount = result.Count(f => f.Counted);
        var totals = new BacktestTotals(days, result.Count, result.Select(f => f.EntityId).Distinct().Count(),
            result.Sum(f => f.EstimatedSpendChange ?? 0), result.Sum(f => f.EstimatedProfitChange ?? 0), Math.Round(marginRate, 4),
            countedCount, result.Count - countedCount);
        return new BacktestResult(from, to, result, totals, Method);
    }

    /// <summary>The last second of a store-local day, in UTC.</summary>
    private static DateTime EndOfDay(DateOnly day, TimeZoneInfo timeZone) =>
        TimeZoneInfo.ConvertTimeToUtc(day.AddDays(1).ToDateTime(TimeOnly.MinValue), timeZone).AddSeconds(-1);

    private static decimal Round(double value) => Math.Round((decimal)value, 2, MidpointRounding.AwayFromZero);

    private sealed record PendingFiring(DateOnly Day, EntitySnapshot Entity, RuleActionSpec Action, IReadOnlyDictionary<string, object?> Values, bool HeldByBreaker,
        string Outcome, string Reason);

    private sealed record FiringEstimate(PendingFiring Firing, double Spend, double Profit);

    /// <summary>The simulated state of one entity: when it was paused and how its budget multiplier changed, by firing.</summary>
    private sealed class EntityPlan(EntitySnapshot entity)
    {
        private readonly List<(PendingFiring Firing, double Multiplier, double? Roas)> _changes = [];
        private double _multiplier = 1;
        private double? _budget = entity.DailyBudget;

        public long EntityId => entity.Id;

        public DateOnly? PausedFrom { get; private set; }

        /// <summary>The simulated budget now (today's budget with the changes so far); null when it has none of its own.</summary>
        public double? Budget => _budget;

        /// <param name="railBudget">The budget the rails allowed (cut to the daily limit); null for a pause.</param>
        public void Apply(PendingFiring firing, decimal? railBudget, double? trailingRoas)
        {
            switch (firing.Action.Type)
            {
                case ActionTypes.Pause:
                    PausedFrom = firing.Day.AddDays(1);
                    _changes.Add((firing, 0, trailingRoas));
                    break;
                case ActionTypes.ScaleBudget or ActionTypes.SetBudget when railBudget is { } target && _budget is { } current && current > 0:
                    var change = (double)target / current - 1;
                    _multiplier *= 1 + change;
                    _budget = (double)target;
                    _changes.Add((firing, _multiplier, trailingRoas));
                    break;
            }
        }

        /// <summary>Each day after a change is charged to the latest change before it.</summary>
        public IEnumerable<FiringEstimate> Estimate(IReadOnlyList<DailyDelivery> history, DateOnly lastDay, double marginRate)
        {
            for (var i = 0; i < _changes.Count; i++)
            {
                var (firing, multiplier, roas) = _changes[i];
                var first = firing.Day.AddDays(1);
                var last = i + 1 < _changes.Count ? _changes[i + 1].Firing.Day : lastDay;
                double spendChange = 0, profitChange = 0;
                foreach (var day in history.Where(d => d.Date >= first && d.Date <= last))
                {
                    var spendDelta = (multiplier - 1) * day.Spend;
                    double valueDelta;
                    if (multiplier == 0)
                    {
                        valueDelta = -day.PurchaseValue;
                    }
                    else
                    {
                        var dayRoas = roas ?? (day.Spend > 0 ? day.PurchaseValue / day.Spend : 0);
                        valueDelta = dayRoas * day.Spend * (Math.Pow(multiplier, ReturnsElasticity) - 1);
                    }
                    spendChange += spendDelta;
                    profitChange += valueDelta * marginRate - spendDelta;
                }
                yield return new FiringEstimate(firing, spendChange, profitChange);
            }
        }
    }
}
