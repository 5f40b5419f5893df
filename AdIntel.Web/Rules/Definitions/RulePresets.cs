using AdIntel.Plugins.Abstractions;

namespace AdIntel.Web.Rules.Definitions;

/// <summary>A ready-made rule a merchant starts from (<c>GET /api/rules/presets/list</c>).</summary>
/// <param name="Key">Stable kebab-case id, used to create a rule from the preset.</param>
/// <param name="Category">protect, scale, creative or monitor: how the gallery groups presets.</param>
public sealed record RulePreset(string Key, string Category, string Why, RuleDefinition Rule);

/// <summary>
/// The preset gallery. Thresholds are conservative starting points for a store spending a few hundred a day; every
/// preset starts as suggestions only, so nothing runs on its own until the merchant raises the automation mode.
/// </summary>
public static class RulePresets
{
    private static RuleActionSpec Pause => new() { Type = ActionTypes.Pause };

    private static RuleActionSpec Notify(string message) => new() { Type = ActionTypes.Notify, Message = message };

    private static RuleActionSpec Tag(string tag) => new() { Type = ActionTypes.Tag, Tag = tag };

    private static RuleActionSpec Scale(decimal percent, decimal? min = null, decimal? max = null) =>
        new() { Type = ActionTypes.ScaleBudget, Percent = percent, Min = min, Max = max };

    private static RulePreset Preset(string key, string category, string why, string name, string scope, string expression,
        string risk, RuleSchedule schedule, params RuleActionSpec[] actions) =>
        new(key, category, why, new RuleDefinition
        {
            Name = name,
            Description = why,
            Scope = scope,
            Expression = expression,
            Actions = actions,
            RiskLevel = risk,
            AutomationMode = AutomationModes.SuggestionsOnly,
            Schedule = schedule,
            Active = true,
        });

    private static readonly RuleSchedule Hourly = new() { EveryMinutes = 60 };
    private static readonly RuleSchedule HalfHourly = new() { EveryMinutes = 30 };
    private static readonly RuleSchedule Morning = new() { DailyAt = "08:00" };

    public static IReadOnlyList<RulePreset> All { get; } =
    [
        Preset("stop-loss", "protect", "Stops ad sets that spent real money over three days without a single purchase.",
            "Stop-loss: no purchases in 3 days", "ad_set",
            "status == 'ACTIVE' and purchases_3d == 0 and spend_3d > 100", RiskLevels.Low, Hourly, Pause),
        Preset("scale-winners", "scale", "Raises the budget of profitable ad sets out of learning by 15% a step (the daily budget rail caps the total).",
            "Scale winners: ROAS 3+ with volume", "ad_set",
            "status == 'ACTIVE' and roas_7d >= 3 and purchases_7d >= 10 and not in_learning", RiskLevels.Medium, Morning,
            Scale(15, max: 1000)),
        Preset("creative-fatigue", "creative", "Flags ads people have seen too often whose click-through rate is sliding.",
            "Creative fatigue: frequency up, CTR down", "ad",
            "status == 'ACTIVE' and frequency_7d > 3 and ctr_3d < 0.7 * ctr_14d", RiskLevels.Low, Morning,
            Notify("Creative fatigue: refresh this ad's creative."), Tag("fatigued")),
        Preset("cpa-guard", "protect", "Cuts the budget of ad sets whose cost per purchase ran above 60 for a week.",
            "CPA guard: cost per purchase above 60", "ad_set",
            "status == 'ACTIVE' and purchases_7d >= 3 and cpa_7d > 60", RiskLevels.Low, Morning, Scale(-20, min: 10)),
        Preset("roas-floor", "protect", "Lowers campaign budgets when platform ROAS stays under 1.5 on meaningful spend.",
            "ROAS floor: campaigns under 1.5", "campaign",
            "status == 'ACTIVE' and spend_7d > 200 and roas_7d < 1.5", RiskLevels.Low, Morning, Scale(-20, min: 10)),
        Preset("low-ctr", "creative", "Pauses ads almost nobody clicks after enough impressions to judge (CTR under 0.5%).",
            "Low CTR: under 0.5% after 5,000 impressions", "ad",
            "status == 'ACTIVE' and impressions_7d > 5000 and ctr_7d < 0.005", RiskLevels.Low, Morning, Pause),
        Preset("learning-protection", "monitor", "Tells you which young ad sets are still learning, so nobody edits them (an edit restarts learning).",
            "Learning-phase protection", "ad_set",
            "status == 'ACTIVE' and in_learning and age_days <= 7", RiskLevels.Low, Morning,
            Notify("Still in the learning phase: avoid budget and targeting edits for now."), Tag("learning")),
        Preset("budget-pacing", "monitor", "Warns when an ad set has already spent 1.5 times its daily budget today.",
            "Budget pacing: overspending today", "ad_set",
            "status == 'ACTIVE' and spend_today > 1.5 * daily_budget", RiskLevels.Low, HalfHourly,
            Notify("Spending faster than its daily budget today.")),
        Preset("frequency-cap", "creative", "Trims the budget of ad sets showing the same people the ads more than 4 times a week.",
            "Frequency cap: above 4 a week", "ad_set",
            "status == 'ACTIVE' and frequency_7d > 4 and spend_7d > 100", RiskLevels.Low, Morning, Scale(-10, min: 10), Tag("high-frequency")),
        Preset("poas-floor", "protect", "Cuts budgets where the estimated profit on ad spend is below break-even (POAS under 1).",
            "POAS floor: losing money after costs", "ad_set",
            "status == 'ACTIVE' and spend_7d > 150 and poas_7d < 1", RiskLevels.Low, Morning, Scale(-20, min: 10)),
        Preset("nc-roas-scale", "scale", "Scales campaigns that bring new customers profitably (new-customer ROAS 1.5+).",
            "New-customer ROAS scale", "campaign",
            "status == 'ACTIVE' and not in_learning and nc_roas_7d >= 1.5 and roas_7d >= 2.5", RiskLevels.Medium, Morning,
            Scale(10, max: 2000)),
        Preset("zero-purchase-guard", "protect", "Pauses ads that spent 75 in a week without any purchase.",
            "Zero-purchase spend guard", "ad",
            "status == 'ACTIVE' and purchases_7d == 0 and spend_7d > 75", RiskLevels.Low, Hourly, Pause),
        Preset("revive-winners", "scale", "Suggests re-enabling paused ad sets that were clearly profitable this month.",
            "Revive paused winners", "ad_set",
            "status == 'PAUSED' and purchases_30d >= 10 and roas_30d >= 3", RiskLevels.High, Morning,
            new RuleActionSpec { Type = ActionTypes.Enable }),
        Preset("account-bleed", "monitor", "A morning warning when the whole account returned less than it spent yesterday.",
            "Account bleeding yesterday", "account",
            "spend_yesterday > 0 and roas_yesterday < 1", RiskLevels.Low, Morning,
            Notify("The account's platform ROAS was under 1 yesterday.")),
    ];

    public static RulePreset? Find(string key) => All.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.Ordinal));
}
