using System.Text.Json;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Alerts;

/// <summary>
/// The one writer of alerts, for every source: a condition raised while its alert is active updates that alert (figures,
/// message, severity, last seen, occurrences) instead of opening another; a condition that cleared resolves it. New and
/// escalated alerts are passed to the <see cref="IAlertListener"/>s (notifications). Works in the current store scope.
/// </summary>
public sealed class AlertWriter(AdIntelDbContext db, TimeProvider time, IEnumerable<IAlertListener> listeners, ILogger<AlertWriter> logger)
{
    private static readonly JsonSerializerOptions EvidenceJson = new(JsonSerializerDefaults.Web);

    /// <summary>Opens an alert for the condition, or updates its active alert; returns the alert.</summary>
    public async Task<Alert> RaiseAsync(AlertSignal signal, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var alert = await db.Alerts.SingleOrDefaultAsync(a => a.ActiveKey == signal.ConditionKey, cancellationToken);
        var opened = alert is null;
        var escalated = false;
        if (alert is null)
        {
            alert = new Alert
            {
                Type = signal.Type,
                ConditionKey = signal.ConditionKey,
                ActiveKey = signal.ConditionKey,
                Title = signal.Title,
                Message = signal.Message,
                CreatedAtUtc = now,
            };
            db.Alerts.Add(alert);
        }
        else
        {
            escalated = AlertSeverities.Rank(signal.Severity) > AlertSeverities.Rank(alert.Severity);
            alert.Occurrences++;
            // A snooze that ran out ends here: the condition still holds, so the alert is open again.
            if (alert.Status == AlertStatuses.Snoozed && alert.SnoozedUntilUtc <= now)
            {
                alert.Status = AlertStatuses.Open;
                alert.SnoozedUntilUtc = null;
            }
        }
        alert.Source = signal.Source;
        alert.Severity = signal.Severity;
        alert.Title = Truncate(signal.Title, 300);
        alert.Message = signal.Message;
        alert.Recommendation = signal.NextStep;
        alert.EntityType = signal.EntityType;
        alert.EntityId = signal.EntityId;
        alert.EntityName = signal.EntityName is null ? null : Truncate(signal.EntityName, 300);
        alert.EvidenceJson = JsonSerializer.Serialize(signal.Evidence, EvidenceJson);
        alert.LastSeenAtUtc = now;
        await db.SaveChangesAsync(cancellationToken);

        if (opened || escalated)
        {
            var raised = new AlertRaised(alert.StoreId, alert.Id, alert.Severity, alert.Title, alert.Message, escalated);
            foreach (var listener in listeners)
            {
                try
                {
                    await listener.OnRaisedAsync(raised, cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogError(ex, "Alert listener {Listener} failed for alert {AlertId}", listener.GetType().Name, alert.Id);
                }
            }
        }
        return alert;
    }

    /// <summary>Resolves the condition's active alert, if any (its condition cleared); returns whether one was resolved.</summary>
    public async Task<bool> ResolveAsync(string conditionKey, CancellationToken cancellationToken)
    {
        var alert = await db.Alerts.SingleOrDefaultAsync(a => a.ActiveKey == conditionKey, cancellationToken);
        if (alert is null)
        {
            return false;
        }
        Close(alert, AlertStatuses.Resolved, by: null);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// After a source re-evaluated all its conditions: resolves its active alerts whose condition is not among the ones
    /// that still hold (the keys it just raised); returns how many were resolved.
    /// </summary>
    public async Task<int> ResolveClearedAsync(string source, IReadOnlyCollection<string> stillHolding, CancellationToken cancellationToken)
    {
        var active = await db.Alerts.Where(a => a.Source == source && a.ActiveKey != null).ToListAsync(cancellationToken);
        var cleared = active.Where(a => !stillHolding.Contains(a.ConditionKey)).ToList();
        foreach (var alert in cleared)
        {
            Close(alert, AlertStatuses.Resolved, by: null);
        }
        if (cleared.Count > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        return cleared.Count;
    }

    /// <summary>Ends an alert (resolved or dismissed); the condition may open a new one later.</summary>
    public void Close(Alert alert, string status, string? by)
    {
        alert.Status = status;
        alert.ActiveKey = null;
        alert.SnoozedUntilUtc = null;
        alert.ResolvedAtUtc = time.GetUtcNow().UtcDateTime;
        alert.UpdatedBy = by;
    }

    /// <summary>Reads an alert's stored evidence.</summary>
    public static AlertEvidence ReadEvidence(Alert alert) =>
        JsonSerializer.Deserialize<AlertEvidence>(alert.EvidenceJson, EvidenceJson) ?? AlertEvidence.None;

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..(max - 1)] + "…";
}
