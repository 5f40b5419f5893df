using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Audit;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Integrations.Shopify.App;

/// <summary>Why a shop cannot be connected to the store asked for; shown to the merchant as it is.</summary>
public sealed class ShopifyConnectRefusedException(string message) : Exception(message);

/// <summary>
/// Stores a store's Shopify connection: which store a shop belongs to, its tokens (encrypted with
/// <see cref="IntegrationTokenProtector"/>; the plain token never reaches the database or a log), and disconnection.
/// Each call works in a scope of its own, because the request's scope may act for another store or none yet.
/// <para>
/// Which store a shop goes to:
/// <list type="bullet">
/// <item>Auth:Mode=Shopify (<c>targetStoreId</c> null): the store whose ShopDomain is the shop, created with its
/// settings on first install.</item>
/// <item>Local mode (<c>targetStoreId</c> = the owner's current store): the shop is accepted when that store was
/// connected to this very shop before, or has never had a Shopify connection and no other store is that shop (the
/// store then takes the shop's domain). A store once connected to shop A never receives shop B's orders: that would
/// mix two shops' numbers. The demo store is never connected.</item>
/// </list>
/// </para>
/// </summary>
public sealed class ShopifyConnections(IServiceScopeFactory scopes, IntegrationTokenProtector tokens, TimeProvider time)
{
    /// <summary>Checks, before the merchant is sent to Shopify, that the shop could be connected where asked.</summary>
    public async Task EnsureConnectableAsync(string shop, long? targetStoreId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AdIntelDbContext>();
        await ResolveStoreAsync(db, shop, targetStoreId, cancellationToken);
    }

    /// <summary>
    /// The store holding a connected, still usable token for the shop (and, in Local mode, being
    /// <paramref name="targetStoreId"/>): an embedded launch then needs no new token.
    /// </summary>
    public async Task<long?> FindUsableConnectionAsync(string shop, long? targetStoreId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AdIntelDbContext>();
        var now = time.GetUtcNow().UtcDateTime;
        var connections = db.IntegrationConnections.IgnoreQueryFilters().Where(c =>
            c.Provider == IntegrationProviders.Shopify && c.ExternalAccountId == shop && c.Status == IntegrationStatuses.Connected
            && c.EncryptedAccessToken != null
            && (c.RefreshTokenExpiresAtUtc > now || (c.EncryptedRefreshToken == null && (c.AccessTokenExpiresAtUtc == null || c.AccessTokenExpiresAtUtc > now))));
        if (targetStoreId is { } storeId)
        {
            connections = connections.Where(c => c.StoreId == storeId);
        }
        return await connections.Select(c => (long?)c.StoreId).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// Stores the tokens for the shop (creating its store in Shopify mode) and returns the store's id. Refuses with
    /// <see cref="ShopifyConnectRefusedException"/> without writing anything.
    /// </summary>
    public async Task<long> ConnectAsync(string shop, ShopifyTokenSet tokenSet, long? targetStoreId, string actor, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<AdIntelDbContext>();
        var now = time.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        var store = await ResolveStoreAsync(db, shop, targetStoreId, cancellationToken);
        var created = store is null;
        if (store is null)
        {
            store = new Store { Name = shop.Split('.')[0], ShopDomain = shop, CreatedAtUtc = now };
            db.Stores.Add(store);
        }
        else if (store.ShopDomain != shop)
        {
            store.ShopDomain = shop;
        }
        // A unique index on ShopDomain settles two installs of the same new shop at once: the second fails here.
        await db.SaveChangesAsync(cancellationToken);
        services.GetRequiredService<StoreContext>().Set(store.Id);
        if (created)
        {
            db.StoreSettings.Add(new StoreSettings { UpdatedAtUtc = now });
        }

        var connection = await db.IntegrationConnections.SingleOrDefaultAsync(c => c.Provider == IntegrationProviders.Shopify, cancellationToken);
        var reconnect = connection is not null;
        if (connection is null)
        {
            connection = new IntegrationConnection { Provider = IntegrationProviders.Shopify };
            db.IntegrationConnections.Add(connection);
        }
        if (connection.Status != IntegrationStatuses.Connected || connection.ConnectedAtUtc == default)
        {
            connection.ConnectedAtUtc = now;
        }
        connection.Status = IntegrationStatuses.Connected;
        connection.ExternalAccountId = shop;
        connection.DisplayName = shop;
        connection.EncryptedAccessToken = tokens.Protect(tokenSet.AccessToken);
        connection.AccessTokenExpiresAtUtc = tokenSet.ExpiresAt?.UtcDateTime;
        connection.EncryptedRefreshToken = tokenSet.RefreshToken is { } refresh ? tokens.Protect(refresh) : null;
        connection.RefreshTokenExpiresAtUtc = tokenSet.RefreshTokenExpiresAt?.UtcDateTime;
        connection.Scopes = tokenSet.Scope;
        connection.UpdatedAtUtc = now;
        connection.LastError = null;
        connection.LastErrorAtUtc = null;

        services.GetRequiredService<IAuditLog>().Record(new AuditChange(
            reconnect ? "integration.reconnected" : "integration.connected", "integration", IntegrationProviders.Shopify,
            $"Shopify shop {shop} connected{(created ? " (new store)" : "")}; scopes: {tokenSet.Scope}.",
            After: new { shop, scopes = tokenSet.Scope }), actor: actor, storeId: store.Id);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return store.Id;
    }

    /// <summary>
    /// Forgets the tokens and marks the connection disconnected (synced data stays). False when the store has no
    /// connected Shopify connection.
    /// </summary>
    public async Task<bool> DisconnectAsync(long storeId, string actor, string reason, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateStoreScope(storeId);
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<AdIntelDbContext>();
        if (!await MarkDisconnectedAsync(db, services.GetRequiredService<IAuditLog>(), actor, reason, cancellationToken))
        {
            return false;
        }
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// The same, in the caller's unit of work (<paramref name="db"/> acting for the store; the caller saves), e.g. an
    /// app/uninstalled webhook inside its own transaction.
    /// </summary>
    public async Task<bool> MarkDisconnectedAsync(AdIntelDbContext db, IAuditLog audit, string actor, string reason, CancellationToken cancellationToken)
    {
        var connection = await db.IntegrationConnections.SingleOrDefaultAsync(c => c.Provider == IntegrationProviders.Shopify, cancellationToken);
        if (connection is null || connection.Status == IntegrationStatuses.Disconnected)
        {
            return false;
        }
        connection.Status = IntegrationStatuses.Disconnected;
        connection.EncryptedAccessToken = null;
        connection.AccessTokenExpiresAtUtc = null;
        connection.EncryptedRefreshToken = null;
        connection.RefreshTokenExpiresAtUtc = null;
        connection.UpdatedAtUtc = time.GetUtcNow().UtcDateTime;
        audit.Record(new AuditChange("integration.disconnected", "integration", IntegrationProviders.Shopify,
            $"Shopify shop {connection.ExternalAccountId} disconnected ({reason}); its tokens were deleted, synced data is kept."), actor: actor);
        return true;
    }

    /// <summary>
    /// True when a save failed on a unique index (a shop installed twice at once, a webhook delivered twice at once);
    /// any other failure must surface.
    /// </summary>
    public static bool IsUniqueViolation(DbUpdateException e) => e.InnerException switch
    {
        Npgsql.PostgresException postgres => postgres.SqlState == Npgsql.PostgresErrorCodes.UniqueViolation,
        // SQLITE_CONSTRAINT_UNIQUE (2067), or SQLITE_CONSTRAINT_PRIMARYKEY (1555).
        Microsoft.Data.Sqlite.SqliteException sqlite => sqlite.SqliteExtendedErrorCode is 2067 or 1555,
        _ => false,
    };

    /// <summary>The store the shop goes to (null: a new one, Shopify mode), or a refusal.</summary>
    private static async Task<Store?> ResolveStoreAsync(AdIntelDbContext db, string shop, long? targetStoreId, CancellationToken cancellationToken)
    {
        var owner = await db.Stores.SingleOrDefaultAsync(s => s.ShopDomain == shop, cancellationToken);
        if (targetStoreId is not { } storeId)
        {
            if (owner is { IsDemo: true })
            {
                throw new ShopifyConnectRefusedException("This shop's address belongs to the demo store, which cannot be connected to Shopify.");
            }
            if (owner is not null && await ConnectedShopAsync(db, owner.Id, cancellationToken) is { } other && other != shop)
            {
                throw new ShopifyConnectRefusedException($"This AdIntel store is connected to {other}, not {shop}.");
            }
            return owner;
        }

        var target = await db.Stores.SingleOrDefaultAsync(s => s.Id == storeId, cancellationToken)
            ?? throw new ShopifyConnectRefusedException("Your store no longer exists; sign in again.");
        if (target.IsDemo)
        {
            throw new ShopifyConnectRefusedException("The demo store cannot be connected to Shopify. Create a store of your own (or run with Auth:Mode=Shopify) and connect that.");
        }
        if (await ConnectedShopAsync(db, target.Id, cancellationToken) is { } previous)
        {
            return previous == shop
                ? target
                : throw new ShopifyConnectRefusedException(
                    $"This store holds the data of {previous}; it cannot take {shop}'s orders as well. Connect {previous}, or create another store for {shop}.");
        }
        if (owner is not null && owner.Id != target.Id)
        {
            throw new ShopifyConnectRefusedException($"{shop} already belongs to another AdIntel store; ask its owner to invite you there.");
        }
        return target;
    }

    /// <summary>The shop a store's Shopify connection is (or was) for, whatever its status.</summary>
    private static Task<string?> ConnectedShopAsync(AdIntelDbContext db, long storeId, CancellationToken cancellationToken) =>
        db.IntegrationConnections.IgnoreQueryFilters()
            .Where(c => c.StoreId == storeId && c.Provider == IntegrationProviders.Shopify && c.ExternalAccountId != "")
            .Select(c => c.ExternalAccountId).FirstOrDefaultAsync(cancellationToken);
}
