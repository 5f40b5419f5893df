using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Api;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Infrastructure.Options;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Integrations.Shopify.App;

/// <summary>
/// Installing the Shopify app and signing in through it (docs/integrations.md#oauth-and-install): the install entry / app URL, Shopify's
/// callback, and an owner's disconnect. Every refusal is a page saying what happened (400/401, 403, 409, 502 when
/// Shopify cannot be reached) and stores nothing.
/// </summary>
public static class ShopifyInstallEndpoints
{
    public static IEndpointRouteBuilder MapShopifyInstallEndpoints(this IEndpointRouteBuilder app)
    {
        // The API paths are aliases of the same handlers (the original product's routes): an install started at
        // ApiInstall comes back to ApiCallback, so either pair can be the app's URL and redirection URL.
        app.MapGet(ShopifyAppPaths.Install, InstallAsync).AllowAnonymous().ExcludeFromDescription();
        app.MapGet(ShopifyAppPaths.ApiInstall, InstallAsync).AllowAnonymous();
        app.MapGet(ShopifyAppPaths.Callback, CallbackAsync).AllowAnonymous().ExcludeFromDescription();
        app.MapGet(ShopifyAppPaths.ApiCallback, CallbackAsync).AllowAnonymous();
        app.MapPost(ShopifyAppPaths.Disconnect, DisconnectAsync)
            .RequireAuthorization(Policies.Owner).ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// The install entry and app URL. Without a shop it asks for one. With Shopify's signed launch parameters it checks
    /// the HMAC and timestamp first. An embedded launch (<c>id_token</c>) is settled at once by token exchange;
    /// otherwise the merchant goes to Shopify's consent screen with a fresh state nonce kept in a cookie.
    /// </summary>
    private static async Task<IResult> InstallAsync(HttpContext context, ShopifyOAuthClient oauth, IOptions<ShopifyOptions> shopify,
        IOptions<AuthOptions> auth, OAuthStateCookie<ShopifyInstallTicket> installState, ShopifyConnections connections, IntegrationSchedules schedules, PublicLinks links,
        TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (NotConfigured(context, shopify.Value) is { } notConfigured)
        {
            return notConfigured;
        }
        var query = Pairs(context.Request.Query);
        var signed = Value(query, "hmac") is not null;
        var shopParameter = Value(query, "shop");
        var api = context.Request.IsApiRequest();
        if (!signed && shopParameter is null)
        {
            return api
                ? ApiResults.BadRequest("Say which shop to install on: ?shop=your-store.myshopify.com.", new { shop = "required" })
                : ShopifyAppPage.AskForShop(null, null);
        }
        if (signed && CheckSignature(query, shopify.Value.ClientSecret!, time) is { } badSignature)
        {
            return badSignature;
        }
        if (!ShopDomain.TryNormalize(shopParameter, out var shop))
        {
            return signed
                ? ShopifyAppPage.Problem(StatusCodes.Status400BadRequest, "Not a Shopify store", "The shop in this link is not a store's .myshopify.com address.")
                : api ? ApiResults.Error(StatusCodes.Status400BadRequest, "invalid_shop",
                    "That is not a store's Shopify address: it ends in .myshopify.com, e.g. your-store.myshopify.com.", new { shop = shopParameter })
                : ShopifyAppPage.AskForShop("That is not a store's Shopify address: it ends in .myshopify.com, e.g. your-store.myshopify.com.", shopParameter);
        }

        var target = await TargetStoreAsync(context, auth.Value, shop);
        if (target.Refusal is { } refusal)
        {
            return refusal;
        }
        try
        {
            await connections.EnsureConnectableAsync(shop, target.StoreId, cancellationToken);
        }
        catch (ShopifyConnectRefusedException refused)
        {
            return ShopifyAppPage.Problem(StatusCodes.Status409Conflict, "This shop cannot be connected here", refused.Message);
        }

        if (Value(query, "id_token") is { } sessionToken)
        {
            return await EmbeddedLaunchAsync(context, sessionToken, shop, target, oauth, shopify.Value, auth.Value, connections, schedules, time,
                loggers.CreateLogger(typeof(ShopifyInstallEndpoints)), cancellationToken);
        }

        var nonce = OAuthStateCookie<ShopifyInstallTicket>.NewNonce();
        installState.Issue(context, new ShopifyInstallTicket(nonce, shop, target.StoreId, target.UserId)
        {
            ReturnUrl = LocalPath(Value(query, "returnUrl")),
        });
        var authorize = oauth.AuthorizeUrl(shop, links.Absolute(context.Request, api ? ShopifyAppPaths.ApiCallback : ShopifyAppPaths.Callback), nonce);
        return Value(query, "continue") == "page" ? ShopifyAppPage.ContinueTo(authorize) : Results.Redirect(authorize.ToString());
    }

    /// <summary>
    /// Shopify's redirect back: the state cookie must be there and match (constant time), the HMAC valid, the timestamp
    /// recent, the shop the one the install was started for; then the code is exchanged and the connection stored.
    /// </summary>
    private static async Task<IResult> CallbackAsync(HttpContext context, ShopifyOAuthClient oauth, IOptions<ShopifyOptions> shopify,
        IOptions<AuthOptions> auth, OAuthStateCookie<ShopifyInstallTicket> installState, ShopifyConnections connections, IntegrationSchedules schedules,
        TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (NotConfigured(context, shopify.Value) is { } notConfigured)
        {
            return notConfigured;
        }
        var logger = loggers.CreateLogger(typeof(ShopifyInstallEndpoints));
        var query = Pairs(context.Request.Query);
        var ticket = installState.Take(context);
        if (CheckSignature(query, shopify.Value.ClientSecret!, time) is { } badSignature)
        {
            logger.LogWarning("Shopify callback refused: bad or stale signature");
            return badSignature;
        }
        if (ticket is null)
        {
            return ShopifyAppPage.Problem(StatusCodes.Status400BadRequest, "The connection was not started here",
                "This browser has no Shopify connection in progress (it took longer than 10 minutes, cookies are blocked, or it was started in another browser). Start again.");
        }
        if (!FixedTimeEquals(Value(query, "state"), ticket.Nonce))
        {
            logger.LogWarning("Shopify callback refused: the state does not match this browser's install");
            return ShopifyAppPage.Problem(StatusCodes.Status400BadRequest, "The connection was not started here",
                "Shopify's answer does not belong to the connection started in this browser. Start again.");
        }
        if (!ShopDomain.TryNormalize(Value(query, "shop"), out var shop) || shop != ticket.Shop)
        {
            return ShopifyAppPage.Problem(StatusCodes.Status400BadRequest, "Not the shop you asked for",
                "Shopify answered for another shop than the one the connection was started for. Start again.");
        }
        if (Value(query, "code") is not { Length: > 0 } code)
        {
            return ShopifyAppPage.Problem(StatusCodes.Status400BadRequest, "Shopify did not grant access",
                "Shopify's answer carries no authorization code (the request may have been declined). Start again.");
        }
        if (auth.Value.IsLocal && (context.User.GetUserId() != ticket.UserId || context.User.GetStoreId() != ticket.StoreId))
        {
            return ShopifyAppPage.Problem(StatusCodes.Status403Forbidden, "Signed in as someone else",
                "The connection was started by another account or for another store than the one you are signed in to. Start again.");
        }

        ShopifyTokenSet tokenSet;
        try
        {
            tokenSet = await oauth.ExchangeCodeAsync(shop, code, cancellationToken);
        }
        catch (ShopifyOAuthException refused)
        {
            logger.LogWarning("Shopify refused the authorization code for {Shop}: {Status} {Error}", shop, refused.Status, refused.Error);
            return ShopifyAppPage.Problem(StatusCodes.Status400BadRequest, "Shopify refused the connection",
                $"Shopify did not accept the authorization ({refused.Error}). Start again; if it keeps failing, reinstall the app from the Shopify admin.");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Shopify could not be reached to exchange the authorization code for {Shop}", shop);
            return ShopifyAppPage.Problem(StatusCodes.Status502BadGateway, "Shopify did not answer",
                "AdIntel could not reach Shopify to finish the connection. Try again in a minute.");
        }
        return await FinishAsync(context, shop, tokenSet, ticket.StoreId, auth.Value, connections, schedules, ticket.ReturnUrl, logger, cancellationToken);
    }

    /// <summary>Embedded launch: the session token proves who opened the app for which shop; trade it only when no usable token is held.</summary>
    private static async Task<IResult> EmbeddedLaunchAsync(HttpContext context, string sessionToken, string shop, Target target,
        ShopifyOAuthClient oauth, ShopifyOptions shopify, AuthOptions auth, ShopifyConnections connections, IntegrationSchedules schedules,
        TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        var session = ShopifySessionToken.Validate(sessionToken, shopify.ClientId!, shopify.ClientSecret!, time.GetUtcNow(), out var problem);
        if (session is null || session.Shop != shop)
        {
            logger.LogWarning("Embedded launch refused: session token {Problem}", problem ?? "is for another shop");
            return ShopifyAppPage.Problem(StatusCodes.Status401Unauthorized, "Open AdIntel from your Shopify admin",
                "The session Shopify gave this page is not valid (expired or for another shop or app). Reload the app from the Shopify admin.");
        }
        if (await connections.FindUsableConnectionAsync(shop, target.StoreId, cancellationToken) is { } connectedStoreId)
        {
            return await SignInAndGoAsync(context, connectedStoreId, shop, auth, returnUrl: null);
        }
        ShopifyTokenSet tokenSet;
        try
        {
            tokenSet = await oauth.ExchangeSessionTokenAsync(sessionToken, cancellationToken);
        }
        catch (ShopifyOAuthException refused)
        {
            logger.LogWarning("Shopify refused the session-token exchange for {Shop}: {Status} {Error}", shop, refused.Status, refused.Error);
            return ShopifyAppPage.Problem(StatusCodes.Status401Unauthorized, "Shopify refused the connection",
                $"Shopify did not accept this session ({refused.Error}). Reload the app from the Shopify admin.");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Shopify could not be reached for the session-token exchange of {Shop}", shop);
            return ShopifyAppPage.Problem(StatusCodes.Status502BadGateway, "Shopify did not answer",
                "AdIntel could not reach Shopify to finish the connection. Reload the app in a minute.");
        }
        return await FinishAsync(context, shop, tokenSet, target.StoreId, auth, connections, schedules, returnUrl: null, logger, cancellationToken);
    }

    /// <summary>Stores the connection, starts the first sync (and the store's recurring one), and signs the merchant in (Shopify mode).</summary>
    private static async Task<IResult> FinishAsync(HttpContext context, string shop, ShopifyTokenSet tokenSet, long? targetStoreId,
        AuthOptions auth, ShopifyConnections connections, IntegrationSchedules schedules, string? returnUrl, ILogger logger, CancellationToken cancellationToken)
    {
        long storeId;
        try
        {
            storeId = await connections.ConnectAsync(shop, tokenSet, targetStoreId, auth.IsShopify ? shop : context.User.GetActor(), cancellationToken);
        }
        catch (ShopifyConnectRefusedException refused)
        {
            return ShopifyAppPage.Problem(StatusCodes.Status409Conflict, "This shop cannot be connected here", refused.Message);
        }
        catch (DbUpdateException e) when (ShopifyConnections.IsUniqueViolation(e))
        {
            // Two installs of the same new shop at once: the unique shop domain let one through.
            logger.LogWarning(e, "Shopify connection of {Shop} lost a race with another install", shop);
            return ShopifyAppPage.Problem(StatusCodes.Status409Conflict, "The shop was being connected twice",
                "Another connection of this shop finished at the same moment. Open the app again.");
        }
        logger.LogInformation("Shopify shop {Shop} connected to store {StoreId}", shop, storeId);
        schedules.Ensure(storeId);
        schedules.SyncNow(storeId, IntegrationProviders.Shopify);
        return await SignInAndGoAsync(context, storeId, shop, auth, returnUrl);
    }

    private static async Task<IResult> SignInAndGoAsync(HttpContext context, long storeId, string shop, AuthOptions auth, string? returnUrl)
    {
        if (auth.IsShopify)
        {
            await ShopifySessionAuthentication.SignInAsync(context, storeId, shop);
        }
        return Results.Redirect(returnUrl ?? "/");
    }

    /// <summary>An owner's "Disconnect" (form post with the antiforgery token): the tokens are deleted, the data stays.</summary>
    private static async Task<IResult> DisconnectAsync(HttpContext context, IAntiforgery antiforgery, ShopifyConnections connections,
        CancellationToken cancellationToken)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return ShopifyAppPage.Problem(StatusCodes.Status400BadRequest, "The form has expired", "Reload the page and try again.");
        }
        var storeId = context.User.GetStoreId()!.Value;
        await connections.DisconnectAsync(storeId, context.User.GetActor(), "by the owner", cancellationToken);
        var form = await context.Request.ReadFormAsync(cancellationToken);
        return Results.Redirect(LocalPath(form["returnUrl"]) ?? "/");
    }

    private sealed record Target(long? StoreId, long? UserId, IResult? Refusal);

    /// <summary>
    /// Which store an install is for: none yet in Shopify mode (the shop decides); the signed-in owner's store in Local
    /// mode; never in Demo mode, where everyone is the demo store's owner.
    /// </summary>
    private static async Task<Target> TargetStoreAsync(HttpContext context, AuthOptions auth, string shop)
    {
        if (auth.IsShopify)
        {
            return new Target(null, null, null);
        }
        if (!auth.IsLocal)
        {
            return new Target(null, null, ShopifyAppPage.Problem(StatusCodes.Status400BadRequest, "Not available in demo mode",
                "In demo mode everyone shares the demo store, which cannot be connected to a shop. Run AdIntel with Auth:Mode=Local or Auth:Mode=Shopify to connect your store."));
        }
        if (context.User.GetUserId() is not { } userId || context.User.GetStoreId() is not { } storeId)
        {
            // Back here after signing in; Shopify's signed parameters would be stale by then, so only the shop is kept.
            await context.ChallengeAsync(new AuthenticationProperties
            {
                RedirectUri = $"{ShopifyAppPaths.Install}?shop={Uri.EscapeDataString(shop)}",
            });
            return new Target(null, null, Results.Empty);
        }
        if (context.User.GetStoreRole() != StoreRole.Owner)
        {
            return new Target(null, null, ShopifyAppPage.Problem(StatusCodes.Status403Forbidden, "Only the owner can connect Shopify",
                "Ask the store's owner to connect Shopify in Settings → Integrations."));
        }
        return new Target(storeId, userId, null);
    }

    /// <summary>
    /// The launch/callback HMAC with Shopify's 90 s window: a bad signature is 401; a genuine but old link is 400 (the
    /// merchant only needs to start again).
    /// </summary>
    private static IResult? CheckSignature(List<KeyValuePair<string, string>> query, string secret, TimeProvider time)
    {
        if (ShopifySignatures.IsValidQuery(query, secret, time.GetUtcNow()))
        {
            return null;
        }
        var signedAt = long.TryParse(Value(query, "timestamp"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            && seconds < DateTimeOffset.MaxValue.ToUnixTimeSeconds() ? DateTimeOffset.FromUnixTimeSeconds(seconds) : (DateTimeOffset?)null;
        return signedAt is { } at && ShopifySignatures.IsValidQuery(query, secret, at)
            ? ShopifyAppPage.Problem(StatusCodes.Status400BadRequest, "This link from Shopify has expired",
                "Shopify's links are valid for 90 seconds. Start the connection again (or reopen the app from the Shopify admin).")
            : ShopifyAppPage.Problem(StatusCodes.Status401Unauthorized, "This link was not signed by Shopify",
                "The request's signature (hmac) is missing or wrong, so AdIntel cannot trust it. Open the app from the Shopify admin.");
    }

    /// <summary>Without app credentials there is no Shopify app here at all: 404 with a page saying so (a server error would be wrong).</summary>
    private static IResult? NotConfigured(HttpContext context, ShopifyOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.ClientId) && !string.IsNullOrWhiteSpace(options.ClientSecret))
        {
            return null;
        }
        const string message = "This AdIntel installation has no Shopify app credentials yet (Shopify:ClientId and Shopify:ClientSecret).";
        return context.Request.IsApiRequest()
            ? ApiResults.Error(StatusCodes.Status404NotFound, "shopify_not_configured", message)
            : ShopifyAppPage.Problem(StatusCodes.Status404NotFound, "Shopify is not set up", message);
    }

    private static List<KeyValuePair<string, string>> Pairs(IQueryCollection query) =>
        [.. query.Select(p => KeyValuePair.Create(p.Key, p.Value.ToString()))];

    private static string? Value(List<KeyValuePair<string, string>> query, string key) =>
        query.FirstOrDefault(p => p.Key == key).Value is { Length: > 0 } value ? value : null;

    private static bool FixedTimeEquals(string? given, string expected) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));

    /// <summary>Only a path on this site (never <c>//host</c> or a scheme), so a crafted link cannot send the merchant elsewhere.</summary>
    private static string? LocalPath(string? url) =>
        url is { Length: > 1 } && url[0] == '/' && url[1] is not ('/' or '\\') ? url : url == "/" ? url : null;
}
