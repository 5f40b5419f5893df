using System.Globalization;
using System.Text.Json.Serialization;
using AdIntel.Plugins.Abstractions;
using AdIntel.Web.Rules.Snapshots;

namespace AdIntel.Web.Rules.Definitions;

/// <summary>
/// One action of a rule (the rule JSON's <c>"actions": [{"type": ...}]</c>):
/// <c>{"type": "pause"}</c>, <c>{"type": "enable"}</c>,
/// <c>{"type": "scale_budget", "percent": 15, "min": 20, "max": 500}</c> or <c>{"type": "scale_budget", "amount": -10}</c>,
/// <c>{"type": "set_budget", "amount": 50}</c>, <c>{"type": "notify", "message": "..."}</c>, <c>{"type": "tag", "tag": "fatigued"}</c>.
/// </summary>
public sealed record RuleActionSpec
{
    public static IReadOnlyList<string> Types { get; } =
        [ActionTypes.Pause, ActionTypes.Enable, ActionTypes.ScaleBudget, ActionTypes.SetBudget, ActionTypes.Notify, ActionTypes.Tag];

    public string Type { get; init; } = "";

    /// <summary>scale_budget: change in percent of the current budget (−90 to +100).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public decimal? Percent { get; init; }

    /// <summary>scale_budget: change in store currency (negative lowers); set_budget: the new daily budget.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public decimal? Amount { get; init; }

    /// <summary>scale_budget: the budget never goes below <c>min</c> nor above <c>max</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public decimal? Min { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public decimal? Max { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Message { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Tag { get; init; }

    /// <summary>Whether it changes something on the ad platform (status or budget); notify and tag only inform.</summary>
    [JsonIgnore]
    public bool ChangesPlatform => TypeChangesPlatform(Type);

    [JsonIgnore]
    public bool ChangesBudget => TypeChangesBudget(Type);

    public static bool TypeChangesPlatform(string type) => type is ActionTypes.Pause or ActionTypes.Enable or ActionTypes.ScaleBudget or ActionTypes.SetBudget;

    public static bool TypeChangesBudget(string type) => type is ActionTypes.ScaleBudget or ActionTypes.SetBudget;

    public string? Problem(RuleScope scope)
    {
        if (!Types.Contains(Type))
        {
            return $"Unknown action type \"{Type}\": use {string.Join(", ", Types)}.";
        }
        if (scope == RuleScope.Account && ChangesPlatform)
        {
            return $"{Type} cannot act on an ad account: account rules can notify or tag.";
        }
        if (scope == RuleScope.Ad && ChangesBudget)
        {
            return $"{Type} needs a campaign or ad set rule: ads have no budget of their own.";
        }
        switch (Type)
        {
            case ActionTypes.ScaleBudget:
                if ((Percent is null) == (Amount is null))
                {
                    return "scale_budget needs either percent (e.g. 15 or -20) or amount (e.g. 10 or -10).";
                }
                if (Percent is { } p && (p == 0 || p < -90 || p > 100))
                {
                    return "scale_budget percent must be between -90 and 100, and not 0.";
                }
                if (Amount is { } a && (a == 0 || Math.Abs(a) > 100_000))
                {
                    return "scale_budget amount must be non-zero and at most 100000 either way.";
                }
                if (Min is < 0 || Max is <= 0)
                {
                    return "min must be 0 or more and max above 0.";
                }
                if (Min is { } min && Max is { } max && min > max)
                {
                    return "min must not be above max.";
                }
                break;
            case ActionTypes.SetBudget:
                if (Amount is not > 0 || Amount > 1_000_000)
                {
                    return "set_budget needs amount, the new daily budget (above 0).";
                }
                break;
            case ActionTypes.Notify:
                if (Message is { Length: > 500 })
                {
                    return "notify message is limited to 500 characters.";
                }
                break;
            case ActionTypes.Tag:
                if (string.IsNullOrWhiteSpace(Tag) || Tag.Length > 50 || !Tag.All(c => char.IsLetterOrDigit(c) || c is '-' or '_' or ' '))
                {
                    return "tag needs a tag of 1 to 50 letters, digits, spaces, - or _.";
                }
                break;
        }
        return null;
    }

    /// <summary>
    /// The action's own risk, whatever the rule says: stopping spend or lowering a budget is low, informing is low,
    /// spending more (enable, a higher budget) is medium. The rails use the higher of this and the rule's risk.
    /// </summary>
    public string IntrinsicRisk(decimal? currentBudget) => Type switch
    {
        ActionTypes.Enable => RiskLevels.Medium,
        ActionTypes.ScaleBudget => (Percent ?? Amount) > 0 ? RiskLevels.Medium : RiskLevels.Low,
        ActionTypes.SetBudget => currentBudget is { } b && Amount <= b ? RiskLevels.Low : RiskLevels.Medium,
        _ => RiskLevels.Low,
    };

    /// <summary>The budget this action asks for from <paramref name="current"/>, with its own min/max applied (before the rails).</summary>
    public decimal? RequestedBudget(decimal? current)
    {
        decimal? wanted = Type switch
        {
            ActionTypes.SetBudget => Amount,
            ActionTypes.ScaleBudget when current is { } c && Percent is { } p => c * (1 + p / 100m),
            ActionTypes.ScaleBudget when current is { } c && Amount is { } a => c + a,
            _ => null,
        };
        if (wanted is not { } w)
        {
            return null;
        }
        if (Min is { } min && w < min)
        {
            w = min;
        }
        if (Max is { } max && w > max)
        {
            w = max;
        }
        return Math.Round(Math.Max(0, w), 2, MidpointRounding.ToZero);
    }

    public string Describe() => Type switch
    {
        ActionTypes.Pause => "Pause",
        ActionTypes.Enable => "Enable",
        ActionTypes.ScaleBudget => string.Create(CultureInfo.InvariantCulture,
            $"Scale budget {(Percent is { } p ? $"{p:+0.##;-0.##}%" : $"{Amount:+0.##;-0.##}")}{(Min is { } mn ? $", min {mn:0.##}" : "")}{(Max is { } mx ? $", max {mx:0.##}" : "")}"),
        ActionTypes.SetBudget => string.Create(CultureInfo.InvariantCulture, $"Set budget to {Amount:0.##}"),
        ActionTypes.Notify => string.IsNullOrWhiteSpace(Message) ? "Notify" : $"Notify: {Message}",
        ActionTypes.Tag => $"Tag “{Tag}”",
        _ => Type,
    };
}
