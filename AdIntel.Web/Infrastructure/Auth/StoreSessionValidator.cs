using System.Security.Claims;
using AdIntel.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Infrastructure.Auth;

/// <summary>
/// Checks a session cookie on every request against the database: the account still exists, its security stamp is
/// unchanged (a password reset signs every session out) and it is still a member of the session's store. The role
/// is read fresh each time, so a role change or a removal takes effect on the member's next click.
/// </summary>
public static class StoreSessionValidator
{
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        var http = context.HttpContext;
        var stampClaimType = http.RequestServices.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity.SecurityStampClaimType;
        if (principal?.GetUserId() is not { } userId || principal.GetStoreId() is not { } storeId)
        {
            await RejectAsync(context);
            return;
        }
        var stamp = principal.FindFirstValue(stampClaimType);
        var db = http.RequestServices.GetRequiredService<AdIntelDbContext>();
        var session = await (
                from member in db.StoreMembers.IgnoreQueryFilters()
                join user in db.Users on member.UserId equals user.Id
                where member.UserId == userId && member.StoreId == storeId
                select new { member.Role, user.SecurityStamp, user.IsAdministrator })
            .FirstOrDefaultAsync(http.RequestAborted);
        if (session is null || !string.Equals(session.SecurityStamp, stamp, StringComparison.Ordinal))
        {
            await RejectAsync(context);
            return;
        }

        var identity = new ClaimsIdentity(
            principal.Claims.Where(c => c.Type is not (ClaimTypes.Role or AdIntelClaims.Administrator)),
            principal.Identity?.AuthenticationType, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.Role, session.Role.ToString()));
        if (session.IsAdministrator)
        {
            identity.AddClaim(new Claim(AdIntelClaims.Administrator, "true"));
        }
        context.ReplacePrincipal(new ClaimsPrincipal(identity));
    }

    private static async Task RejectAsync(CookieValidatePrincipalContext context)
    {
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
    }
}
