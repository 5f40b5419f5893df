using System.Security.Claims;
using System.Text.Encodings.Web;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Api;
using Htmx;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Infrastructure.Auth;

/// <summary>Auth:Mode=Demo: every request acts as the owner (and installation administrator) of the demo store.</summary>
public sealed class DemoAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, DemoStoreLocator demoStore)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Demo";

    /// <summary>Where a demo-mode request goes when the database has no demo store (Pages/Account/DemoStoreMissing).</summary>
    public const string MissingStorePagePath = "/account/demo-store-missing";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var storeId = await demoStore.GetDemoStoreIdAsync(Context.RequestAborted);
        if (storeId is null)
        {
            return AuthenticateResult.NoResult();
        }
        var principal = AdIntelClaims.Create(SchemeName, storeId.Value, StoreRole.Owner, "Demo owner",
            new Claim(AdIntelClaims.Administrator, "true"));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    /// <summary>
    /// Only reached when there is no demo store: people are sent to the page that says how to start instead, the API
    /// is told it needs a token.
    /// </summary>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Request.IsApiRequest())
        {
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            Response.Headers.WWWAuthenticate = "Bearer";
            var (code, message) = ApiErrorHandling.Describe(StatusCodes.Status401Unauthorized);
            await ApiResults.Error(StatusCodes.Status401Unauthorized, code, message).ExecuteAsync(Context);
        }
        else if (Request.IsHtmx())
        {
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            Response.Headers["HX-Redirect"] = MissingStorePagePath;
        }
        else
        {
            Response.Redirect(MissingStorePagePath);
        }
    }
}
