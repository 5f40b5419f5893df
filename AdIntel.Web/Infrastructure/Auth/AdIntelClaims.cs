using System.Globalization;
using System.Security.Claims;
using AdIntel.Web.Domain;

namespace AdIntel.Web.Infrastructure.Auth;

public static class AdIntelClaims
{
    public const string StoreId = "adintel:store_id";
    public const string ApiTokenId = "adintel:api_token_id";
    /// <summary>The e-mail of the member who made the API token (absent for tokens of the demo owner or a Shopify session).</summary>
    public const string ApiTokenPerson = "adintel:api_token_person";
    /// <summary>Present (value "true") for the installation's administrator (see <see cref="AppUser.IsAdministrator"/>).</summary>
    public const string Administrator = "adintel:administrator";

    public static ClaimsPrincipal Create(string scheme, long storeId, StoreRole role, string name, params Claim[] extra)
    {
        Claim[] claims = [new(StoreId, storeId.ToString(CultureInfo.InvariantCulture)),
            new(ClaimTypes.Role, role.ToString()), new(ClaimTypes.Name, name), .. extra];
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    public static long? GetStoreId(this ClaimsPrincipal user) =>
        long.TryParse(user.FindFirstValue(StoreId), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    public static StoreRole GetStoreRole(this ClaimsPrincipal user) =>
        Enum.TryParse<StoreRole>(user.FindFirstValue(ClaimTypes.Role), out var role) ? role : StoreRole.Viewer;

    /// <summary>The local account's id (cookie sessions only; API tokens and the demo session have none).</summary>
    public static long? GetUserId(this ClaimsPrincipal user) =>
        user.HasClaim(c => c.Type == ApiTokenId) ? null
        : long.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;

    public static bool IsApiToken(this ClaimsPrincipal user) => user.HasClaim(c => c.Type == ApiTokenId);

    /// <summary>
    /// The installation's administrator (the account created at setup; the demo owner in demo mode), signed in as an
    /// owner in a browser session: install-wide powers (the jobs dashboard, C# scripts) are never a token's.
    /// </summary>
    public static bool IsInstallationAdministrator(this ClaimsPrincipal user) =>
        !user.IsApiToken() && user.GetStoreRole() == StoreRole.Owner && user.HasClaim(Administrator, "true");

    /// <summary>
    /// Who acts, as the audit log shows it: an e-mail, "&lt;e-mail&gt; (token: &lt;name&gt;)" for a member's API token,
    /// "token: &lt;name&gt;" for one without a member, or "Demo owner".
    /// </summary>
    public static string GetActor(this ClaimsPrincipal user)
    {
        var name = user.FindFirstValue(ClaimTypes.Name) ?? "unknown";
        if (!user.IsApiToken())
        {
            return name;
        }
        return user.FindFirstValue(ApiTokenPerson) is { } person ? $"{person} (token: {name})" : "token: " + name;
    }
}
