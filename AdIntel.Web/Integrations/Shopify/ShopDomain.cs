using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace AdIntel.Web.Integrations.Shopify;

/// <summary>
/// A shop's permanent <c>{name}.myshopify.com</c> domain, validated before it is ever used in a URL: a forged
/// <c>shop</c> parameter must not send tokens or secrets anywhere else (docs/integrations.md#oauth-and-install).
/// </summary>
public static partial class ShopDomain
{
    /// <summary>
    /// Accepts <c>name.myshopify.com</c> (any case, optional scheme and trailing slash) and the unified admin form
    /// <c>admin.shopify.com/store/name</c>; anything else is refused.
    /// </summary>
    public static bool TryNormalize(string? input, [NotNullWhen(true)] out string? shop)
    {
        shop = null;
        if (string.IsNullOrWhiteSpace(input) || input.Length > 255)
        {
            return false;
        }
        var value = input.Trim().ToLowerInvariant();
        foreach (var scheme in (string[])["https://", "http://"])
        {
            if (value.StartsWith(scheme, StringComparison.Ordinal))
            {
                value = value[scheme.Length..];
            }
        }
        value = value.TrimEnd('/');
        if (AdminForm().Match(value) is { Success: true } admin)
        {
            value = admin.Groups[1].Value + ".myshopify.com";
        }
        if (!Permanent().IsMatch(value))
        {
            return false;
        }
        shop = value;
        return true;
    }

    [GeneratedRegex(@"^[a-z0-9][a-z0-9-]*\.myshopify\.com$", RegexOptions.CultureInvariant)]
    private static partial Regex Permanent();

    [GeneratedRegex(@"^admin\.shopify\.com/store/([a-z0-9][a-z0-9-]*)$", RegexOptions.CultureInvariant)]
    private static partial Regex AdminForm();
}
