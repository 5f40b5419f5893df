namespace AdIntel.Web.Domain;

/// <summary>
/// One entry of a product's cost history: a unit cost entered in AdIntel (on the costs page, through the API or a costs
/// CSV) for a variant, or for a SKU that no variant carries (a store known only from its orders export). Entries are
/// only added, never changed, so earlier periods keep the cost they had; <c>Metrics/CostBook</c> decides from them which
/// cost an order line gets.
/// </summary>
public sealed class ProductCost : IStoreOwned
{
    public long Id { get; set; }
    public long StoreId { get; set; }
    /// <summary>The variant the cost is for; null for a SKU-only item.</summary>
    public long? VariantId { get; set; }
    /// <summary>The SKU of a SKU-only item; null when the entry is for a variant.</summary>
    public string? Sku { get; set; }
    public decimal UnitCost { get; set; }
    /// <summary>The first store day the cost applies to, as entered; null: from the day it was entered on, and for earlier orders that had no cost.</summary>
    public DateOnly? ValidFrom { get; set; }
    /// <summary><see cref="ValidFrom"/>, or the store day it was entered on.</summary>
    public DateOnly EffectiveFrom { get; set; }
    /// <summary><see cref="ProductCostSources"/>.</summary>
    public required string Source { get; set; }
    public DateTime EnteredAtUtc { get; set; }
    /// <summary>Who entered it (e-mail, or "e-mail (token: name)" for an API token).</summary>
    public string? EnteredBy { get; set; }
}

/// <summary>Where a cost came from.</summary>
public static class ProductCostSources
{
    /// <summary>Shopify's inventory item cost (the variant's, or a line's cost when ordered); never stored as an entry.</summary>
    public const string Shopify = "shopify";
    public const string Csv = "csv";
    public const string Manual = "manual";

    public static string DisplayName(string? source) => source switch
    {
        Shopify => "Shopify",
        Csv => "CSV",
        Manual => "Manual",
        _ => "—",
    };
}
