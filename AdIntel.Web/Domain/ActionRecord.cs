namespace AdIntel.Web.Domain;

/// <summary>
/// One action proposed by automation (a rule, a plugin, a script, later the AI brain) on one ad entity: what was
/// decided (executed, waiting for approval, rejected, undone, failed), the values before and after, and the key that
/// makes a retried run never act twice. Every action passes through <c>Rules/Actions/SafetyRails</c> first.
/// </summary>
public sealed class ActionRecord : IStoreOwned
{
    public long Id { get; set; }
    public long StoreId { get; set; }
    /// <summary>rule, plugin, script, recommendation, planner, ai or person: who proposed it.</summary>
    public string Source { get; set; } = "rule";
    /// <summary>The rule that proposed it (null for sources without a rule).</summary>
    public long? RuleId { get; set; }
    public long? RuleExecutionId { get; set; }
    /// <summary>account, campaign, ad_set or ad.</summary>
    public required string EntityScope { get; set; }
    public long EntityId { get; set; }
    public required string EntityExternalId { get; set; }
    public required string EntityName { get; set; }
    /// <summary>pause, enable, scale_budget, set_budget, notify or tag.</summary>
    public required string Type { get; set; }
    /// <summary>The action as the rule states it (percent, amount, min, max, message, tag).</summary>
    public string SettingsJson { get; set; } = "{}";
    /// <summary>low, medium or high: the higher of the rule's risk and the action's own.</summary>
    public string RiskLevel { get; set; } = "medium";
    /// <summary>pending_approval, executing, executed, rejected, failed or undone (see <see cref="ActionStatuses"/>).</summary>
    public string Status { get; set; } = ActionStatuses.PendingApproval;
    /// <summary>Why it ran, waits or was refused (the rails' explanation), a sentence a person reads.</summary>
    public string Reason { get; set; } = "";
    /// <summary>The entity's values that justified it (evidence), as name → value.</summary>
    public string EvidenceJson { get; set; } = "{}";
    /// <summary>Entity status and daily budget before and after the action (notify/tag: the alert or tag written).</summary>
    public string? StatusBefore { get; set; }
    public string? StatusAfter { get; set; }
    public decimal? BudgetBefore { get; set; }
    public decimal? BudgetAfter { get; set; }
    /// <summary>notify: the alert created; tag: the tag.</summary>
    public string? ResultJson { get; set; }
    /// <summary>rule id × run slot × entity × action: unique per store, so a retried run never acts twice.</summary>
    public required string IdempotencyKey { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime? DecidedAtUtc { get; set; }
    public string? DecidedBy { get; set; }
    public DateTime? ExecutedAtUtc { get; set; }
    public DateTime? UndoneAtUtc { get; set; }
    public string? UndoneBy { get; set; }
}

public static class ActionStatuses
{
    public const string PendingApproval = "pending_approval";
    /// <summary>Claimed by a run, being applied on the platform.</summary>
    public const string Executing = "executing";
    public const string Executed = "executed";
    public const string Rejected = "rejected";
    public const string Failed = "failed";
    public const string Undone = "undone";
}
