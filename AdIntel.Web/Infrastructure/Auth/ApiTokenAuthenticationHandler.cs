using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using AdIntel.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Infrastructure.Auth;

/// <summary><c>Authorization: Bearer &lt;personal API token&gt;</c>; tokens are looked up by their SHA-256 hash.</summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    IServiceScopeFactory scopes, TimeProvider time)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";
    public const string TokenPrefix = "adi_";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }
        var token = header["Bearer ".Length..].Trim();
        if (token.Length is < 10 or > 200)
        {
            return AuthenticateResult.Fail("Malformed API token.");
        }
        var hash = Hash(token);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AdIntelDbContext>();
        var row = await db.ApiTokens.IgnoreQueryFilters().FirstOrDefaultAsync(t => t.TokenHash == hash, Context.RequestAborted);
        if (row is null || row.RevokedAtUtc is not null)
        {
            return AuthenticateResult.Fail("Unknown or revoked API token.");
        }
        var now = time.GetUtcNow().UtcDateTime;
        if (row.LastUsedAtUtc is null || now - row.LastUsedAtUtc > TimeSpan.FromMinutes(1))
        {
            await db.ApiTokens.IgnoreQueryFilters().Where(t => t.Id == row.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAtUtc, now), Context.RequestAborted);
        }
        var principal = AdIntelClaims.Create(SchemeName, row.StoreId, row.Role, row.Name,
            new Claim(AdIntelClaims.ApiTokenId, row.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        var (code, message) = Api.ApiErrorHandling.Describe(401);
        await Api.ApiResults.Error(401, code, message).ExecuteAsync(Context);
    }

    public static string Hash(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>A new random token: the prefix plus 32 bytes of URL-safe base64.</summary>
    public static string NewToken() =>
        TokenPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
