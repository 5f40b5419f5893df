using AdIntel.Plugins.Abstractions;
using AdIntel.Web.Reports;
using AdIntel.Web.Rules.Plugins;
using AdIntel.Web.Tests.Rules.Plugins;
using Microsoft.Extensions.Logging.Abstractions;

namespace AdIntel.Web.Tests.Reports;

/// <summary>
/// One table of ads, judged by the creative report for a period ending on <see cref="LastDay"/> and by the bundled
/// creative-fatigue plugin (loaded the way the app loads it) on the day after: both must reach the same verdict.
/// </summary>
public sealed class CreativeFatigueTests : IDisposable
{
    private static readonly DateOnly LastDay = new(2026, 5, 19);
    private static readonly DateOnly FirstDay = new(2026, 5, 1);

    // Baseline delivery: CTR 2%, frequency 1.25.
    private static DailyDelivery Usual(DateOnly day) => new(day, 50, 10_000, 8000, 200, 3, 150);

    private static readonly Dictionary<string, IReadOnlyList<DailyDelivery>> Ads = new()
    {
        // Last 7 days: CTR 1.2% (-40%), frequency 2 (+60%).
        ["ctr fell and frequency rose"] = Days(FirstDay, day => day < LastDay.AddDays(-6) ? Usual(day) : new(day, 50, 10_000, 5000, 120, 1, 50)),
        ["steady"] = Days(FirstDay, Usual),
        ["ctr fell, frequency steady"] = Days(FirstDay, day => day < LastDay.AddDays(-6) ? Usual(day) : new(day, 50, 10_000, 8000, 120, 1, 50)),
        ["frequency rose, ctr steady"] = Days(FirstDay, day => day < LastDay.AddDays(-6) ? Usual(day) : new(day, 50, 10_000, 5000, 200, 3, 150)),
        // Frequency 4 over its first (and last) 7 days: above the critical 3.5 however young the ad.
        ["critical frequency, one week old"] = Days(LastDay.AddDays(-6), day => new(day, 50, 10_000, 2500, 200, 3, 150)),
        ["critical frequency on too few impressions"] = Days(FirstDay, day => day < LastDay.AddDays(-6) ? Usual(day) : new(day, 1, 100, 20, 1, 0, 0)),
        // Nine days old: its last 7 days overlap its first 7, so there is nothing to compare.
        ["decay-like numbers, too young"] = Days(LastDay.AddDays(-8), day => day < LastDay.AddDays(-6) ? Usual(day) : new(day, 50, 10_000, 5000, 120, 1, 50)),
        ["too few impressions"] = Days(FirstDay, day => new(day, 1, 100, 90, 2, 0, 0)),
        ["no clicks in its first week"] = Days(FirstDay, day => day < LastDay.AddDays(-6) ? new(day, 50, 10_000, 8000, 0, 0, 0) : new(day, 50, 10_000, 5000, 120, 1, 50)),
        // Steady until the period's last day, which alone tips CTR (-33%) and frequency (+47%) over: that day counts.
        ["tipped on the period's last day"] = Days(FirstDay, day => day < LastDay ? Usual(day) : new(day, 50, 30_000, 1000, 0, 0, 0)),
    };

    public static TheoryData<string, bool> Cases => new()
    {
        { "ctr fell and frequency rose", true },
        { "steady", false },
        { "ctr fell, frequency steady", false },
        { "frequency rose, ctr steady", false },
        { "critical frequency, one week old", true },
        { "critical frequency on too few impressions", false },
        { "decay-like numbers, too young", false },
        { "too few impressions", false },
        { "no clicks in its first week", false },
        { "tipped on the period's last day", true },
    };

    private readonly PluginFolders _folders = new(PluginFolders.CreativeFatigue);
    private readonly IRulePlugin _plugin;

    public CreativeFatigueTests() => _plugin = PluginLoader.Load(_folders.Directory, NullLogger.Instance).Find("adintel.creative-fatigue")!.Instance;

    public void Dispose() => _folders.Dispose();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Report_and_plugin_reach_the_same_verdict(string ad, bool fatigued)
    {
        var history = Ads[ad];

        var reportFlag = CreativeReport.JudgeFatigue(history, LastDay);
        var pluginOutcome = _plugin.Evaluate(new PluginEvaluationContext
        {
            Entity = new PluginEntity
            {
                Scope = "ad", Id = 1, ExternalId = "238", Name = ad, Status = "ACTIVE", Values = new Dictionary<string, double?>(), History = history,
            },
            Parameters = _plugin.Parameters.ToDictionary(p => p.Name, p => p.DefaultValue),
            AsOf = new DateTimeOffset(LastDay.AddDays(1).ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero),
            Today = LastDay.AddDays(1),
        });

        Assert.True(fatigued == reportFlag is not null, $"Report: {reportFlag ?? "not fatigued"}");
        Assert.True(fatigued == pluginOutcome.Matched, $"Plugin: {pluginOutcome.Reason}");
    }

    private static List<DailyDelivery> Days(DateOnly first, Func<DateOnly, DailyDelivery> day)
    {
        var days = new List<DailyDelivery>();
        for (var date = first; date <= LastDay; date = date.AddDays(1))
        {
            days.Add(day(date));
        }
        return days;
    }
}
