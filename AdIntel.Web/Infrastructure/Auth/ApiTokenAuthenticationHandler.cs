using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Options;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Infrastructure.Auth;

/// <summary>
/// <c>Authorization: Bearer &lt;personal API token&gt;</c>; tokens are looked up by their SHA-256 hash, with the member
/// who made them: a token acts with the lower of its own role and that member's current role, and stops working when
/// the member leaves the store.
/// </summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    IServiceScopeFactory scopes, IOptions<AuthOptions> auth, TimeProvider time)
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
        var found = await (
                from candidate in db.ApiTokens.IgnoreQueryFilters()
                where candidate.TokenHash == hash
                join maker in db.StoreMembers.IgnoreQueryFilters() on candidate.MemberId equals maker.Id into makers
                from maker in makers.DefaultIfEmpty()
                select new { Token = candidate, Member = maker })
            .FirstOrDefaultAsync(Context.RequestAborted);
        if (found is null || found.Token.RevokedAtUtc is not null)
        {
            return AuthenticateResult.Fail("Unknown or revoked API token.");
        }
        var (row, member) = (found.Token, found.Member);
        if (row.MemberId is not null && (member is null || member.StoreId != row.StoreId))
        {
            return AuthenticateResult.Fail("The person who made this API token is no longer a member of its store.");
        }
        // With local accounts every token is made by a signed-in member; one without (made through another token before
        // tokens were refused that right) has nobody whose role could bound it.
        if (member is null && auth.Value.IsLocal)
        {
            return AuthenticateResult.Fail("This API token was not made by a member of its store.");
        }
        var now = time.GetUtcNow().UtcDateTime;
        if (row.LastUsedAtUtc is null || now - row.LastUsedAtUtc > TimeSpan.FromMinutes(1))
        {
            await db.ApiTokens.IgnoreQueryFilters().Where(t => t.Id == row.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAtUtc, now), Context.RequestAborted);
        }
        // A token never outranks its person: the member's current role, read on every request, bounds the token's own.
        var role = member is not null && member.Role < row.Role ? member.Role : row.Role;
        Claim[] claims = member is null
            ? [new Claim(AdIntelClaims.ApiTokenId, row.Id.ToString(CultureInfo.InvariantCulture))]
            : [new Claim(AdIntelClaims.ApiTokenId, row.Id.ToString(CultureInfo.InvariantCulture)), new Claim(AdIntelClaims.ApiTokenPerson, member.Email)];
        var principal = AdIntelClaims.Create(SchemeName, row.StoreId, role, row.Name, claims);
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
