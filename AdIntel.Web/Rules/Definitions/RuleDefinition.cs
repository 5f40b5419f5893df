using System.Text.Json;
using AdIntel.Web.Domain;
using AdIntel.Web.Rules.Expressions;
using AdIntel.Web.Rules.Plugins;
using AdIntel.Web.Rules.Scripting;
using AdIntel.Web.Rules.Snapshots;

namespace AdIntel.Web.Rules.Definitions;

/// <summary>
/// The rule JSON as sent to create or update a rule: <c>{"name", "description", "scope", "filter",
/// "expression", "actions", "riskLevel", "automationMode", "schedule", "active"}</c>. Missing optional parts get
/// defaults (empty filter, medium risk, suggestions only, every 60 minutes, active). Beyond expression rules:
/// <c>"kind"</c> (expression, the default; plugin with <c>"pluginId"</c> and <c>"parameters"</c>; script with
/// <c>"script"</c>). Plugin and script rules may leave <c>expression</c> empty (it is then no pre-condition), and a
/// plugin rule may leave <c>actions</c> empty to act on its plugin's own proposals.
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
    public string? Kind { get; init; }
    public string? PluginId { get; init; }
    public IReadOnlyDictionary<string, double>? Parameters { get; init; }
    public string? Script { get; init; }

    /// <summary>The kind, defaulting to expression.</summary>
    public string EffectiveKind => string.IsNullOrWhiteSpace(Kind) ? RuleKinds.Expression : Kind.Trim().ToLowerInvariant();

    /// <summary>Checks every field and the expression; the expression's errors carry position and suggestion.</summary>
    /// <param name="plugins">Checks a plugin rule's plugin and parameters (plugin rules are refused without it).</param>
    /// <param name="scripts">Compiles a script rule's script (script rules are refused without it).</param>
    public RuleValidation Validate(RuleExpressionCompiler compiler, RulePluginRunner? plugins = null, CSharpRuleScriptCompiler? scripts = null)
    {
        var fields = new Dictionary<string, string>();
        var kind = EffectiveKind;
        IReadOnlyList<RuleExpressionError> scriptErrors = [];
        if (!RuleKinds.All.Contains(kind))
        {
            fields["kind"] = "kind must be expression, plugin or script.";
        }
        else if (kind == RuleKinds.Plugin)
        {
            if (string.IsNullOrWhiteSpace(PluginId))
            {
                fields["pluginId"] = "Choose the plugin this rule runs (pluginId); Settings → Plugins lists the loaded ones.";
            }
            else if (plugins is null)
            {
                fields["pluginId"] = "Plugin rules cannot be checked here.";
            }
            else if (plugins.CheckParameters(PluginId.Trim(), Parameters) is { Count: > 0 } problems)
            {
                fields[problems[0].StartsWith("There is no loaded plugin", StringComparison.Ordinal) ? "pluginId" : "parameters"] = string.Join(" ", problems);
            }
        }
        else if (kind == RuleKinds.Script)
        {
            if (scripts is null)
            {
                fields["script"] = "Script rules cannot be checked here.";
            }
            else
            {
                var compiled = scripts.Compile(Script, CancellationToken.None);
                compiled.Script?.Dispose();
                scriptErrors = compiled.Errors;
            }
        }
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
            if (Actions is not { Count: > 0 } && kind == RuleKinds.Plugin)
            {
                // The plugin's own proposals are the actions.
            }
            else if (Actions is not { Count: > 0 })
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
        var check = kind != RuleKinds.Expression && string.IsNullOrWhiteSpace(Expression)
            ? new RuleExpressionCheck { Source = "", Errors = [] }
            : compiler.CheckCondition(Expression);
        return new RuleValidation(fields, check, scriptErrors);
    }

    /// <summary>Copies the (validated) definition onto a rule row.</summary>
    public void ApplyTo(Rule rule)
    {
        rule.Name = Name!.Trim();
        rule.Description = string.IsNullOrWhiteSpace(Description) ? null : Description.Trim();
        rule.Scope = Scope!;
        rule.FilterJson = JsonSerializer.Serialize(Filter ?? new RuleFilter(), RuleJson.Options);
        rule.Kind = EffectiveKind;
        rule.Expression = (Expression ?? "").Trim();
        rule.PluginId = rule.Kind == RuleKinds.Plugin ? PluginId?.Trim() : null;
        rule.ParametersJson = JsonSerializer.Serialize(rule.Kind == RuleKinds.Plugin ? Parameters ?? new Dictionary<string, double>() : new Dictionary<string, double>(), RuleJson.Options);
        rule.Script = rule.Kind == RuleKinds.Script ? Script : null;
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
        Kind = rule.Kind,
        PluginId = rule.PluginId,
        Parameters = rule.Kind == RuleKinds.Plugin ? RuleJson.Parameters(rule) : null,
        Script = rule.Script,
    };
}

/// <summary>The outcome of validating a rule definition: field problems, the expression's check and a script's compile errors.</summary>
public sealed record RuleValidation(IReadOnlyDictionary<string, string> Fields, RuleExpressionCheck Expression, IReadOnlyList<RuleExpressionError> ScriptErrors)
{
    public bool IsValid => Fields.Count == 0 && Expression.IsValid && ScriptErrors.Count == 0;

    /// <summary>A sentence naming the first problem (the expression's first, since it is what people get wrong most).</summary>
    public string Message => !Expression.IsValid ? Expression.Errors[0].Message
        : ScriptErrors.Count > 0 ? "The script does not compile: " + ScriptErrors[0].Message
        : Fields.Count > 0 ? Fields.First().Value : "The rule is valid.";
}

/// <summary>Reads the JSON columns of a <see cref="Rule"/>; a damaged column reads as its default, never throws.</summary>
public static class RuleJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);

    public static RuleFilter Filter(Rule rule) => Read(rule.FilterJson, new RuleFilter());

    public static IReadOnlyList<RuleActionSpec> Actions(Rule rule) => Read<List<RuleActionSpec>>(rule.ActionsJson, []);

    public static RuleSchedule Schedule(Rule rule) => Read(rule.ScheduleJson, RuleSchedule.Default) is { } s && s.Problem() is null ? s : RuleSchedule.Default;

    public static IReadOnlyDictionary<string, double> Parameters(Rule rule) => Read<Dictionary<string, double>>(rule.ParametersJson, []);

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
