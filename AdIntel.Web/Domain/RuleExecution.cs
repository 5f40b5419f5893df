namespace AdIntel.Web.Domain;

public sealed class RuleExecution : IStoreOwned
{
    public long Id { get; set; }
    public long StoreId { get; set; }
    public long RuleId { get; set; }
    public DateTime StartedAtUtc { get; set; }
    public DateTime? FinishedAtUtc { get; set; }
    public int Evaluated { get; set; }
    public int Matched { get; set; }
    /// <summary>running, succeeded or failed.</summary>
    public string Status { get; set; } = "running";
    /// <summary>Per-entity log: values used and why it matched or not.</summary>
    public string DetailsJson { get; set; } = "[]";
}
