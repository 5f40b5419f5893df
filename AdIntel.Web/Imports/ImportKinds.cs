namespace AdIntel.Web.Imports;

/// <summary>The kinds of CSV import, as stored in <see cref="Domain.ImportRun.Kind"/>.</summary>
public static class ImportKinds
{
    public const string ShopifyOrders = "shopify-orders";
    public const string MetaAds = "meta-ads";

    public static bool IsKnown(string kind) => kind is ShopifyOrders or MetaAds;

    public static string DisplayName(string kind) => kind switch
    {
        ShopifyOrders => "Shopify orders",
        MetaAds => "Meta ads",
        _ => kind,
    };
}
