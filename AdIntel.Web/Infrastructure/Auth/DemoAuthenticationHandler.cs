using System.Security.Claims;
using System.Text.Encodings.Web;
using AdIntel.Web.Domain;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Infrastructure.Auth;

/// <summary>Auth:Mode=Demo: every request acts as the owner (and installation administrator) of the demo store.</summary>
public sealed class DemoAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, DemoStoreLocator demoStore)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Demo";

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
}
