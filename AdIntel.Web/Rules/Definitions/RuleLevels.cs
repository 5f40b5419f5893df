namespace AdIntel.Web.Rules.Definitions;

/// <summary>A rule's (and an action's) risk: how much harm a wrong decision can do (API values: low|medium|high).</summary>
public static class RiskLevels
{
    public const string Low = "low";
    public const string Medium = "medium";
    public const string High = "high";

    public static IReadOnlyList<string> All { get; } = [Low, Medium, High];

    public static bool IsValid(string? value) => value is Low or Medium or High;

    public static int Rank(string value) => value switch { Low => 0, Medium => 1, _ => 2 };

    public static string Max(string a, string b) => Rank(a) >= Rank(b) ? a : b;
}

/// <summary>
/// How far automation may go (API values: suggestions_only|auto_low_risk|auto_all). The store's setting caps every
/// rule's: the effective mode is the more cautious of the two.
/// </summary>
public static class AutomationModes
{
    public const string SuggestionsOnly = "suggestions_only";
    public const string AutoLowRisk = "auto_low_risk";
    public const string AutoAll = "auto_all";

    public static IReadOnlyList<string> All { get; } = [SuggestionsOnly, AutoLowRisk, AutoAll];

    public static bool IsValid(string? value) => value is SuggestionsOnly or AutoLowRisk or AutoAll;

    public static int Rank(string value) => value switch { AutoAll => 2, AutoLowRisk => 1, _ => 0 };

    /// <summary>The more cautious of two modes (an unknown mode counts as suggestions only).</summary>
    public static string Cap(string storeMode, string ruleMode) => Rank(storeMode) <= Rank(ruleMode) ? Normalize(storeMode) : Normalize(ruleMode);

    /// <summary>Whether an action of <paramref name="risk"/> may run without a person's approval under <paramref name="mode"/>.</summary>
    public static bool AllowsAutomatic(string mode, string risk) => mode switch
    {
        AutoAll => true,
        AutoLowRisk => risk == RiskLevels.Low,
        _ => false,
    };

    public static string Label(string mode) => mode switch
    {
        AutoAll => "Automatic (all risk levels)",
        AutoLowRisk => "Automatic for low-risk actions",
        _ => "Suggestions only",
    };

    private static string Normalize(string mode) => IsValid(mode) ? mode : SuggestionsOnly;
}

/// <summary>
/// A campaign's own automation setting (<see cref="Domain.Campaign.Automation"/>), over the store's mode for it and
/// everything in it: inherit, suggestions only (every change waits for a person) or off (rules and recommendations
/// change nothing there). A person's own changes are never bound by it.
/// </summary>
public static class CampaignAutomation
{
    public const string Inherit = "inherit";
    public const string SuggestionsOnly = "suggestions_only";
    public const string Off = "off";

    public static IReadOnlyList<string> All { get; } = [Inherit, SuggestionsOnly, Off];

    public static bool IsValid(string? value) => value is Inherit or SuggestionsOnly or Off;

    public static string Label(string value) => value switch
    {
        Off => "Off: rules and recommendations leave it alone",
        SuggestionsOnly => "Suggestions only: a person approves every change",
        _ => "Store setting",
    };
}

/// <summary>The automation setting of the campaign an action's entity belongs to (<see cref="CampaignAutomation"/>).</summary>
public sealed record CampaignAutomationSetting(string Setting, string CampaignName)
{
    public static CampaignAutomationSetting Inherited { get; } = new(CampaignAutomation.Inherit, "");
}
