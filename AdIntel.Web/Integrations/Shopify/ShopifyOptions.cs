using System.ComponentModel.DataAnnotations;

namespace AdIntel.Web.Integrations.Shopify;

/// <summary>The Shopify app's credentials and where shops answer. Pointing at a fake is only a change of <see cref="ShopUrlTemplate"/>.</summary>
public sealed class ShopifyOptions
{
    public const string SectionName = "Shopify";

    public string? ClientId { get; set; }

    /// <summary>Signs OAuth callbacks, webhooks and session tokens. From user secrets or the environment, never appsettings.json.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>A shop's base URL; <c>{shop}</c> is replaced by its validated <c>name.myshopify.com</c> domain.</summary>
    [Required, RegularExpression(@"^https?://.*\{shop\}.*$", ErrorMessage = "Shopify:ShopUrlTemplate must be an http(s) URL containing {shop}.")]
    public string ShopUrlTemplate { get; set; } = "https://{shop}";

    [Required]
    public string Scopes { get; set; } = "read_orders,read_all_orders,read_products,read_customers,read_inventory";

    [Required, RegularExpression(@"^\d{4}-(01|04|07|10)$", ErrorMessage = "Shopify:ApiVersion must be a quarterly version like 2026-07.")]
    public string ApiVersion { get; set; } = "2026-07";
}
