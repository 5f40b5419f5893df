using System.Collections.Concurrent;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Integrations.Shopify.Sync;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Integrations.Shopify;

/// <summary>The connection cannot call Shopify any more (refresh refused, token unreadable): the merchant must connect again.</summary>
public sealed class ShopifyReconnectRequiredException(string message) : Exception(message);

/// <summary>
/// The access token of a store's Shopify connection, decrypted only for the call that needs it. An expiring offline
/// token close to its end (or refused with 401) is refreshed with <see cref="ShopifyOAuthClient.RefreshAsync"/>; the
/// rotated pair is stored encrypted at once, because the old refresh token is spent the moment Shopify answers.
/// Refreshes of one connection are serialised in this process, and the connection is read again under the lock so a
/// token another caller just rotated is used rather than refreshed twice.
/// </summary>
public sealed class ShopifyAccessTokens(AdIntelDbContext db, IntegrationTokenProtector protector, ShopifyOAuthClient oauth, TimeProvider time,
    IOptions<ShopifySyncOptions> options, ILogger<ShopifyAccessTokens> logger)
{
    private static readonly ConcurrentDictionary<long, SemaphoreSlim> RefreshLocks = new();

    /// <summary>A session for the current store's Shopify connection, refreshing its token first when it is about to expire.</summary>
    public async Task<ShopifyAdminSession> GetAsync(CancellationToken cancellationToken)
    {
        var connection = await LoadAsync(cancellationToken);
        var expires = connection.AccessTokenExpiresAtUtc;
        if (expires is not null && expires.Value <= time.GetUtcNow().UtcDateTime + options.Value.RefreshAhead)
        {
            return await RefreshAsync(connection.AccessTokenExpiresAtUtc, cancellationToken);
        }
        return Session(connection);
    }

    /// <summary>
    /// Refreshes the token unless someone else already did since <paramref name="seenExpiry"/> (the expiry of the token
    /// the caller found wanting); pass null after a 401 to refresh whatever is stored.
    /// </summary>
    public async Task<ShopifyAdminSession> RefreshAsync(DateTime? seenExpiry, CancellationToken cancellationToken)
    {
        var storeId = db.StoreContext.RequiredStoreId;
        var gate = RefreshLocks.GetOrAdd(storeId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            var connection = await LoadAsync(cancellationToken, tracked: true);
            var soon = time.GetUtcNow().UtcDateTime + options.Value.RefreshAhead;
            if (seenExpiry is not null && connection.AccessTokenExpiresAtUtc != seenExpiry && connection.AccessTokenExpiresAtUtc > soon)
            {
                return Session(connection);
            }
            var refreshToken = protector.Unprotect(connection.EncryptedRefreshToken)
                ?? throw new ShopifyReconnectRequiredException("The Shopify connection has no usable refresh token; connect the shop again.");
            ShopifyTokenSet tokens;
            try
            {
                tokens = await oauth.RefreshAsync(connection.ExternalAccountId, refreshToken, cancellationToken);
            }
            catch (ShopifyOAuthException e) when (e.Status is 400 or 401)
            {
                throw new ShopifyReconnectRequiredException($"Shopify refused to refresh the access token ({e.Error}); connect the shop again.");
            }
            var now = time.GetUtcNow().UtcDateTime;
            connection.EncryptedAccessToken = protector.Protect(tokens.AccessToken);
            connection.AccessTokenExpiresAtUtc = tokens.ExpiresAt?.UtcDateTime;
            if (tokens.RefreshToken is not null)
            {
                connection.EncryptedRefreshToken = protector.Protect(tokens.RefreshToken);
                connection.RefreshTokenExpiresAtUtc = tokens.RefreshTokenExpiresAt?.UtcDateTime;
            }
            if (!string.IsNullOrEmpty(tokens.Scope))
            {
                connection.Scopes = tokens.Scope;
            }
            connection.UpdatedAtUtc = now;
            // Saved on its own, never inside a sync batch's transaction: a rolled-back batch must not lose the rotated pair.
            await db.SaveChangesAsync(CancellationToken.None);
            logger.LogInformation("Refreshed the Shopify access token of store {StoreId}; it expires at {Expires:o}", storeId, connection.AccessTokenExpiresAtUtc);
            return new ShopifyAdminSession(connection.ExternalAccountId, tokens.AccessToken);
        }
        finally
        {
            gate.Release();
        }
    }

    private ShopifyAdminSession Session(IntegrationConnection connection)
    {
        var token = protector.Unprotect(connection.EncryptedAccessToken)
            ?? throw new ShopifyReconnectRequiredException("The Shopify access token cannot be read (encryption keys changed); connect the shop again.");
        return new ShopifyAdminSession(connection.ExternalAccountId, token);
    }

    private async Task<IntegrationConnection> LoadAsync(CancellationToken cancellationToken, bool tracked = false)
    {
        var query = tracked ? db.IntegrationConnections.AsTracking() : db.IntegrationConnections.AsNoTracking();
        return await query.SingleOrDefaultAsync(c => c.Provider == IntegrationProviders.Shopify, cancellationToken)
            ?? throw new ShopifyReconnectRequiredException("This store has no Shopify connection.");
    }
}
