using System.Security.Claims;
using AdIntel.Web.Domain;

namespace AdIntel.Web.Infrastructure.Auth;

public static class AdIntelClaims
{
    public const string StoreId = "adintel:store_id";
    public const string ApiTokenId = "adintel:api_token_id";

    public static ClaimsPrincipal Create(string scheme, long storeId, StoreRole role, string name, params Claim[] extra)
    {
        Claim[] claims = [new(StoreId, storeId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new(ClaimTypes.Role, role.ToString()), new(ClaimTypes.Name, name), .. extra];
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    public static long? GetStoreId(this ClaimsPrincipal user) =>
        long.TryParse(user.FindFirstValue(StoreId), out var id) ? id : null;

    public static StoreRole GetStoreRole(this ClaimsPrincipal user) =>
        Enum.TryParse<StoreRole>(user.FindFirstValue(ClaimTypes.Role), out var role) ? role : StoreRole.Viewer;
}
