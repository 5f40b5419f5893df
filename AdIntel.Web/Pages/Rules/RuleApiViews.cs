using System.Text.Json;
using AdIntel.Web.Domain;
using AdIntel.Web.Rules.Actions;
using AdIntel.Web.Rules.Definitions;

namespace AdIntel.Web.Pages.Rules;

/// <summary>An entity's status and own daily budget, before or after an action.</summary>
public sealed record EntityValues(string? Status, decimal? DailyBudget);

/// <summary>An action as the API shows it (approvals, history, undo).</summary>
public sealed record ActionView(long Id, string Source, long? RuleId, string? RuleName, long? ExecutionId, string EntityScope, long EntityId,
    string ExternalId, string EntityName, string Type, string Description, JsonElement Settings, string RiskLevel, string Status, string Reason,
    JsonElement Evidence, EntityValues Before, EntityValues After, DateTime CreatedAt, DateTime? DecidedAt, string? DecidedBy,
    DateTime? ExecutedAt, DateTime? UndoneAt, string? UndoneBy, bool CanUndo)
{
    public static ActionView From(ActionRecord a, string? ruleName) => new(a.Id, a.Source, a.RuleId, ruleName, a.RuleExecutionId, a.EntityScope,
        a.EntityId, a.EntityExternalId, a.EntityName, a.Type, Describe(a), Json(a.SettingsJson), a.RiskLevel, a.Status, a.Reason, Json(a.EvidenceJson),
        new(a.StatusBefore, a.BudgetBefore), new(a.StatusAfter, a.BudgetAfter), a.CreatedAtUtc, a.DecidedAtUtc, a.DecidedBy, a.ExecutedAtUtc,
        a.UndoneAtUtc, a.UndoneBy, a.Status == ActionStatuses.Executed);

    private static string Describe(ActionRecord a) =>
        (JsonSerializer.Deserialize<RuleActionSpec>(a.SettingsJson, RuleJson.Options) ?? new RuleActionSpec { Type = a.Type }).Describe();

    internal static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(json) ? "{}" : json);
        return document.RootElement.Clone();
    }
}

/// <summary>
/// A run of a rule; <see cref="Entities"/> (the per-entity log) and <see cref="NotListed"/> (the entities it does not
/// list, counted by reason; null when it lists every one) only in the execution's detail.
/// </summary>
public sealed record ExecutionView(long Id, long RuleId, string Trigger, DateTime SlotStart, DateTime StartedAt, DateTime? FinishedAt, string Status,
    int Evaluated, int Matched, int ActionsExecuted, int ActionsQueued, int ActionsBlocked, string? Message, JsonElement? Entities, JsonElement? NotListed)
{
    public static ExecutionView From(RuleExecution e, bool withEntities) => new(e.Id, e.RuleId, e.Trigger, e.SlotStartUtc, e.StartedAtUtc, e.FinishedAtUtc,
        e.Status, e.Evaluated, e.Matched, e.ActionsExecuted, e.ActionsQueued, e.ActionsBlocked, e.Message,
        withEntities ? ActionView.Json(string.IsNullOrWhiteSpace(e.DetailsJson) ? "[]" : e.DetailsJson) : null,
        withEntities && e.NotListedJson is { } notListed ? ActionView.Json(notListed) : null);
}
