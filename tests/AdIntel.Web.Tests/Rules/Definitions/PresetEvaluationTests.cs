using AdIntel.Web.Rules.Definitions;
using AdIntel.Web.Rules.Expressions;

namespace AdIntel.Web.Tests.Rules.Definitions;

/// <summary>Presets judged on hand-made rows: ordinary values, zeros (ratios become missing) and missing values.</summary>
public sealed class PresetEvaluationTests
{
    public static TheoryData<string, (string, object?)[], bool> Cases => new()
    {
        // stop-loss: spend without purchases
        { "stop-loss", [("status", "ACTIVE"), ("purchases_3d", 0), ("spend_3d", 150)], true },
        { "stop-loss", [("status", "ACTIVE"), ("purchases_3d", 1), ("spend_3d", 150)], false },
        { "stop-loss", [("status", "PAUSED"), ("purchases_3d", 0), ("spend_3d", 150)], false },
        { "stop-loss", [("status", "ACTIVE"), ("purchases_3d", null), ("spend_3d", 150)], false },
        // roas-floor: zero spend means roas is missing, and a comparison with a missing value is false
        { "roas-floor", [("status", "ACTIVE"), ("spend_7d", 300), ("roas_7d", 1.2)], true },
        { "roas-floor", [("status", "ACTIVE"), ("spend_7d", 0), ("roas_7d", null)], false },
        // cpa-guard: no purchases → cpa missing → no match (the stop-loss handles that case)
        { "cpa-guard", [("status", "ACTIVE"), ("purchases_7d", 0), ("cpa_7d", null)], false },
        { "cpa-guard", [("status", "ACTIVE"), ("purchases_7d", 4), ("cpa_7d", 75)], true },
        // zero-purchase guard: zero is a value, not missing
        { "zero-purchase-guard", [("status", "ACTIVE"), ("purchases_7d", 0), ("spend_7d", 80)], true },
        { "zero-purchase-guard", [("status", "ACTIVE"), ("purchases_7d", 0), ("spend_7d", 75)], false },
        // creative fatigue compares two windows; a missing ctr_14d (no impressions) never matches
        { "creative-fatigue", [("status", "ACTIVE"), ("frequency_7d", 3.5), ("ctr_3d", 0.006), ("ctr_14d", 0.012)], true },
        { "creative-fatigue", [("status", "ACTIVE"), ("frequency_7d", 3.5), ("ctr_3d", 0.006), ("ctr_14d", null)], false },
        // scale-winners needs to be out of learning
        { "scale-winners", [("status", "ACTIVE"), ("roas_7d", 3.4), ("purchases_7d", 60), ("in_learning", false)], true },
        { "scale-winners", [("status", "ACTIVE"), ("roas_7d", 3.4), ("purchases_7d", 60), ("in_learning", true)], false },
        // budget pacing with no known budget: missing → false
        { "budget-pacing", [("status", "ACTIVE"), ("spend_today", 90), ("daily_budget", 50)], true },
        { "budget-pacing", [("status", "ACTIVE"), ("spend_today", 90), ("daily_budget", null)], false },
        // poas floor: a store without sales has no poas
        { "poas-floor", [("status", "ACTIVE"), ("spend_7d", 200), ("poas_7d", 0.8)], true },
        { "poas-floor", [("status", "ACTIVE"), ("spend_7d", 200), ("poas_7d", null)], false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Preset_matches_exactly_when_its_condition_holds(string preset, (string, object?)[] values, bool expected)
    {
        var condition = RuleExpressionCompiler.Default.CompileCondition(RulePresets.Find(preset)!.Rule.Expression);
        Assert.Equal(expected, condition.Evaluate(RuleRows.With(values)));
    }
}
