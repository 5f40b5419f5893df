using System.Text.RegularExpressions;

namespace AdIntel.Web.Infrastructure.Security;

public static partial class ShopDomains
{
    /// <summary>A store's myshopify address, e.g. <c>acme.myshopify.com</c> (lower case, nothing else).</summary>
    public static bool IsValid(string domain) => Pattern().IsMatch(domain);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,60}\\.myshopify\\.com$")]
    private static partial Regex Pattern();
}
