using AdIntel.Plugins.Abstractions;
using AdIntel.Web.Domain;
using AdIntel.Web.Rules.Actions;
using AdIntel.Web.Tracking;
using AdIntel.Web.Rules.Definitions;
using AdIntel.Web.Rules.Snapshots;
using FsCheck;
using FsCheck.Fluent;

namespace AdIntel.Web.Tests.Rules.Actions;

/// <summary>
/// Property-based: random rail settings, entities and streams of proposals (rules of every risk and mode, approvals,
/// vetoes, evidence, broken tracking) over two simulated days, decided by <see cref="SafetyRails"/> the way
/// <see cref="ActionExecutor"/> uses it (a fresh ledger per run from everything executed so far). Whatever is executed
/// must keep every rail, checked here independently of the rails' own code. Fixed seeds: the same cases every run.
/// </summary>
public sealed class SafetyRailsPropertyTests
{
    private static readonly DateTime Start = new(2026, 3, 10, 0, 0, 0, DateTimeKind.Utc);

    private sealed record Step(int Entity, RuleActionSpec Action, string RuleRisk, string RuleMode, EntityEvidence Evidence, bool Approved, bool Vetoed);

    private sealed record Run(int HoursAfterStart, IReadOnlyList<Step> Steps);

    private sealed record Scenario(RailSettings Settings, bool TrackingBroken, IReadOnlyList<(string Status, decimal? Budget)> Entities, IReadOnlyList<Run> Runs);

    private sealed record Executed(int Run, DateTime At, int Entity, Step Step, string Risk, decimal? BudgetBefore, decimal? BudgetAfter, string StatusBefore, bool Automatic);

    private static Gen<RuleActionSpec> Actions =>
        Gen.OneOf(
            Gen.Constant(new RuleActionSpec { Type = ActionTypes.Pause }),
            Gen.Constant(new RuleActionSpec { Type = ActionTypes.Enable }),
            Gen.Constant(new RuleActionSpec { Type = ActionTypes.Notify, Message = "x" }),
            Gen.Constant(new RuleActionSpec { Type = ActionTypes.Tag, Tag = "t" }),
            from percent in Gen.Elements(-90m, -50m, -20m, -5m, 5m, 15m, 30m, 100m)
            from max in Gen.Elements<decimal?>(null, 50m, 150m, 1000m)
            from min in Gen.Elements<decimal?>(null, 10m, 60m)
            select new RuleActionSpec { Type = ActionTypes.ScaleBudget, Percent = percent, Min = min, Max = max is { } m && min is { } n && n > m ? null : max },
            from amount in Gen.Elements(-40m, -10m, 10m, 40m)
            select new RuleActionSpec { Type = ActionTypes.ScaleBudget, Amount = amount },
            from amount in Gen.Elements(5m, 80m, 100m, 130m, 400m)
            select new RuleActionSpec { Type = ActionTypes.SetBudget, Amount = amount });

    private static Gen<Step> Steps(int entities) =>
        from entity in Gen.Choose(0, entities - 1)
        from action in Actions
        from risk in Gen.Elements(RiskLevels.All.ToArray())
        from mode in Gen.Elements(AutomationModes.All.ToArray())
        from spend in Gen.Elements(0m, 20m, 60m, 500m)
        from impressions in Gen.Elements(0L, 500L, 5000L, 100_000L)
        from purchases in Gen.Elements(0m, 1m, 5m, 40m)
        from approved in Gen.Frequency((6, Gen.Constant(false)), (1, Gen.Constant(true)))
        from vetoed in Gen.Frequency((9, Gen.Constant(false)), (1, Gen.Constant(true)))
        select new Step(entity, action, risk, mode, new EntityEvidence(spend, impressions, purchases), approved, vetoed);

    private static Gen<Scenario> Scenarios =>
        from mode in Gen.Elements(AutomationModes.All.ToArray())
        from kill in Gen.Frequency((8, Gen.Constant(false)), (1, Gen.Constant(true)))
        from maxChange in Gen.Elements(0m, 5m, 20m, 50m)
        from cooldown in Gen.Elements(0, 1, 6, 24)
        from perRun in Gen.Elements(0, 1, 3, 10)
        from perDay in Gen.Elements(0, 2, 5, 30)
        from minSpend in Gen.Elements(0m, 50m, 200m)
        from minImpressions in Gen.Elements(0, 1000)
        from minPurchases in Gen.Elements(0, 3)
        from breaker in Gen.Elements(true, false)
        from broken in Gen.Frequency((4, Gen.Constant(false)), (1, Gen.Constant(true)))
        from entityCount in Gen.Choose(1, 4)
        from entities in Gen.ListOf(
            from status in Gen.Elements(EntityStatus.Active, EntityStatus.Active, EntityStatus.Paused, EntityStatus.Archived)
            from budget in Gen.Elements<decimal?>(null, 20m, 100m, 333.33m)
            select (status, budget), entityCount)
        from runCount in Gen.Choose(1, 8)
        from hours in Gen.ListOf(Gen.Choose(0, 47), runCount)
        from steps in Gen.ListOf(Gen.ListOf(Steps(entityCount), 6), runCount)
        select new Scenario(
            new RailSettings
            {
                StoreMode = mode, KillSwitch = kill, MaxBudgetChangePercentPerDay = maxChange, CooldownHours = cooldown, MaxActionsPerRun = perRun,
                MaxActionsPerDay = perDay, MinSpend = minSpend, MinImpressions = minImpressions, MinPurchasesForScaleUp = minPurchases,
                TrackingBreakerEnabled = breaker,
            },
            broken, [.. entities],
            [.. hours.Order().Zip(steps, (h, s) => new Run(h, [.. s]))]);

    [Theory]
    [InlineData(1UL)]
    [InlineData(20260310UL)]
    [InlineData(424242UL)]
    [InlineData(987654321UL)]
    public void No_executed_action_ever_breaks_a_rail(ulong seed)
    {
        var scenarios = Gen.Sample(Scenarios, 60, new Rnd(seed), 250);
        var executedTotal = 0;
        foreach (var scenario in scenarios)
        {
            var executed = Simulate(scenario);
            executedTotal += executed.Count;
            AssertRails(scenario, executed);
        }
        // The generator must exercise the rails, not just refuse everything.
        Assert.True(executedTotal > 200, $"only {executedTotal} executed actions");
    }

    private static List<Executed> Simulate(Scenario scenario)
    {
        var world = scenario.Entities.Select(e => (e.Status, e.Budget)).ToArray();
        var executed = new List<Executed>();
        var tracking = scenario.TrackingBroken ? new TrackingStatus(true, "broken", []) : TrackingStatus.Healthy("ok");
        for (var r = 0; r < scenario.Runs.Count; r++)
        {
            var run = scenario.Runs[r];
            var at = Start.AddHours(run.HoursAfterStart);
            // As ActionExecutor.BeginAsync: a ledger of everything executed so far, for the run's day.
            var ledger = new RailLedger(at.Date, executed.Select(e => new LedgerEntry(RuleScope.AdSet, e.Entity, 1, e.Step.Action.Type, e.At,
                e.Step.Action.ChangesBudget ? e.BudgetBefore : null, e.Automatic)));
            ledger.BeginRun();
            for (var s = 0; s < run.Steps.Count; s++)
            {
                var step = run.Steps[s];
                var now = at.AddSeconds(s);
                var (status, budget) = world[step.Entity];
                var proposal = new ActionProposal
                {
                    Source = "rule", RuleId = 1, RuleRisk = step.RuleRisk, RuleMode = step.RuleMode, Scope = RuleScope.AdSet, EntityId = step.Entity,
                    Action = step.Action, Evidence = step.Evidence, GuardVetoes = step.Vetoed ? ["guard says no"] : [],
                };
                var state = new AdEntityState(RuleScope.AdSet, step.Entity, "x", "e", status, budget);
                var decision = SafetyRails.Decide(proposal, state, scenario.Settings, ledger, tracking, now, step.Approved, CampaignAutomationSetting.Inherited);
                if (decision.Verdict != RailVerdict.Execute)
                {
                    continue;
                }
                var after = (decision.TargetStatus ?? status, decision.TargetBudget ?? budget);
                executed.Add(new Executed(r, now, step.Entity, step, decision.Risk, budget, after.Item2, status, !step.Approved));
                ledger.Record(new LedgerEntry(RuleScope.AdSet, step.Entity, 1, step.Action.Type, now, step.Action.ChangesBudget ? budget : null, !step.Approved));
                world[step.Entity] = after;
            }
        }
        return executed;
    }

    private static void AssertRails(Scenario scenario, List<Executed> executed)
    {
        var s = scenario.Settings;
        foreach (var e in executed)
        {
            Assert.False(e.Step.Vetoed && e.Step.Action.ChangesPlatform, "a vetoed action ran");
            if (e.Step.Action.Type == ActionTypes.Pause)
            {
                Assert.Equal(EntityStatus.Active, e.StatusBefore);
            }
            if (e.Step.Action.Type == ActionTypes.Enable)
            {
                Assert.Equal(EntityStatus.Paused, e.StatusBefore);
            }
            if (e.Step.Action.ChangesBudget)
            {
                // The daily budget rail: within the limit of the day's first budget, for automation and people alike.
                Assert.NotNull(e.BudgetBefore);
                var baseline = executed.First(x => x.Entity == e.Entity && x.At.Date == e.At.Date && x.Step.Action.ChangesBudget).BudgetBefore!.Value;
                var limit = baseline * s.MaxBudgetChangePercentPerDay / 100m;
                Assert.True(Math.Abs(e.BudgetAfter!.Value - baseline) <= limit, $"budget {baseline} → {e.BudgetAfter} breaks the {s.MaxBudgetChangePercentPerDay}% limit");
                Assert.NotEqual(e.BudgetBefore, e.BudgetAfter);
            }
            if (!e.Automatic || !e.Step.Action.ChangesPlatform)
            {
                continue;
            }
            // Automation limits, checked independently of SafetyRails' code.
            Assert.False(s.KillSwitch, "ran automatically with the kill switch on");
            Assert.False(s.TrackingBreakerEnabled && scenario.TrackingBroken, "ran automatically with tracking broken");
            var spendsMore = e.Step.Action.Type == ActionTypes.Enable || (e.Step.Action.ChangesBudget && e.BudgetAfter > e.BudgetBefore);
            var risk = RiskLevels.Max(e.Step.RuleRisk, spendsMore ? RiskLevels.Medium : RiskLevels.Low);
            var mode = AutomationModes.Rank(s.StoreMode) <= AutomationModes.Rank(e.Step.RuleMode) ? s.StoreMode : e.Step.RuleMode;
            Assert.True(mode == AutomationModes.AutoAll || (mode == AutomationModes.AutoLowRisk && risk == RiskLevels.Low),
                $"{risk} risk ran automatically under {mode}");
            Assert.True(e.Step.Evidence.Spend7d >= s.MinSpend && e.Step.Evidence.Impressions7d >= s.MinImpressions, "too little evidence");
            Assert.True(!spendsMore || e.Step.Evidence.Purchases7d >= s.MinPurchasesForScaleUp, "spent more without purchases");
            var earlier = executed.Where(x => x != e && x.Entity == e.Entity && x.At < e.At && x.Step.Action.ChangesPlatform).Select(x => x.At).DefaultIfEmpty().Max();
            Assert.True(earlier == default || e.At - earlier >= TimeSpan.FromHours(s.CooldownHours), "changed within the cooldown");
        }
        var automatic = executed.Where(e => e.Automatic && e.Step.Action.ChangesPlatform).ToList();
        Assert.All(automatic.GroupBy(e => e.Run), run => Assert.True(run.Count() <= s.MaxActionsPerRun, "too many automatic actions in a run"));
        Assert.All(automatic.GroupBy(e => e.At.Date), day => Assert.True(day.Count() <= s.MaxActionsPerDay, "too many automatic actions in a day"));
    }
}
