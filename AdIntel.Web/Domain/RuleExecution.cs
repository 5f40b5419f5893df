namespace AdIntel.Web.Domain;

public sealed class RuleExecution : IStoreOwned
{
    public long Id { get; set; }
    public long StoreId { get; set; }
    public long RuleId { get; set; }
    /// <summary>schedule (the store's recurring job) or manual (run now from the API or the editor).</summary>
    public string Trigger { get; set; } = "schedule";
    /// <summary>Start of the schedule slot the run belongs to: actions are keyed by it, so a retried slot never acts twice.</summary>
    public DateTime SlotStartUtc { get; set; }
    public DateTime StartedAtUtc { get; set; }
    public DateTime? FinishedAtUtc { get; set; }
    public int Evaluated { get; set; }
    public int Matched { get; set; }
    /// <summary>Actions executed, queued for approval and held back by the safety rails in this run.</summary>
    public int ActionsExecuted { get; set; }
    public int ActionsQueued { get; set; }
    public int ActionsBlocked { get; set; }
    /// <summary>Why a run failed or did nothing (e.g. the kill switch), for the execution log.</summary>
    public string? Message { get; set; }
    /// <summary>running, succeeded, failed or interrupted (see <see cref="RuleExecutionStatuses"/>).</summary>
    public string Status { get; set; } = RuleExecutionStatuses.Running;
    /// <summary>Per-entity log: values used and why it matched or not (every entity, or only the matched ones on a large level).</summary>
    public string DetailsJson { get; set; } = "[]";
    /// <summary>
    /// The entities <see cref="DetailsJson"/> does not list, counted by reason (<c>ExecutionNotListed</c>); null when it
    /// lists every entity judged.
    /// </summary>
    public string? NotListedJson { get; set; }
}

public static class RuleExecutionStatuses
{
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    /// <summary>Cut off by a stop of the app (crash, kill, restart); marked so at the next start.</summary>
    public const string Interrupted = "interrupted";
}
