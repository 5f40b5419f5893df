namespace AdIntel.Web.Domain;

/// <summary>
/// Where a store's alerts are sent: e-mail (its recipients), a Slack incoming webhook or a Discord webhook, each with its
/// own minimum severity. A webhook address is a secret (whoever has it can post to the channel): it is stored encrypted
/// and only a hint of it is ever shown. One per store and kind.
/// </summary>
public sealed class NotificationChannel : IStoreOwned
{
    public long Id { get; set; }
    public long StoreId { get; set; }
    /// <summary>See <see cref="NotificationChannelKinds"/>.</summary>
    public required string Kind { get; set; }
    public bool Enabled { get; set; } = true;
    /// <summary>Alerts below this severity are not sent here (see <see cref="AlertSeverities"/>).</summary>
    public string MinimumSeverity { get; set; } = AlertSeverities.High;
    /// <summary>Slack and Discord: the webhook address, encrypted with ASP.NET Data Protection.</summary>
    public string? EncryptedWebhookUrl { get; set; }
    /// <summary>What the page shows of the webhook address: its host and last characters.</summary>
    public string? WebhookHint { get; set; }
    /// <summary>E-mail: the recipients' addresses, comma separated.</summary>
    public string? Recipients { get; set; }
    /// <summary>Why the app turned the channel off (the provider revoked the webhook); null while it works.</summary>
    public string? DisabledReason { get; set; }
    public DateTime ConnectedAtUtc { get; set; }
    public DateTime UpdatedAtUtc { get; set; }
}

public static class NotificationChannelKinds
{
    public const string Email = "email";
    public const string Slack = "slack";
    public const string Discord = "discord";

    public static IReadOnlyList<string> All { get; } = [Email, Slack, Discord];

    public static string Label(string kind) => kind switch
    {
        Email => "E-mail",
        Slack => "Slack",
        Discord => "Discord",
        _ => kind,
    };
}

/// <summary>A store's quiet hours and daily digest. One per store.</summary>
public sealed class NotificationPreferences : IStoreOwned
{
    public long Id { get; set; }
    public long StoreId { get; set; }
    public bool QuietHoursEnabled { get; set; }
    /// <summary>Local time (store time zone) the quiet hours start; they may run past midnight.</summary>
    public TimeOnly QuietHoursStart { get; set; } = new(22, 0);
    public TimeOnly QuietHoursEnd { get; set; } = new(7, 0);
    public bool DigestEnabled { get; set; }
    /// <summary>Local hour (0–23) the daily digest is sent.</summary>
    public int DigestHour { get; set; } = 8;
    /// <summary>The store day whose digest was last sent, so each day gets one.</summary>
    public DateOnly? LastDigestDate { get; set; }
    public DateTime UpdatedAtUtc { get; set; }
}

/// <summary>
/// One message to one channel: an alert, the daily digest or a test. Written when the alert is raised (or the digest is
/// due), claimed by the job that sends it, and kept as the delivery log.
/// </summary>
public sealed class NotificationDelivery : IStoreOwned
{
    public long Id { get; set; }
    public long StoreId { get; set; }
    public long ChannelId { get; set; }
    /// <summary>The channel's kind, kept so the log reads the same after a channel is removed.</summary>
    public required string ChannelKind { get; set; }
    /// <summary>alert, digest or test (see <see cref="NotificationDeliveryKinds"/>).</summary>
    public required string Kind { get; set; }
    public long? AlertId { get; set; }
    /// <summary>The digest's window (UTC): the alerts raised from its start to its end.</summary>
    public DateTime? PeriodStartUtc { get; set; }
    public DateTime? PeriodEndUtc { get; set; }
    /// <summary>See <see cref="NotificationDeliveryStatuses"/>.</summary>
    public string Status { get; set; } = NotificationDeliveryStatuses.Queued;
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    /// <summary>Not sent before this (quiet hours, a provider's Retry-After, back-off).</summary>
    public DateTime NextAttemptAtUtc { get; set; }
    /// <summary>While sending: the claim lapses then (a sender that died), and another may take it.</summary>
    public DateTime? ClaimedUntilUtc { get; set; }
    public DateTime? SentAtUtc { get; set; }
    public DateTime CreatedAtUtc { get; set; }
}

public static class NotificationDeliveryKinds
{
    public const string Alert = "alert";
    public const string Digest = "digest";
    public const string Test = "test";
}

public static class NotificationDeliveryStatuses
{
    public const string Queued = "queued";
    /// <summary>Held for the end of quiet hours.</summary>
    public const string Deferred = "deferred";
    /// <summary>Claimed by a sender right now.</summary>
    public const string Sending = "sending";
    /// <summary>Failed for now; tried again at <see cref="NotificationDelivery.NextAttemptAtUtc"/>.</summary>
    public const string Retrying = "retrying";
    public const string Sent = "sent";
    /// <summary>Given up: the attempts ran out, the provider refused the message, or the channel was turned off.</summary>
    public const string Failed = "failed";

    /// <summary>Waiting to be sent.</summary>
    public static IReadOnlyList<string> Pending { get; } = [Queued, Deferred, Retrying];
}
