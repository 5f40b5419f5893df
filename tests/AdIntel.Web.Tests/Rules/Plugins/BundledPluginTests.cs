using AdIntel.Plugins.Abstractions;
using AdIntel.Web.Rules.Plugins;
using Microsoft.Extensions.Logging.Abstractions;

namespace AdIntel.Web.Tests.Rules.Plugins;

/// <summary>The two bundled plugins, loaded the way the app loads them, judging synthetic entities.</summary>
public sealed class BundledPluginTests : IDisposable
{
    private static readonly DateOnly Today = new(2026, 5, 20);
    private static readonly DateTimeOffset AsOf = new(2026, 5, 20, 14, 0, 0, TimeSpan.Zero);

    private readonly PluginFolders _folders = new(PluginFolders.CreativeFatigue, PluginFolders.LearningPhaseGuard);
    private readonly PluginCatalog _catalog;

    public BundledPluginTests() => _catalog = PluginLoader.Load(_folders.Directory, NullLogger.Instance);

    public void Dispose() => _folders.Dispose();

    [Fact]
    public void CreativeFatigue_flags_an_ad_whose_ctr_fell_and_frequency_rose_against_its_first_week()
    {
        // First week (from May 1): CTR 2%, frequency 1.25. Last 7 days: CTR 1.2% (-40%), frequency 2 (+60%).
        var history = Days(new DateOnly(2026, 5, 1), Today.AddDays(-1), day => day < new DateOnly(2026, 5, 8)
            ? new DailyDelivery(day, 50, 10_000, 8000, 200, 3, 150)
            : new DailyDelivery(day, 50, 10_000, 5000, 120, 1, 50));

        var outcome = Evaluate("adintel.creative-fatigue", Entity("ad", history));

        Assert.True(outcome.Matched, outcome.Reason);
        Assert.Contains("CTR 2.00% in its first 7 days vs 1.20% in the last 7 (-40%)", outcome.Reason);
        Assert.Contains("frequency 1.25 vs 2.00 (+60%)", outcome.Reason);
        Assert.Equal([ActionTypes.Notify], outcome.Actions.Select(a => a.Type));
    }

    [Fact]
    public void CreativeFatigue_proposes_pausing_only_when_asked_to()
    {
        var history = Days(new DateOnly(2026, 5, 1), Today.AddDays(-1), day => day < new DateOnly(2026, 5, 8)
            ? new DailyDelivery(day, 50, 10_000, 8000, 200, 3, 150)
            : new DailyDelivery(day, 50, 10_000, 5000, 120, 1, 50));

        var outcome = Evaluate("adintel.creative-fatigue", Entity("ad", history), new Dictionary<string, double> { ["pause"] = 1 });

        Assert.Equal([ActionTypes.Pause, ActionTypes.Notify], outcome.Actions.Select(a => a.Type));
    }

    [Fact]
    public void CreativeFatigue_does_not_flag_a_steady_ad_a_young_ad_or_one_with_too_few_impressions()
    {
        var steady = Days(new DateOnly(2026, 5, 1), Today.AddDays(-1), day => new DailyDelivery(day, 50, 10_000, 8000, 200, 3, 150));
        var young = Days(Today.AddDays(-9), Today.AddDays(-1), day => new DailyDelivery(day, 50, 10_000, 8000, 200, 3, 150));
        var small = Days(new DateOnly(2026, 5, 1), Today.AddDays(-1), day => new DailyDelivery(day, 1, 100, 90, 2, 0, 0));

        var steadyOutcome = Evaluate("adintel.creative-fatigue", Entity("ad", steady));
        var youngOutcome = Evaluate("adintel.creative-fatigue", Entity("ad", young));
        var smallOutcome = Evaluate("adintel.creative-fatigue", Entity("ad", small));

        Assert.False(steadyOutcome.Matched);
        Assert.Contains("shows no fatigue", steadyOutcome.Reason);
        Assert.False(youngOutcome.Matched);
        Assert.Contains("too young", youngOutcome.Reason);
        Assert.False(smallOutcome.Matched);
        Assert.Contains("too few impressions", smallOutcome.Reason);
    }

    [Fact]
    public void LearningPhaseGuard_blocks_budget_changes_with_under_50_purchases_in_7_days()
    {
        var history = Days(Today.AddDays(-20), Today, day => new DailyDelivery(day, 100, 10_000, 6000, 150, 5, 400));

        var outcome = Evaluate("adintel.learning-phase-guard", Entity("ad_set", history));

        Assert.True(outcome.Matched);
        Assert.Contains("35 purchases in the last 7 days (under 50)", outcome.Reason);
        Assert.Equal([ActionTypes.ScaleBudget, ActionTypes.SetBudget], outcome.BlockedActionTypes);
        Assert.Empty(outcome.Actions);
    }

    [Fact]
    public void LearningPhaseGuard_blocks_budget_changes_within_72_hours_of_an_edit()
    {
        var history = Days(Today.AddDays(-20), Today, day => new DailyDelivery(day, 100, 10_000, 6000, 150, 10, 800));

        var recent = Evaluate("adintel.learning-phase-guard", Entity("ad_set", history, lastEdit: AsOf.AddHours(-30)));
        var old = Evaluate("adintel.learning-phase-guard", Entity("ad_set", history, lastEdit: AsOf.AddHours(-80)));

        Assert.True(recent.Matched);
        Assert.Contains("a significant edit 30 hours ago (within 72)", recent.Reason);
        Assert.False(old.Matched);
        Assert.Contains("budget changes are allowed", old.Reason);
        Assert.Empty(old.BlockedActionTypes);
    }

    [Fact]
    public void LearningPhaseGuard_leaves_ads_alone()
    {
        var outcome = Evaluate("adintel.learning-phase-guard", Entity("ad", []));

        Assert.False(outcome.Matched);
    }

    private RuleOutcome Evaluate(string pluginId, PluginEntity entity, IReadOnlyDictionary<string, double>? parameters = null)
    {
        var plugin = _catalog.Find(pluginId)!.Instance;
        var values = plugin.Parameters.ToDictionary(p => p.Name, p => parameters?.GetValueOrDefault(p.Name, p.DefaultValue) ?? p.DefaultValue);
        return plugin.Evaluate(new PluginEvaluationContext { Entity = entity, Parameters = values, AsOf = AsOf, Today = Today });
    }

    private static PluginEntity Entity(string scope, IReadOnlyList<DailyDelivery> history, DateTimeOffset? lastEdit = null) => new()
    {
        Scope = scope,
        Id = 1,
        ExternalId = "238",
        Name = "Spring video",
        Status = "ACTIVE",
        LastSignificantEditAt = lastEdit,
        Values = new Dictionary<string, double?>(),
        History = history,
    };

    private static List<DailyDelivery> Days(DateOnly first, DateOnly last, Func<DateOnly, DailyDelivery> day)
    {
        var days = new List<DailyDelivery>();
        for (var date = first; date <= last; date = date.AddDays(1))
        {
            days.Add(day(date));
        }
        return days;
    }
}
