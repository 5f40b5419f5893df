using System.Text.Json.Serialization;
using AdIntel.Web.Domain;
using AdIntel.Web.Rules.Definitions;

namespace AdIntel.Web.Pages.Rules;

/// <summary>The rule JSON as read: the definition plus id, version and timestamps.</summary>
public sealed record RuleView(
    long Id,
    string Name,
    string? Description,
    string Scope,
    RuleFilter Filter,
    string Expression,
    IReadOnlyList<RuleActionSpec> Actions,
    string RiskLevel,
    string AutomationMode,
    RuleSchedule Schedule,
    bool Active,
    int Version,
    DateTime? LastTriggeredAt,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    string Kind,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PluginId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, double>? Parameters,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Script)
{
    public static RuleView From(Rule rule) => new(rule.Id, rule.Name, rule.Description, rule.Scope, RuleJson.Filter(rule), rule.Expression,
        RuleJson.Actions(rule), rule.RiskLevel, rule.AutomationMode, RuleJson.Schedule(rule), rule.Active, rule.Version,
        rule.LastTriggeredAtUtc, rule.CreatedAtUtc, rule.UpdatedAtUtc, rule.Kind,
        rule.Kind == RuleKinds.Plugin ? rule.PluginId : null, rule.Kind == RuleKinds.Plugin ? RuleJson.Parameters(rule) : null,
        rule.Kind == RuleKinds.Script ? rule.Script : null);
}
