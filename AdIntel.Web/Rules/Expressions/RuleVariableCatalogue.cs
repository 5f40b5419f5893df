using System.Collections.Frozen;
using AdIntel.Web.Domain;

namespace AdIntel.Web.Rules.Expressions;

/// <summary>
/// Every variable of rule expressions: each <see cref="RuleMetric"/> × <see cref="RuleWindow"/> (<c>roas_7d</c>,
/// <c>spend_today</c>, <c>ctr_14d_incl_today</c>, ...) and the entity attributes. Names are lower case and matched
/// case-insensitively. The order is fixed: a variable's index is its slot in snapshot rows.
/// </summary>
public static class RuleVariableCatalogue
{
    public const string DailyBudget = "daily_budget";
    public const string Status = "status";
    public const string AgeDays = "age_days";
    public const string InLearning = "in_learning";

    /// <summary>Purchases in the last 7 complete days under which an ad set counts as learning (Meta's threshold).</summary>
    public const int LearningPurchases = 50;

    /// <summary>Hours after a significant edit during which an ad set counts as learning again.</summary>
    public const int LearningHoursAfterEdit = 72;

    /// <summary>The values <c>status</c> can take; a row stores the position + 1 (0 for anything else).</summary>
    public static IReadOnlyList<string> StatusValues { get; } = [EntityStatus.Active, EntityStatus.Paused, EntityStatus.Archived];

    public static IReadOnlyList<RuleVariable> All { get; }

    /// <summary>Length of a snapshot row.</summary>
    public static int SlotCount => All.Count;

    private static readonly FrozenDictionary<string, RuleVariable> ByName;

    static RuleVariableCatalogue()
    {
        var variables = new List<RuleVariable>();
        foreach (var metric in RuleMetric.All)
        {
            foreach (var window in RuleWindow.All)
            {
                variables.Add(new RuleVariable(variables.Count, $"{metric.Name}_{window.Suffix}", RuleValueType.Number, metric.Unit,
                    $"{metric.Label}, {window.Label.ToLowerInvariant()}", $"{metric.Definition} Window: {window.Definition}", metric, window));
            }
        }
        variables.Add(new RuleVariable(variables.Count, DailyBudget, RuleValueType.Number, RuleUnit.Money, "Daily budget",
            "The daily budget the entity spends from: an ad set's own budget, or its campaign's when the campaign holds the budget (CBO); an ad's is its ad set's; a campaign's is its own budget, else the sum of its active ad sets' budgets; an account's is the sum over its active campaigns. Null when none is known.",
            null, null));
        variables.Add(new RuleVariable(variables.Count, Status, RuleValueType.Text, RuleUnit.Text, "Status",
            "The platform status: 'ACTIVE', 'PAUSED' or 'ARCHIVED' (compare with == or !=, any letter case). An account is 'ACTIVE' while any of its campaigns is.",
            null, null));
        variables.Add(new RuleVariable(variables.Count, AgeDays, RuleValueType.Number, RuleUnit.Count, "Age in days",
            "Days from the start date (or, when none is known, the first day with delivery) to today; null for an entity that never delivered and has no start date.",
            null, null));
        variables.Add(new RuleVariable(variables.Count, InLearning, RuleValueType.Boolean, RuleUnit.Flag, "In learning phase",
            $"True for an ad set with fewer than {LearningPurchases} purchases in the last 7 complete days or a significant edit (budget, bid, targeting) in the last {LearningHoursAfterEdit} hours; an ad takes its ad set's value; a campaign or account is learning while any of its active ad sets is.",
            null, null));
        All = variables;
        ByName = variables.ToFrozenDictionary(v => v.Name, StringComparer.OrdinalIgnoreCase);
    }

    public static RuleVariable? Find(string name) => ByName.GetValueOrDefault(name);

    public static RuleVariable Get(string name) =>
        Find(name) ?? throw new ArgumentException($"There is no rule variable named {name}.", nameof(name));

    public static RuleVariable Get(RuleMetric metric, RuleWindow window) => Get($"{metric.Name}_{window.Suffix}");

    /// <summary>The row code of a status text (case-insensitive); 0 for a status outside <see cref="StatusValues"/>.</summary>
    public static double StatusCode(string? status)
    {
        for (var i = 0; i < StatusValues.Count; i++)
        {
            if (string.Equals(StatusValues[i], status, StringComparison.OrdinalIgnoreCase))
            {
                return i + 1;
            }
        }
        return 0;
    }
}
