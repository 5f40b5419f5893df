namespace AdIntel.Plugins.Abstractions;

/// <summary>Everything a plugin gets to judge one entity.</summary>
public sealed class PluginEvaluationContext
{
    /// <summary>The entity with its current values and its daily history.</summary>
    public required PluginEntity Entity { get; init; }

    /// <summary>The plugin's parameters: the rule's values, else each <see cref="PluginParameter.DefaultValue"/>.</summary>
    public required IReadOnlyDictionary<string, double> Parameters { get; init; }

    /// <summary>The instant the evaluation is for (now, or a past instant during a backtest).</summary>
    public required DateTimeOffset AsOf { get; init; }

    /// <summary>The store-local date of <see cref="AsOf"/>; "today" in the store's time zone.</summary>
    public required DateOnly Today { get; init; }

    /// <summary>The parameter's value, or <paramref name="fallback"/> when it is absent.</summary>
    public double Parameter(string name, double fallback) => Parameters.TryGetValue(name, out var value) ? value : fallback;
}

/// <summary>An ad account, campaign, ad set or ad as rules see it.</summary>
public sealed class PluginEntity
{
    /// <summary><c>account</c>, <c>campaign</c>, <c>ad_set</c> or <c>ad</c>.</summary>
    public required string Scope { get; init; }

    /// <summary>AdIntel's id of the entity.</summary>
    public required long Id { get; init; }

    /// <summary>The ad platform's id (Ads Manager's "Ad ID", "Ad set ID", ...).</summary>
    public required string ExternalId { get; init; }

    /// <summary>The entity's name in the ad platform.</summary>
    public required string Name { get; init; }

    /// <summary>The platform's status: <c>ACTIVE</c>, <c>PAUSED</c> or <c>ARCHIVED</c>.</summary>
    public required string Status { get; init; }

    /// <summary>The daily budget the entity spends from, in the account currency; null when unknown.</summary>
    public double? DailyBudget { get; init; }

    /// <summary>When the entity started delivering, if known.</summary>
    public DateOnly? StartDate { get; init; }

    /// <summary>
    /// The last edit that resets the platform's learning phase (budget, bid or targeting), for ad sets and their ads;
    /// null when none is known.
    /// </summary>
    public DateTimeOffset? LastSignificantEditAt { get; init; }

    /// <summary>
    /// The rule variables (docs/metrics.md#rule-variables-and-windows) by lower-case name (<c>spend_7d</c>, <c>roas_3d</c>, <c>in_learning</c> as 1 or 0,
    /// ...). A value is null when it is undefined, e.g. a ratio whose denominator is zero. Text attributes
    /// (<c>status</c>) are not in here: use <see cref="Status"/>.
    /// </summary>
    public required IReadOnlyDictionary<string, double?> Values { get; init; }

    /// <summary>Daily delivery, oldest first, one item per store-local day with any delivery, up to and including today.</summary>
    public required IReadOnlyList<DailyDelivery> History { get; init; }

    /// <summary>The value of a rule variable, or null when it is missing or undefined.</summary>
    public double? Value(string variable) => Values.TryGetValue(variable, out var value) ? value : null;
}

/// <summary>One day of delivery as the ad platform reports it (summed over the entity's ads).</summary>
public readonly record struct DailyDelivery(
    DateOnly Date,
    double Spend,
    double Impressions,
    double Reach,
    double Clicks,
    double Purchases,
    double PurchaseValue);
