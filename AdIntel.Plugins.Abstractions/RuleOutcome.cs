namespace AdIntel.Plugins.Abstractions;

/// <summary>A plugin's verdict on one entity.</summary>
public sealed record RuleOutcome
{
    /// <summary>Whether the plugin's condition holds for the entity.</summary>
    public required bool Matched { get; init; }

    /// <summary>A sentence a merchant understands, with the numbers behind the verdict.</summary>
    public required string Reason { get; init; }

    /// <summary>What the plugin proposes to do about the entity (empty when it did not match).</summary>
    public IReadOnlyList<ProposedAction> Actions { get; init; } = [];

    /// <summary>
    /// Action types (<see cref="ProposedAction.Type"/> values) that must not be applied to the entity now, by any rule;
    /// this is how a guard plugin vetoes, e.g. budget changes during the learning phase.
    /// </summary>
    public IReadOnlyList<string> BlockedActionTypes { get; init; } = [];

    /// <summary>The condition does not hold.</summary>
    public static RuleOutcome NoMatch(string reason) => new() { Matched = false, Reason = reason };

    /// <summary>The condition holds; <paramref name="actions"/> are the proposals.</summary>
    public static RuleOutcome Match(string reason, params ProposedAction[] actions) => new() { Matched = true, Reason = reason, Actions = actions };
}

/// <summary>One proposed change, in the shape of a rule's actions.</summary>
/// <param name="Type"><c>pause</c>, <c>enable</c>, <c>scale_budget</c>, <c>set_budget</c>, <c>notify</c> or <c>tag</c> (see <see cref="ActionTypes"/>).</param>
/// <param name="Settings">The action's settings, e.g. <c>percent</c> for scale_budget, <c>message</c> for notify.</param>
public sealed record ProposedAction(string Type, IReadOnlyDictionary<string, string>? Settings = null);

/// <summary>The action types a rule can have.</summary>
public static class ActionTypes
{
    /// <summary>Stop delivery.</summary>
    public const string Pause = "pause";
    /// <summary>Resume delivery.</summary>
    public const string Enable = "enable";
    /// <summary>Change the daily budget by a percentage (setting <c>percent</c>, e.g. "-20").</summary>
    public const string ScaleBudget = "scale_budget";
    /// <summary>Set the daily budget to an amount (setting <c>amount</c>).</summary>
    public const string SetBudget = "set_budget";
    /// <summary>Tell the merchant (setting <c>message</c>).</summary>
    public const string Notify = "notify";
    /// <summary>Label the entity (setting <c>tag</c>).</summary>
    public const string Tag = "tag";
}
