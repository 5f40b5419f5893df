using System.Globalization;
using AdIntel.Web.Alerts;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Integrations;

/// <summary>
/// The alerts of a connection, raised and resolved after each sync run (<see cref="Sync.IntegrationSyncRunner"/>): a failed
/// sync (one alert per connection and sync, resolved by its next success), and a token that was revoked (the connection
/// needs connecting again) or stops working within <see cref="ExpiryWarningDays"/> days with nothing to renew it.
/// </summary>
public sealed class ConnectionAlerts(AdIntelDbContext db, AlertWriter alerts, TimeProvider time)
{
    public const int ExpiryWarningDays = 7;

    public static string SyncKey(long connectionId, string sync) => FormattableString.Invariant($"sync:{connectionId}:{sync}");

    public static string TokenKey(long connectionId) => FormattableString.Invariant($"token:{connectionId}");

    public async Task SyncFailedAsync(long connectionId, string sync, string error, CancellationToken cancellationToken)
    {
        var connection = await db.IntegrationConnections.AsNoTracking().SingleAsync(c => c.Id == connectionId, cancellationToken);
        await alerts.RaiseAsync(new AlertSignal
        {
            Source = AlertSources.Sync,
            Type = "sync_failed",
            ConditionKey = SyncKey(connectionId, sync),
            Severity = AlertSeverities.High,
            Title = $"{Provider(connection)} sync failed",
            Message = $"The {sync} sync of {Name(connection)} failed: {error}",
            NextStep = connection.Status == IntegrationStatuses.Error
                ? "Connect the account again in Settings → Integrations."
                : "It is tried again at the next scheduled sync; use \"Sync now\" in Settings → Integrations once the cause is fixed.",
            EntityType = "integration",
            EntityId = connection.Id,
            EntityName = Name(connection),
        }, cancellationToken);
        await CheckTokenAsync(connection, cancellationToken);
    }

    public async Task SyncSucceededAsync(long connectionId, string sync, CancellationToken cancellationToken)
    {
        await alerts.ResolveAsync(SyncKey(connectionId, sync), cancellationToken);
        var connection = await db.IntegrationConnections.AsNoTracking().SingleAsync(c => c.Id == connectionId, cancellationToken);
        await CheckTokenAsync(connection, cancellationToken);
    }

    /// <summary>Raises the token alert of a revoked or soon expiring token, or resolves it.</summary>
    private async Task CheckTokenAsync(IntegrationConnection connection, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        // A refresh token renews the access token; without one the access token's own expiry is the end.
        var usableUntil = connection.EncryptedRefreshToken is not null ? connection.RefreshTokenExpiresAtUtc : connection.AccessTokenExpiresAtUtc;
        AlertSignal? signal = null;
        if (connection.Status == IntegrationStatuses.Error)
        {
            signal = Token(connection, "token_revoked", AlertSeverities.Critical, $"{Provider(connection)} access was revoked",
                $"{Name(connection)} no longer accepts AdIntel's access: syncing has stopped. {connection.LastError}".Trim(),
                new AlertEvidence([]));
        }
        else if (usableUntil is { } until && until <= now.AddDays(ExpiryWarningDays))
        {
            var days = Math.Max(0, (decimal)Math.Round((until - now).TotalDays, 1));
            signal = Token(connection, "token_expiring", until <= now ? AlertSeverities.Critical : AlertSeverities.High,
                $"{Provider(connection)} access expires soon",
                $"AdIntel's access to {Name(connection)} expires on {until.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC; syncing stops then.",
                new AlertEvidence([new AlertFigure("Days left", days, "days")]));
        }
        if (signal is null)
        {
            await alerts.ResolveAsync(TokenKey(connection.Id), cancellationToken);
        }
        else
        {
            await alerts.RaiseAsync(signal, cancellationToken);
        }
    }

    private static AlertSignal Token(IntegrationConnection connection, string type, string severity, string title, string message, AlertEvidence evidence) => new()
    {
        Source = AlertSources.Token,
        Type = type,
        ConditionKey = TokenKey(connection.Id),
        Severity = severity,
        Title = title,
        Message = message,
        NextStep = "Connect the account again in Settings → Integrations.",
        EntityType = "integration",
        EntityId = connection.Id,
        EntityName = Name(connection),
        Evidence = evidence,
    };

    private static string Provider(IntegrationConnection connection) => connection.Provider == IntegrationProviders.Meta ? "Meta" : "Shopify";

    private static string Name(IntegrationConnection connection) =>
        connection.DisplayName ?? (connection.ExternalAccountId.Length > 0 ? connection.ExternalAccountId : Provider(connection));
}
