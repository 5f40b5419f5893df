using System.Security.Cryptography;
using System.Text;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Audit;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Integrations.Meta.Connect;

/// <summary>
/// Connecting a store's Meta ad account from Settings → Integrations (owner only): Facebook Login (state nonce in an
/// encrypted, short-lived cookie bound to the store), the code traded for a long-lived token (stored encrypted), then the
/// choice of ad account, which starts the first sync. Disconnect forgets the token.
/// </summary>
public static class MetaConnectEndpoints
{
    public const string Root = "/integrations/meta";
    public const string Connect = Root + "/connect";
    public const string Callback = Root + "/callback";
    public const string ChooseAccount = Root + "/account";
    public const string Disconnect = Root + "/disconnect";
    private const string SettingsPage = "/settings/integrations";
    public const string StateCookie = "adintel.meta_connect";

    public static IEndpointRouteBuilder MapMetaConnect(this IEndpointRouteBuilder app)
    {
        // A link, not a form: the answer redirects to facebook.com, which CSP's form-action 'self' would refuse after a form post.
        // Starting the flow changes nothing but this browser's nonce cookie.
        app.MapGet(Connect, ConnectAsync).RequireAuthorization(Policies.Owner).ExcludeFromDescription();
        app.MapGet(Callback, CallbackAsync).RequireAuthorization(Policies.Owner).ExcludeFromDescription();
        app.MapPost(ChooseAccount, ChooseAccountAsync).RequireAuthorization(Policies.Owner).ExcludeFromDescription();
        app.MapPost(Disconnect, DisconnectAsync).RequireAuthorization(Policies.Owner).ExcludeFromDescription();
        return app;
    }

    private static IResult ConnectAsync(HttpContext context, MetaOAuthClient oauth, PublicLinks links, StoreContext store,
        OAuthStateCookie<MetaConnectTicket> connectState)
    {
        var nonce = OAuthStateCookie<MetaConnectTicket>.NewNonce();
        connectState.Issue(context, new MetaConnectTicket(nonce, store.RequiredStoreId));
        try
        {
            return Results.Redirect(oauth.DialogUrl(links.Absolute(context.Request, Callback), nonce).ToString());
        }
        catch (InvalidOperationException ex)
        {
            return Back($"Meta is not set up on this install: {ex.Message}", StatusCodes.Status404NotFound);
        }
    }

    private static async Task<IResult> CallbackAsync(HttpContext context, [FromQuery] string? code, [FromQuery] string? state, [FromQuery] string? error,
        [FromQuery(Name = "error_description")] string? errorDescription, MetaOAuthClient oauth, PublicLinks links, StoreContext store,
        OAuthStateCookie<MetaConnectTicket> connectState, AdIntelDbContext db, IntegrationTokenProtector tokens, IAuditLog audit, TimeProvider time,
        ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var ticket = connectState.Take(context);
        if (ticket is null || state is null || ticket.StoreId != store.RequiredStoreId
            || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(ticket.Nonce), Encoding.UTF8.GetBytes(state)))
        {
            return Back("Connecting Meta did not finish: the answer did not match a connection started here (or took over 10 minutes). Try again.", StatusCodes.Status400BadRequest);
        }
        if (error is not null || string.IsNullOrEmpty(code))
        {
            return Back(error == "access_denied" ? "Meta was not connected: the permission request was declined." : $"Meta was not connected: {errorDescription ?? error ?? "no code"}.");
        }
        MetaToken longLived;
        try
        {
            var shortLived = await oauth.ExchangeCodeAsync(code, links.Absolute(context.Request, Callback), cancellationToken);
            longLived = await oauth.ExchangeForLongLivedAsync(shortLived.AccessToken, cancellationToken);
        }
        catch (Exception ex) when (ex is MetaApiException or HttpRequestException)
        {
            loggers.CreateLogger(typeof(MetaConnectEndpoints)).LogWarning(ex, "Meta refused the code exchange for store {StoreId}", store.RequiredStoreId);
            return Back("Meta refused to connect (the code could not be exchanged). Try again.", StatusCodes.Status502BadGateway);
        }
        var now = time.GetUtcNow().UtcDateTime;
        var connection = await db.IntegrationConnections.SingleOrDefaultAsync(c => c.Provider == IntegrationProviders.Meta, cancellationToken);
        if (connection is null)
        {
            connection = new IntegrationConnection { Provider = IntegrationProviders.Meta, ConnectedAtUtc = now };
            db.IntegrationConnections.Add(connection);
        }
        connection.EncryptedAccessToken = tokens.Protect(longLived.AccessToken);
        connection.AccessTokenExpiresAtUtc = longLived.ExpiresAt?.UtcDateTime;
        connection.Scopes = MetaOAuthClient.Scopes;
        // A reconnection keeps the chosen account (and its checkpoint); a first connection asks for one.
        connection.Status = connection.ExternalAccountId.StartsWith(MetaConnections.AccountPrefix, StringComparison.Ordinal)
            ? IntegrationStatuses.Connected : IntegrationStatuses.NeedsAccount;
        connection.LastError = null;
        connection.UpdatedAtUtc = now;
        audit.Record(new AuditChange("integration.connected", "integration", "meta", "Meta connected (long-lived token stored encrypted)."));
        await db.SaveChangesAsync(cancellationToken);
        return Results.Redirect(SettingsPage + "?connected=meta");
    }

    private static async Task<IResult> ChooseAccountAsync(HttpContext context, IAntiforgery antiforgery, AdIntelDbContext db, MetaConnections connections,
        IntegrationTokenProtector tokens, MetaGraphClient client, StoreContext store, IntegrationSchedules schedules, IAuditLog audit, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Back("The form has expired: reload Settings → Integrations and choose again.");
        }
        var accountId = (await context.Request.ReadFormAsync(cancellationToken))["accountId"].ToString();
        var connection = await connections.GetAsync(cancellationToken);
        if (connection is null || tokens.Unprotect(connection.EncryptedAccessToken) is not { } token)
        {
            return Back("Connect Meta first.", StatusCodes.Status400BadRequest);
        }
        IReadOnlyList<MetaAdAccount> accounts;
        try
        {
            accounts = await client.GetAdAccountsAsync(token, cancellationToken);
        }
        catch (MetaApiException ex)
        {
            return Back($"Meta did not list the ad accounts: {ex.Message}", StatusCodes.Status502BadGateway);
        }
        var chosen = accounts.FirstOrDefault(a => a.AccountId == accountId.Trim().Replace(MetaConnections.AccountPrefix, "", StringComparison.Ordinal));
        if (chosen is null)
        {
            return Back("Choose one of the ad accounts Meta lists for you.", StatusCodes.Status400BadRequest);
        }
        var now = time.GetUtcNow().UtcDateTime;
        var changed = connection.ExternalAccountId != MetaConnections.AccountPrefix + chosen.AccountId;
        connection.ExternalAccountId = MetaConnections.AccountPrefix + chosen.AccountId;
        connection.DisplayName = chosen.Name;
        connection.Status = IntegrationStatuses.Connected;
        connection.UpdatedAtUtc = now;
        if (changed)
        {
            connection.CheckpointJson = "{}";
        }
        audit.Record(new AuditChange("integration.account_chosen", "integration", "meta", $"Meta ad account {connection.ExternalAccountId} ({chosen.Name}) chosen."));
        await db.SaveChangesAsync(cancellationToken);
        schedules.Ensure(store.RequiredStoreId);
        schedules.SyncNow(store.RequiredStoreId, IntegrationProviders.Meta);
        return Results.Redirect(SettingsPage + "?syncing=meta");
    }

    private static async Task<IResult> DisconnectAsync(HttpContext context, IAntiforgery antiforgery, AdIntelDbContext db, IAuditLog audit, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Back("The form has expired: reload Settings → Integrations and try again.");
        }
        if (await db.IntegrationConnections.SingleOrDefaultAsync(c => c.Provider == IntegrationProviders.Meta, cancellationToken) is { } connection)
        {
            connection.EncryptedAccessToken = null;
            connection.AccessTokenExpiresAtUtc = null;
            connection.Status = IntegrationStatuses.Disconnected;
            connection.UpdatedAtUtc = time.GetUtcNow().UtcDateTime;
            audit.Record(new AuditChange("integration.disconnected", "integration", "meta", "Meta disconnected (token deleted). Synced data is kept."));
            await db.SaveChangesAsync(cancellationToken);
        }
        return Results.Redirect(SettingsPage);
    }

    /// <summary>A page saying what went wrong, with the way back to Settings → Integrations; nothing was stored.</summary>
    private static IResult Back(string message, int status = StatusCodes.Status400BadRequest) =>
        Results.Content(ProblemPage(message), "text/html; charset=utf-8", Encoding.UTF8, status);

    private static string ProblemPage(string message) =>
        $"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Meta connection</title></head><body><main><h1>Meta was not connected</h1>"
        + $"<p>{System.Net.WebUtility.HtmlEncode(message)}</p><p><a href=\"{SettingsPage}\">Back to Settings → Integrations</a></p></main></body></html>";
}

/// <summary>What a Meta connection started in this browser expects back: the <c>state</c> nonce and the store that asked.</summary>
internal sealed record MetaConnectTicket(string Nonce, long StoreId);
