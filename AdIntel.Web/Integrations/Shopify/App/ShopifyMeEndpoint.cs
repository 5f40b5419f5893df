using System.Security.Claims;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Api;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Integrations.Shopify.App;

/// <summary><c>GET /api/auth/shopify/me</c>: who is signed in (a session or an API token), in which store, with which role, for which shop.</summary>
public static class ShopifyMeEndpoint
{
    /// <summary>
    /// <paramref name="Kind"/>: account (a local account's session), token (a personal API token; <paramref name="Token"/>
    /// is its name), shopify (a merchant signed in through the shop) or demo (demo mode's shared owner).
    /// </summary>
    public sealed record PersonView(string Kind, string Name, string? Email, string? Token);

    public sealed record StoreView(long Id, string Name, string Currency, string TimeZone);

    /// <summary>The store's Shopify address and its connection's status (not_connected when none).</summary>
    public sealed record ShopView(string Domain, string Connection);

    public sealed record MeView(PersonView Person, StoreView Store, string Role, ShopView Shop);

    public static RouteGroupBuilder MapShopifyMeEndpoint(this RouteGroupBuilder api)
    {
        api.MapGet(ShopifyAppPaths.Me["/api".Length..], MeAsync).RequireAuthorization(Policies.Viewer);
        return api;
    }

    private static async Task<IResult> MeAsync(ClaimsPrincipal user, AdIntelDbContext db, CancellationToken cancellationToken)
    {
        var storeId = db.StoreContext.RequiredStoreId;
        var store = await db.Stores.AsNoTracking().Where(s => s.Id == storeId)
            .Select(s => new { s.Id, s.Name, s.Currency, s.TimeZone, s.ShopDomain }).SingleAsync(cancellationToken);
        var connection = await db.IntegrationConnections.AsNoTracking()
            .Where(c => c.Provider == IntegrationProviders.Shopify).Select(c => c.Status).FirstOrDefaultAsync(cancellationToken);
        return ApiResults.Ok(new MeView(await PersonAsync(user, db, cancellationToken), new StoreView(store.Id, store.Name, store.Currency, store.TimeZone),
            user.GetStoreRole().ToString().ToLowerInvariant(), new ShopView(store.ShopDomain, connection is null or IntegrationStatuses.Disconnected ? "not_connected" : connection)));
    }

    private static async Task<PersonView> PersonAsync(ClaimsPrincipal user, AdIntelDbContext db, CancellationToken cancellationToken)
    {
        var name = user.FindFirstValue(ClaimTypes.Name) ?? "";
        if (user.IsApiToken())
        {
            var email = user.FindFirstValue(AdIntelClaims.ApiTokenPerson);
            return new PersonView("token", email ?? name, email, name);
        }
        if (user.GetUserId() is { } userId)
        {
            var account = await db.Users.AsNoTracking().Where(u => u.Id == userId)
                .Select(u => new { u.Email, u.DisplayName }).SingleAsync(cancellationToken);
            return new PersonView("account", account.DisplayName ?? account.Email ?? name, account.Email, null);
        }
        return user.FindFirstValue(ShopifySessionAuthentication.ShopClaim) is { } shop
            ? new PersonView("shopify", shop, null, null)
            : new PersonView("demo", name, null, null);
    }
}
