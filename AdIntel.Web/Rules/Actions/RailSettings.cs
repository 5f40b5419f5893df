using AdIntel.Web.Domain;
using AdIntel.Web.Tracking;
using AdIntel.Web.Rules.Definitions;

namespace AdIntel.Web.Rules.Actions;

/// <summary>A store's safety-rail settings with the defaults filled in (the columns are null until someone edits them).</summary>
public sealed record RailSettings
{
    public const decimal DefaultMaxBudgetChangePercentPerDay = 20m;
    public const int DefaultCooldownHours = 24;
    public const int DefaultMaxActionsPerRun = 10;
    public const int DefaultMaxActionsPerDay = 30;
    public const decimal DefaultMinSpend = 50m;
    public const int DefaultMinImpressions = 1000;
    public const int DefaultMinPurchasesForScaleUp = 3;
    public const decimal DefaultTrackingDropPercent = TrackingHealth.DefaultDropPercent;

    /// <summary>The store's automation mode: it caps every rule's.</summary>
    public string StoreMode { get; init; } = AutomationModes.SuggestionsOnly;
    public bool KillSwitch { get; init; }
    public decimal MaxBudgetChangePercentPerDay { get; init; } = DefaultMaxBudgetChangePercentPerDay;
    public int CooldownHours { get; init; } = DefaultCooldownHours;
    public int MaxActionsPerRun { get; init; } = DefaultMaxActionsPerRun;
    public int MaxActionsPerDay { get; init; } = DefaultMaxActionsPerDay;
    public decimal MinSpend { get; init; } = DefaultMinSpend;
    public int MinImpressions { get; init; } = DefaultMinImpressions;
    public int MinPurchasesForScaleUp { get; init; } = DefaultMinPurchasesForScaleUp;
    public bool TrackingBreakerEnabled { get; init; } = true;
    public decimal TrackingDropPercent { get; init; } = DefaultTrackingDropPercent;

    public static RailSettings From(StoreSettings s) => new()
    {
        StoreMode = AutomationModes.IsValid(s.AutomationMode) ? s.AutomationMode : AutomationModes.SuggestionsOnly,
        KillSwitch = s.AutomationPaused,
        MaxBudgetChangePercentPerDay = s.MaxBudgetChangePercentPerDay ?? DefaultMaxBudgetChangePercentPerDay,
        CooldownHours = s.ActionCooldownHours ?? DefaultCooldownHours,
        MaxActionsPerRun = s.MaxActionsPerRun ?? DefaultMaxActionsPerRun,
        MaxActionsPerDay = s.MaxActionsPerDay ?? DefaultMaxActionsPerDay,
        MinSpend = s.MinSpendForAutomation ?? DefaultMinSpend,
        MinImpressions = s.MinImpressionsForAutomation ?? DefaultMinImpressions,
        MinPurchasesForScaleUp = s.MinPurchasesForScaleUp ?? DefaultMinPurchasesForScaleUp,
        TrackingBreakerEnabled = !s.TrackingBreakerDisabled,
        TrackingDropPercent = s.TrackingBreakerDropPercent ?? DefaultTrackingDropPercent,
    };

    /// <summary>Writes these settings onto the row (every value explicit from then on).</summary>
    public void ApplyTo(StoreSettings s)
    {
        s.AutomationMode = StoreMode;
        s.AutomationPaused = KillSwitch;
        s.MaxBudgetChangePercentPerDay = MaxBudgetChangePercentPerDay;
        s.ActionCooldownHours = CooldownHours;
        s.MaxActionsPerRun = MaxActionsPerRun;
        s.MaxActionsPerDay = MaxActionsPerDay;
        s.MinSpendForAutomation = MinSpend;
        s.MinImpressionsForAutomation = MinImpressions;
        s.MinPurchasesForScaleUp = MinPurchasesForScaleUp;
        s.TrackingBreakerDisabled = !TrackingBreakerEnabled;
        s.TrackingBreakerDropPercent = TrackingDropPercent;
    }

    /// <summary>Out-of-range values by API field name; empty when every value is usable.</summary>
    public IReadOnlyDictionary<string, string> Problems()
    {
        var problems = new Dictionary<string, string>();
        if (!AutomationModes.IsValid(StoreMode)) problems["automationMode"] = "must be suggestions_only, auto_low_risk or auto_all";
        if (MaxBudgetChangePercentPerDay is < 0 or > 100) problems["maxBudgetChangePercentPerDay"] = "must be between 0 and 100";
        if (CooldownHours is < 0 or > 720) problems["cooldownHours"] = "must be between 0 and 720";
        if (MaxActionsPerRun is < 0 or > 1000) problems["maxActionsPerRun"] = "must be between 0 and 1000";
        if (MaxActionsPerDay is < 0 or > 10000) problems["maxActionsPerDay"] = "must be between 0 and 10000";
        if (MinSpend is < 0 or > 1_000_000) problems["minSpend"] = "must be between 0 and 1000000";
        if (MinImpressions is < 0) problems["minImpressions"] = "must be 0 or more";
        if (MinPurchasesForScaleUp is < 0 or > 10000) problems["minPurchasesForScaleUp"] = "must be between 0 and 10000";
        if (TrackingDropPercent is < 10 or > 100) problems["trackingDropPercent"] = "must be between 10 and 100";
        return problems;
    }
}
