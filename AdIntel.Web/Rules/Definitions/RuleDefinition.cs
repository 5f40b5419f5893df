using System.Text.Json;
using AdIntel.Web.Domain;
using AdIntel.Web.Rules.Expressions;
using AdIntel.Web.Rules.Snapshots;

namespace AdIntel.Web.Rules.Definitions;

/// <summary>
/// The contract's Rule JSON as sent to create or update a rule: <c>{"name", "description", "scope", "filter",
/// "expression", "actions", "riskLevel", "automationMode", "schedule", "active"}</c>. Missing optional parts get
/// defaults (empty filter, medium risk, suggestions only, every 60 minutes, active).
/// </summary>
public sealed record RuleDefinition
{
    public const int MaxActions = 5;

    public string? Name { get; init; }
    public string? Description { get; init; }
    public string? Scope { get; init; }
    public RuleFilter? Filter { get; init; }
    public string? Expression { get; init; }
    public IReadOnlyList<RuleActionSpec>? Actions { get; init; }
    public string? RiskLevel { get; init; }
    public string? AutomationMode { get; init; }
    public RuleSchedule? Schedule { get; init; }
    public bool? Active { get; init; }

    /// <summary>Checks every field and the expression; the expression's errors carry position and suggestion.</summary>
    public RuleValidation Validate(RuleExpressionCompiler compiler)
    {
        var fields = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(Name))
        {
            fields["name"] = "Give the rule a name.";
        }
        else if (Name.Trim().Length > 200)
        {
            fields["name"] = "The name is limited to 200 characters.";
        }
        if (Description is { Length: > 2000 })
        {
            fields["description"] = "The description is limited to 2000 characters.";
        }
        if (!RuleScopes.TryParse(Scope, out var scope))
        {
            fields["scope"] = "scope must be account, campaign, ad_set or ad.";
        }
        else
        {
            if (Filter?.Problem(scope) is { } filterProblem)
            {
                fields["filter"] = filterProblem;
            }
            if (Actions is not { Count: > 0 })
            {
                fields["actions"] = "Give at least one action (pause, enable, scale_budget, set_budget, notify or tag).";
            }
            else if (Actions.Count > MaxActions)
            {
                fields["actions"] = $"A rule has at most {MaxActions} actions.";
            }
            else
            {
                for (var i = 0; i < Actions.Count; i++)
                {
                    if (Actions[i] is null)
                    {
                        fields[$"actions[{i}]"] = "An action must be an object with a type.";
                    }
                    else if (Actions[i].Problem(scope) is { } problem)
                    {
                        fields[$"actions[{i}]"] = problem;
                    }
                }
            }
        }
        if (RiskLevel is not null && !RiskLevels.IsValid(RiskLevel))
        {
            fields["riskLevel"] = "riskLevel must be low, medium or high.";
        }
        if (AutomationMode is not null && !Definitions.AutomationModes.IsValid(AutomationMode))
        {
            fields["automationMode"] = "automationMode must be suggestions_only, auto_low_risk or auto_all.";
        }
        if (Schedule?.Problem() is { } scheduleProblem)
        {
            fields["schedule"] = scheduleProblem;
        }
        var check = compiler.CheckCondition(Expression);
        return new RuleValidation(fields, check);
    }

    /// <summary>Copies the (validated) definition onto a rule row.</summary>
    public void ApplyTo(Rule rule)
    {
        rule.Name = Name!.Trim();
        rule.Description = string.IsNullOrWhiteSpace(Description) ? null : Description.Trim();
        rule.Scope = Scope!;
        rule.FilterJson = JsonSerializer.Serialize(Filter ?? new RuleFilter(), RuleJson.Options);
        rule.Expression = Expression!.Trim();
        rule.ActionsJson = JsonSerializer.Serialize(Actions ?? [], RuleJson.Options);
        rule.RiskLevel = RiskLevel ?? RiskLevels.Medium;
        rule.AutomationMode = AutomationMode ?? Definitions.AutomationModes.SuggestionsOnly;
        rule.ScheduleJson = JsonSerializer.Serialize(Schedule ?? RuleSchedule.Default, RuleJson.Options);
        rule.Active = Active ?? true;
    }

    public static RuleDefinition From(Rule rule) => new()
    {
        Name = rule.Name,
        Description = rule.Description,
        Scope = rule.Scope,
        Filter = RuleJson.Filter(rule),
        Expression = rule.Expression,
        Actions = RuleJson.Actions(rule),
        RiskLevel = rule.RiskLevel,
        AutomationMode = rule.AutomationMode,
        Schedule = RuleJson.Schedule(rule),
        Active = rule.Active,
    };
}

/// <summary>The outcome of validating a rule definition: field problems and the expression's check.</summary>
public sealed record RuleValidation(IReadOnlyDictionary<string, string> Fields, RuleExpressionCheck Expression)
{
    public bool IsValid => Fields.Count == 0 && Expression.IsValid;

    /// <summary>A sentence naming the first problem (the expression's first, since it is what people get wrong most).</summary>
    public string Message => !Expression.IsValid ? Expression.Errors[0].Message : Fields.Count > 0 ? Fields.First().Value : "The rule is valid.";
}

/// <summary>Reads the JSON columns of a <see cref="Rule"/>; a damaged column reads as its default, never throws.</summary>
public static class RuleJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);

    public static RuleFilter Filter(Rule rule) => Read(rule.FilterJson, new RuleFilter());

    public static IReadOnlyList<RuleActionSpec> Actions(Rule rule) => Read<List<RuleActionSpec>>(rule.ActionsJson, []);

    public static RuleSchedule Schedule(Rule rule) => Read(rule.ScheduleJson, RuleSchedule.Default) is { } s && s.Problem() is null ? s : RuleSchedule.Default;

    public static RuleScope Scope(Rule rule) => RuleScopes.TryParse(rule.Scope, out var scope) ? scope : RuleScope.Ad;

    private static T Read<T>(string json, T fallback)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(json, Options) ?? fallback;
        }
        catch (JsonException)
        {
            return fallback;
        }
    }
}
