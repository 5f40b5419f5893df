namespace AdIntel.Web.Domain;

/// <summary>
/// Something the merchant should know now: raised by a rule's notify action, an anomaly, a failed sync, an expiring
/// token, a tracking problem or a warning of the brain. Written only through <c>Alerts.AlertWriter</c>.
/// </summary>
public sealed class Alert : IStoreOwned
{
    public long Id { get; set; }
    public long StoreId { get; set; }
    /// <summary>Who raised it (see <see cref="AlertSources"/>).</summary>
    public string Source { get; set; } = AlertSources.Rule;
    /// <summary>What kind of condition, within the source: spend_spike, sync_failed, token_expiring, …</summary>
    public required string Type { get; set; }
    /// <summary>
    /// The condition's identity (for example "anomaly:spend_spike:ad_set:42"): a repeat of the same condition updates
    /// this alert instead of opening another.
    /// </summary>
    public required string ConditionKey { get; set; }
    /// <summary>
    /// <see cref="ConditionKey"/> while the alert is active (open, acknowledged or snoozed), null once it is resolved or
    /// dismissed; unique per store, so a condition has at most one active alert.
    /// </summary>
    public string? ActiveKey { get; set; }
    /// <summary>low, medium, high or critical (see <see cref="AlertSeverities"/>).</summary>
    public string Severity { get; set; } = AlertSeverities.Medium;
    /// <summary>campaign, ad_set, ad, tracking, integration or system.</summary>
    public string EntityType { get; set; } = "system";
    public long? EntityId { get; set; }
    public string? EntityName { get; set; }
    public required string Title { get; set; }
    public required string Message { get; set; }
    /// <summary>The suggested next step.</summary>
    public string? Recommendation { get; set; }
    /// <summary>The figures behind it and the window they come from (<c>Alerts.AlertEvidence</c> as JSON).</summary>
    public string EvidenceJson { get; set; } = "{}";
    /// <summary>See <see cref="AlertStatuses"/>.</summary>
    public string Status { get; set; } = AlertStatuses.Open;
    public DateTime CreatedAtUtc { get; set; }
    /// <summary>When the condition was last seen (a repeat moves it).</summary>
    public DateTime LastSeenAtUtc { get; set; }
    /// <summary>How many times the condition was raised while this alert was active.</summary>
    public int Occurrences { get; set; } = 1;
    public DateTime? AcknowledgedAtUtc { get; set; }
    public DateTime? SnoozedUntilUtc { get; set; }
    public DateTime? ResolvedAtUtc { get; set; }
    /// <summary>The person who last changed its status; null for the system.</summary>
    public string? UpdatedBy { get; set; }
}

public static class AlertStatuses
{
    public const string Open = "open";
    public const string Acknowledged = "acknowledged";
    /// <summary>Hidden until <see cref="Alert.SnoozedUntilUtc"/>; then open again if the condition still holds.</summary>
    public const string Snoozed = "snoozed";
    /// <summary>The condition cleared (or a person marked it resolved).</summary>
    public const string Resolved = "resolved";
    /// <summary>A person dismissed it, or the notification that raised it was undone.</summary>
    public const string Dismissed = "dismissed";

    public static IReadOnlyList<string> All { get; } = [Open, Acknowledged, Snoozed, Resolved, Dismissed];

    public static bool IsActive(string status) => status is Open or Acknowledged or Snoozed;
}

public static class AlertSeverities
{
    public const string Low = "low";
    public const string Medium = "medium";
    public const string High = "high";
    public const string Critical = "critical";

    /// <summary>Least to most severe.</summary>
    public static IReadOnlyList<string> All { get; } = [Low, Medium, High, Critical];

    /// <summary>0 for low … 3 for critical; -1 for anything else.</summary>
    public static int Rank(string severity) => ((IList<string>)All).IndexOf(severity);
}

public static class AlertSources
{
    public const string Rule = "rule";
    public const string Anomaly = "anomaly";
    public const string Sync = "sync";
    public const string Token = "token";
    public const string Tracking = "tracking";
    public const string Notification = "notification";
    public const string Planner = "planner";
    public const string Recommendation = "recommendation";

    public static IReadOnlyList<string> All { get; } = [Rule, Anomaly, Sync, Token, Tracking, Notification, Planner, Recommendation];
}
