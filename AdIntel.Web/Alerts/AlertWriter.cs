using System.Globalization;
using System.Text.Json;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Audit;
using AdIntel.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Alerts;

/// <summary>
/// The one writer of alerts, for every source: a condition raised while its alert is active updates that alert (figures,
/// message, severity, last seen, occurrences) instead of opening another; a condition that cleared resolves it. New and
/// escalated alerts are passed to the <see cref="IAlertListener"/>s (notifications). Works in the current store scope.
/// </summary>
public sealed class AlertWriter(AdIntelDbContext db, TimeProvider time, IAuditLog audit, IEnumerable<IAlertListener> listeners, ILogger<AlertWriter> logger)
{
    /// <summary>How long a dismissed condition must have gone unseen before it opens a new alert.</summary>
    public static readonly TimeSpan DismissalMemory = TimeSpan.FromDays(1);

    private static readonly JsonSerializerOptions EvidenceJson = new(JsonSerializerDefaults.Web);

    /// <summary>Opens an alert for the condition, or updates its active alert; returns the alert.</summary>
    public Task<Alert> RaiseAsync(AlertSignal signal, CancellationToken cancellationToken) => RaiseAsync(signal, firstTry: true, cancellationToken);

    private async Task<Alert> RaiseAsync(AlertSignal signal, bool firstTry, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var alert = await db.Alerts.SingleOrDefaultAsync(a => a.ActiveKey == signal.ConditionKey, cancellationToken);
        if (alert is null && await DismissedWhileHoldingAsync(signal, now, cancellationToken) is { } dismissed)
        {
            return dismissed;
        }
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
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException) when (opened && firstTry && db.Database.CurrentTransaction is null)
        {
            // A concurrent raise of the same condition (the hourly job and one after a rebuild) opened its alert first:
            // the unique active key refused this one, so update that alert instead.
            db.Entry(alert).State = EntityState.Detached;
            return await RaiseAsync(signal, firstTry: false, cancellationToken);
        }

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

    /// <summary>
    /// A dismissed alert stays dismissed while its condition keeps holding (seen again within
    /// <see cref="DismissalMemory"/>): the hourly re-evaluation records the repeat on it instead of opening, and
    /// notifying, the same alert again. A higher severity than the one dismissed opens a new alert.
    /// </summary>
    private async Task<Alert?> DismissedWhileHoldingAsync(AlertSignal signal, DateTime now, CancellationToken cancellationToken)
    {
        var dismissed = await db.Alerts.Where(a => a.ConditionKey == signal.ConditionKey && a.Status == AlertStatuses.Dismissed)
            .OrderByDescending(a => a.LastSeenAtUtc).FirstOrDefaultAsync(cancellationToken);
        if (dismissed is null || now - dismissed.LastSeenAtUtc >= DismissalMemory
            || AlertSeverities.Rank(signal.Severity) > AlertSeverities.Rank(dismissed.Severity))
        {
            return null;
        }
        dismissed.LastSeenAtUtc = now;
        dismissed.Occurrences++;
        await db.SaveChangesAsync(cancellationToken);
        return dismissed;
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

    /// <summary>
    /// A person changes an alert's status: acknowledged, snoozed (until <paramref name="snoozeUntilUtc"/>), open again,
    /// resolved or dismissed. Audited. A resolved or dismissed alert is settled: it cannot change any more (the condition
    /// opens a new alert if it comes back).
    /// </summary>
    public async Task<AlertChangeResult> ChangeStatusAsync(long id, string status, DateTime? snoozeUntilUtc, string actor,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        // Another store's id is not found whatever the request says.
        if (await db.Alerts.SingleOrDefaultAsync(a => a.Id == id, cancellationToken) is not { } alert)
        {
            return AlertChangeResult.NotFound();
        }
        if (!PersonStatuses.Contains(status))
        {
            return AlertChangeResult.Invalid("invalid_status", $"status must be one of {string.Join(", ", PersonStatuses)}.", new { status });
        }
        if (status == AlertStatuses.Snoozed && ValidateSnooze(snoozeUntilUtc, now) is { } invalidSnooze)
        {
            return invalidSnooze;
        }
        if (status != AlertStatuses.Snoozed && snoozeUntilUtc is not null)
        {
            return AlertChangeResult.Invalid("invalid_snooze", "snoozeUntil goes only with status snoozed.", new { status });
        }
        if (!AlertStatuses.IsActive(alert.Status))
        {
            return AlertChangeResult.Conflict("alert_closed", $"This alert is already {alert.Status}; it cannot change any more.", alert);
        }
        var before = alert.Status;
        switch (status)
        {
            case AlertStatuses.Acknowledged:
                alert.Status = AlertStatuses.Acknowledged;
                alert.AcknowledgedAtUtc ??= now;
                alert.SnoozedUntilUtc = null;
                alert.UpdatedBy = actor;
                break;
            case AlertStatuses.Snoozed:
                alert.Status = AlertStatuses.Snoozed;
                alert.SnoozedUntilUtc = snoozeUntilUtc;
                alert.UpdatedBy = actor;
                break;
            case AlertStatuses.Open:
                alert.Status = AlertStatuses.Open;
                alert.SnoozedUntilUtc = null;
                alert.UpdatedBy = actor;
                break;
            default:
                Close(alert, status, actor);
                break;
        }
        Audit(alert, before, actor);
        await db.SaveChangesAsync(cancellationToken);
        return AlertChangeResult.Changed(alert);
    }

    /// <summary>Dismisses the store's active alerts among <paramref name="ids"/>; returns those dismissed (others' ids are skipped).</summary>
    public async Task<IReadOnlyList<Alert>> DismissAsync(IReadOnlyCollection<long> ids, string actor, CancellationToken cancellationToken)
    {
        var alerts = await db.Alerts.Where(a => ids.Contains(a.Id) && a.ActiveKey != null).OrderBy(a => a.Id).ToListAsync(cancellationToken);
        foreach (var alert in alerts)
        {
            var before = alert.Status;
            Close(alert, AlertStatuses.Dismissed, actor);
            Audit(alert, before, actor);
        }
        if (alerts.Count > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        return alerts;
    }

    /// <summary>
    /// Opens again every snoozed alert whose snooze ran out, of every store (the minute sweep; also done when its
    /// condition is raised again); returns how many.
    /// </summary>
    public async Task<int> ReopenExpiredSnoozesAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var due = await db.Alerts.IgnoreQueryFilters()
            .Where(a => a.Status == AlertStatuses.Snoozed && a.SnoozedUntilUtc <= now)
            .ToListAsync(cancellationToken);
        foreach (var alert in due)
        {
            alert.Status = AlertStatuses.Open;
            alert.SnoozedUntilUtc = null;
            alert.UpdatedBy = null;
        }
        if (due.Count > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        return due.Count;
    }

    /// <summary>The longest snooze: beyond it, dismissing says more honestly what is meant.</summary>
    public const int MaxSnoozeDays = 90;

    /// <summary>The statuses a person may set.</summary>
    public static IReadOnlyList<string> PersonStatuses { get; } =
        [AlertStatuses.Open, AlertStatuses.Acknowledged, AlertStatuses.Snoozed, AlertStatuses.Resolved, AlertStatuses.Dismissed];

    private static AlertChangeResult? ValidateSnooze(DateTime? until, DateTime now) => until switch
    {
        null => AlertChangeResult.Invalid("invalid_snooze", "Snoozing needs snoozeUntil, a date and time in the future.", new { snoozeUntil = (DateTime?)null }),
        { } u when u <= now => AlertChangeResult.Invalid("invalid_snooze", "snoozeUntil must be in the future.", new { snoozeUntil = u }),
        { } u when u > now.AddDays(MaxSnoozeDays) => AlertChangeResult.Invalid("invalid_snooze",
            $"An alert can be snoozed for at most {MaxSnoozeDays} days; dismiss it instead.", new { snoozeUntil = u }),
        _ => null,
    };

    private void Audit(Alert alert, string before, string actor)
    {
        var what = alert.Status == AlertStatuses.Snoozed
            ? $"snoozed until {alert.SnoozedUntilUtc!.Value.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC"
            : alert.Status;
        audit.Record(new AuditChange($"alert.{alert.Status}", "alert", alert.Id.ToString(CultureInfo.InvariantCulture),
            $"Alert \"{alert.Title}\" {what}.", new { status = before }, new { status = alert.Status, snoozedUntilUtc = alert.SnoozedUntilUtc }), actor);
    }

    /// <summary>Reads an alert's stored evidence.</summary>
    public static AlertEvidence ReadEvidence(Alert alert) =>
        JsonSerializer.Deserialize<AlertEvidence>(alert.EvidenceJson, EvidenceJson) ?? AlertEvidence.None;

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..(max - 1)] + "…";
}

/// <summary>The answer to a person's change of an alert: the alert, or why not (HTTP status, error code, message).</summary>
public sealed record AlertChangeResult(int Status, Alert? Alert, string? Code = null, string? Message = null, object? Details = null)
{
    public bool Ok => Status == StatusCodes.Status200OK;

    public static AlertChangeResult Changed(Alert alert) => new(StatusCodes.Status200OK, alert);

    public static AlertChangeResult NotFound() => new(StatusCodes.Status404NotFound, null, "not_found", "Alert was not found.");

    public static AlertChangeResult Invalid(string code, string message, object details) =>
        new(StatusCodes.Status422UnprocessableEntity, null, code, message, details);

    public static AlertChangeResult Conflict(string code, string message, Alert alert) => new(StatusCodes.Status409Conflict, alert, code, message);
}
