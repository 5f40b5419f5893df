using AdIntel.Web.Domain;

namespace AdIntel.Web.Alerts;

/// <summary>A condition that holds now, as its source reports it to <see cref="AlertWriter.RaiseAsync"/>.</summary>
public sealed record AlertSignal
{
    /// <summary>Who raises it (see <see cref="AlertSources"/>).</summary>
    public required string Source { get; init; }
    /// <summary>The kind of condition within the source: spend_spike, sync_failed, token_expiring, …</summary>
    public required string Type { get; init; }
    /// <summary>
    /// The condition's identity, stable across repeats ("anomaly:spend_spike:ad_set:42"): while an alert with this key
    /// is active, raising it again updates that alert.
    /// </summary>
    public required string ConditionKey { get; init; }
    /// <summary>low, medium, high or critical (see <see cref="AlertSeverities"/>).</summary>
    public required string Severity { get; init; }
    public required string Title { get; init; }
    /// <summary>What happened, in a sentence that cites the figures.</summary>
    public required string Message { get; init; }
    /// <summary>The suggested next step.</summary>
    public string? NextStep { get; init; }
    /// <summary>campaign, ad_set, ad, tracking, integration or system.</summary>
    public string EntityType { get; init; } = "system";
    public long? EntityId { get; init; }
    public string? EntityName { get; init; }
    public AlertEvidence Evidence { get; init; } = AlertEvidence.None;
}

/// <summary>The figures behind an alert and the window they were measured over.</summary>
public sealed record AlertEvidence(IReadOnlyList<AlertFigure> Figures, DateOnly? WindowStart = null, DateOnly? WindowEnd = null)
{
    public static AlertEvidence None { get; } = new([]);
}

/// <summary>One figure: "Spend today" 412.50 money; <see cref="Unit"/> is money, percent, count, ratio or days.</summary>
public sealed record AlertFigure(string Label, decimal Value, string Unit);

/// <summary>An alert just opened, or escalated to a higher severity, as <see cref="IAlertListener"/>s hear of it.</summary>
public sealed record AlertRaised(long StoreId, long AlertId, string Severity, string Title, string Message, bool Escalated);

/// <summary>
/// Hears of alerts as they open or escalate, within the transaction's store scope (notifications queue deliveries
/// here). A listener must not throw for a delivery problem: the alert is already stored.
/// </summary>
public interface IAlertListener
{
    Task OnRaisedAsync(AlertRaised raised, CancellationToken cancellationToken);
}
