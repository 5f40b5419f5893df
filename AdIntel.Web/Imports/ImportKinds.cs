namespace AdIntel.Web.Imports;

/// <summary>The kinds of CSV import, as stored in <see cref="Domain.ImportRun.Kind"/>.</summary>
public static class ImportKinds
{
    public const string ShopifyOrders = "shopify-orders";
    public const string MetaAds = "meta-ads";
    public const string ProductCosts = "product-costs";

    public static bool IsKnown(string kind) => kind is ShopifyOrders or MetaAds or ProductCosts;

    public static string DisplayName(string kind) => kind switch
    {
        ShopifyOrders => "Shopify orders",
        MetaAds => "Meta ads",
        ProductCosts => "Product costs",
        _ => kind,
    };
}
