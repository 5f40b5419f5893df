using AdIntel.Plugins.Abstractions;
using AdIntel.Web.Domain;
using AdIntel.Web.Rules.Actions;
using AdIntel.Web.Tracking;
using AdIntel.Web.Rules.Definitions;
using AdIntel.Web.Rules.Snapshots;

namespace AdIntel.Web.Tests.Rules.Actions;

/// <summary>Each rail on its own, with the decision a merchant would expect.</summary>
public sealed class SafetyRailsTests
{
    private static readonly DateTime Now = new(2026, 3, 10, 12, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime DayStart = new(2026, 3, 10, 0, 0, 0, DateTimeKind.Utc);
    private static readonly RailSettings AutoAll = new() { StoreMode = AutomationModes.AutoAll };
    private static readonly TrackingStatus Healthy = TrackingStatus.Healthy("ok");
    private static readonly EntityEvidence Plenty = new(500, 50_000, 20);

    private static ActionProposal Proposal(RuleActionSpec action, string risk = RiskLevels.Low, string mode = AutomationModes.AutoAll,
        EntityEvidence? evidence = null, IReadOnlyList<string>? vetoes = null) => new()
    {
        Source = "rule",
        RuleId = 1,
        RuleRisk = risk,
        RuleMode = mode,
        Scope = RuleScope.AdSet,
        EntityId = 7,
        Action = action,
        Evidence = evidence ?? Plenty,
        GuardVetoes = vetoes ?? [],
    };

    private static AdEntityState AdSet(string status = EntityStatus.Active, decimal? budget = 100m) => new(RuleScope.AdSet, 7, "ext-7", "Prospecting", status, budget);

    private static RailLedger Empty() => new(DayStart, []);

    private static RailDecision Decide(ActionProposal proposal, AdEntityState? state = null, RailSettings? settings = null, RailLedger? ledger = null,
        TrackingStatus? tracking = null, bool approved = false, CampaignAutomationSetting? campaign = null) =>
        SafetyRails.Decide(proposal, state ?? AdSet(), settings ?? AutoAll, ledger ?? Empty(), tracking ?? Healthy, Now, approved, campaign ?? CampaignAutomationSetting.Inherited);

    private static RuleActionSpec Scale(decimal percent) => new() { Type = ActionTypes.ScaleBudget, Percent = percent };

    private static readonly RuleActionSpec Pause = new() { Type = ActionTypes.Pause };

    [Fact]
    public void Pause_under_auto_all_with_evidence_executes()
    {
        var decision = Decide(Proposal(Pause));
        Assert.Equal(RailVerdict.Execute, decision.Verdict);
        Assert.Equal(EntityStatus.Paused, decision.TargetStatus);
    }

    [Fact]
    public void Scale_up_beyond_daily_limit_is_cut_to_the_limit()
    {
        var decision = Decide(Proposal(Scale(50), risk: RiskLevels.Medium));
        Assert.Equal(RailVerdict.Execute, decision.Verdict);
        Assert.Equal(120m, decision.TargetBudget);
    }

    [Fact]
    public void Second_budget_change_on_the_same_day_counts_from_the_days_first_budget()
    {
        // 100 → 115 earlier today (a person approved it): another +15% may only reach 120.
        var ledger = new RailLedger(DayStart, [new LedgerEntry(RuleScope.AdSet, 7, 1, ActionTypes.ScaleBudget, DayStart.AddHours(1), 100m, Automatic: false)]);
        var decision = Decide(Proposal(Scale(15), risk: RiskLevels.Medium), AdSet(budget: 115m), ledger: ledger, approved: true);
        Assert.Equal(120m, decision.TargetBudget);

        var atLimit = Decide(Proposal(Scale(15), risk: RiskLevels.Medium), AdSet(budget: 120m), ledger: ledger, approved: true);
        Assert.Equal(RailVerdict.Blocked, atLimit.Verdict);
        Assert.Contains("Daily budget limit", atLimit.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Suggestions_only_store_caps_an_auto_all_rule()
    {
        var decision = Decide(Proposal(Pause), settings: AutoAll with { StoreMode = AutomationModes.SuggestionsOnly });
        Assert.Equal(RailVerdict.NeedsApproval, decision.Verdict);
        Assert.Contains("Suggestions only", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Auto_low_risk_queues_a_budget_increase_because_spending_more_is_medium_risk()
    {
        var decision = Decide(Proposal(Scale(10), risk: RiskLevels.Low, mode: AutomationModes.AutoLowRisk),
            settings: AutoAll with { StoreMode = AutomationModes.AutoLowRisk });
        Assert.Equal(RailVerdict.NeedsApproval, decision.Verdict);
        Assert.Equal(RiskLevels.Medium, decision.Risk);

        var cut = Decide(Proposal(Scale(-10), risk: RiskLevels.Low, mode: AutomationModes.AutoLowRisk),
            settings: AutoAll with { StoreMode = AutomationModes.AutoLowRisk });
        Assert.Equal(RailVerdict.Execute, cut.Verdict);
        Assert.Equal(90m, cut.TargetBudget);
    }

    [Fact]
    public void Kill_switch_and_broken_tracking_send_changes_to_approval_but_a_person_may_approve()
    {
        Assert.Equal(RailVerdict.NeedsApproval, Decide(Proposal(Pause), settings: AutoAll with { KillSwitch = true }).Verdict);
        var broken = new TrackingStatus(true, "Tracking looks broken.", [DateOnly.FromDateTime(DayStart)]);
        var held = Decide(Proposal(Pause), tracking: broken);
        Assert.Equal(RailVerdict.NeedsApproval, held.Verdict);
        Assert.Contains("Circuit breaker", held.Reason, StringComparison.Ordinal);
        Assert.Equal(RailVerdict.Execute, Decide(Proposal(Pause), tracking: broken, approved: true).Verdict);
        Assert.Equal(RailVerdict.Execute, Decide(Proposal(Pause), tracking: broken, settings: AutoAll with { TrackingBreakerEnabled = false }).Verdict);
    }

    [Theory]
    [InlineData(10, 50_000, 20, "spent in 7 days")]
    [InlineData(500, 200, 20, "impressions")]
    public void Too_little_evidence_waits_for_approval(decimal spend, long impressions, decimal purchases, string expected)
    {
        var decision = Decide(Proposal(Pause, evidence: new EntityEvidence(spend, impressions, purchases)));
        Assert.Equal(RailVerdict.NeedsApproval, decision.Verdict);
        Assert.Contains(expected, decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Scaling_up_needs_purchases_but_scaling_down_does_not()
    {
        var noPurchases = new EntityEvidence(500, 50_000, 0);
        Assert.Equal(RailVerdict.NeedsApproval, Decide(Proposal(Scale(10), RiskLevels.Medium, evidence: noPurchases)).Verdict);
        Assert.Equal(RailVerdict.Execute, Decide(Proposal(Scale(-10), evidence: noPurchases)).Verdict);
    }

    [Fact]
    public void Cooldown_blocks_automation_on_a_recently_changed_entity()
    {
        var ledger = new RailLedger(DayStart, [new LedgerEntry(RuleScope.AdSet, 7, 2, ActionTypes.ScaleBudget, Now.AddHours(-3), 90m, Automatic: true)]);
        var decision = Decide(Proposal(Pause), ledger: ledger);
        Assert.Equal(RailVerdict.Blocked, decision.Verdict);
        Assert.Contains("Cooldown", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_and_day_limits_send_the_rest_to_approval()
    {
        var ledger = Empty();
        ledger.BeginRun();
        ledger.Record(new LedgerEntry(RuleScope.AdSet, 99, 1, ActionTypes.Pause, Now, null, Automatic: true));
        Assert.Equal(RailVerdict.NeedsApproval, Decide(Proposal(Pause), ledger: ledger, settings: AutoAll with { MaxActionsPerRun = 1 }).Verdict);
        ledger.BeginRun();
        Assert.Equal(RailVerdict.Execute, Decide(Proposal(Pause), ledger: ledger, settings: AutoAll with { MaxActionsPerRun = 1 }).Verdict);
        Assert.Equal(RailVerdict.NeedsApproval, Decide(Proposal(Pause), ledger: ledger, settings: AutoAll with { MaxActionsPerDay = 1 }).Verdict);
    }

    [Fact]
    public void Guard_veto_blocks_even_an_approved_action()
    {
        var decision = Decide(Proposal(Scale(10), RiskLevels.Medium, vetoes: ["Learning-phase guard: still learning."]), approved: true);
        Assert.Equal(RailVerdict.Blocked, decision.Verdict);
        Assert.Contains("Learning-phase guard", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Entity_that_cannot_take_the_action_is_refused_or_unchanged()
    {
        Assert.Equal(RailVerdict.NoChange, Decide(Proposal(Pause), AdSet(EntityStatus.Paused)).Verdict);
        Assert.Equal(RailVerdict.Blocked, Decide(Proposal(new RuleActionSpec { Type = ActionTypes.Enable }, RiskLevels.High), AdSet(EntityStatus.Archived)).Verdict);
        var cbo = Decide(Proposal(Scale(-10)), AdSet(budget: null));
        Assert.Equal(RailVerdict.Blocked, cbo.Verdict);
        Assert.Contains("campaign's budget", cbo.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Notify_runs_in_suggestions_only_but_once_per_cooldown()
    {
        var notify = new RuleActionSpec { Type = ActionTypes.Notify, Message = "look" };
        var suggestions = AutoAll with { StoreMode = AutomationModes.SuggestionsOnly };
        Assert.Equal(RailVerdict.Execute, Decide(Proposal(notify, evidence: new EntityEvidence(0, 0, 0)), settings: suggestions).Verdict);
        var ledger = new RailLedger(DayStart, [new LedgerEntry(RuleScope.AdSet, 7, 1, ActionTypes.Notify, Now.AddHours(-1), null, Automatic: true)]);
        Assert.Equal(RailVerdict.Blocked, Decide(Proposal(notify), settings: suggestions, ledger: ledger).Verdict);
    }

    [Fact]
    public void Malformed_proposal_from_a_plugin_or_script_is_refused()
    {
        Assert.Equal(RailVerdict.Blocked, Decide(Proposal(new RuleActionSpec { Type = "delete_campaign" }), approved: true).Verdict);
        Assert.Equal(RailVerdict.Blocked, Decide(Proposal(new RuleActionSpec { Type = ActionTypes.ScaleBudget, Percent = 500 }), approved: true).Verdict);
    }

    [Theory]
    [InlineData(100, 20, 80, 120)]
    [InlineData(33.33, 20, 26.67, 39.99)]
    [InlineData(10, 0, 10, 10)]
    public void Budget_bounds_round_towards_the_baseline(decimal baseline, decimal percent, decimal low, decimal high)
    {
        Assert.Equal((low, high), SafetyRails.BudgetBounds(baseline, percent));
    }
}
