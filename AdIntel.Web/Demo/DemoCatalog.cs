using AdIntel.Web.Domain;

namespace AdIntel.Web.Demo;

internal enum SellingSeason
{
    AllYear,
    Winter,
    Summer,
}

/// <summary>A sellable variant with what the order simulation needs to know about it.</summary>
/// <param name="Popularity">Relative share of demand for this variant outside its season effects.</param>
internal sealed record CatalogVariant(Product Product, ProductVariant Variant, SellingSeason Season, double Popularity, bool IsSmallAccessory,
    bool SellsInMultiples)
{
    /// <summary>Before this day the variant's unit cost was <see cref="PreviousUnitCost"/> (a supplier price rise).</summary>
    public DateOnly? CostChangedOn { get; init; }

    public decimal? PreviousUnitCost { get; init; }

    public decimal? UnitCostOn(DateOnly day) => CostChangedOn is { } changed && day < changed ? PreviousUnitCost : Variant.UnitCost;
}

/// <summary>The catalogue of "Demo Outfitters", an outdoor-apparel brand: ~40 products, ~110 variants, $15–$180.</summary>
internal static class DemoCatalog
{
    public const string Vendor = "Demo Outfitters";
    private const string DefaultVariantTitle = "Default Title";

    private sealed record Template(string Title, string Type, decimal Price, SellingSeason Season, double Popularity, string[] Options);

    private static readonly Template[] Templates =
    [
        new("Summit Down Jacket", "Jackets", 179m, SellingSeason.Winter, 3.2, ["Black / S", "Black / M", "Black / L", "Black / XL"]),
        new("Ridgeline Rain Shell", "Jackets", 149m, SellingSeason.AllYear, 2.0, ["Slate / S", "Slate / M", "Slate / L", "Rust / M"]),
        new("Windrunner Packable Jacket", "Jackets", 98m, SellingSeason.Summer, 1.4, ["Sage / S", "Sage / M", "Sage / L"]),
        new("Women's Summit Down Vest", "Jackets", 129m, SellingSeason.Winter, 1.6, ["XS", "S", "M", "L"]),
        new("Women's Ridgeline Rain Shell", "Jackets", 149m, SellingSeason.AllYear, 1.3, ["XS", "S", "M"]),
        new("Trailhead Fleece Pullover", "Fleece", 89m, SellingSeason.Winter, 2.6, ["Forest / M", "Charcoal / M", "Oat / L"]),
        new("Basecamp Sherpa Hoodie", "Fleece", 110m, SellingSeason.Winter, 1.8, ["S", "M", "L"]),
        new("Kids' Fleece Jacket", "Fleece", 54m, SellingSeason.Winter, 0.9, ["6", "8", "10", "12"]),
        new("Alpine Merino Base Layer Top", "Base Layers", 85m, SellingSeason.Winter, 1.7, ["S", "M", "L"]),
        new("Alpine Merino Base Layer Bottom", "Base Layers", 79m, SellingSeason.Winter, 1.2, ["S", "M", "L"]),
        new("Everyday Merino Tee", "Tops", 58m, SellingSeason.AllYear, 3.0, ["Black / M", "Heather / M", "Navy / L"]),
        new("Canyon Sun Hoodie UPF 50", "Tops", 64m, SellingSeason.Summer, 2.0, ["S", "M", "L"]),
        new("Organic Cotton Logo Tee", "Tops", 34m, SellingSeason.AllYear, 2.2, ["White / M", "Black / M", "Sand / L"]),
        new("Switchback Hiking Shorts", "Bottoms", 62m, SellingSeason.Summer, 2.4, ["30", "32", "34", "36"]),
        new("Switchback Convertible Pants", "Bottoms", 88m, SellingSeason.AllYear, 1.6, ["30x30", "32x32", "34x32"]),
        new("Granite Climbing Pants", "Bottoms", 95m, SellingSeason.AllYear, 1.1, ["30", "32", "34"]),
        new("Boulder Stretch Joggers", "Bottoms", 78m, SellingSeason.AllYear, 1.5, ["S", "M", "L"]),
        new("Women's Trail Leggings", "Bottoms", 74m, SellingSeason.AllYear, 2.1, ["XS", "S", "M", "L"]),
        new("Trail Running Tights", "Bottoms", 72m, SellingSeason.AllYear, 0.8, ["XS", "S", "M"]),
        new("Merino Hiking Socks", "Socks", 24m, SellingSeason.AllYear, 4.5, ["S", "M", "L"]),
        new("Lightweight Trail Socks 3-Pack", "Socks", 36m, SellingSeason.AllYear, 2.4, ["M", "L"]),
        new("Expedition Wool Socks", "Socks", 29m, SellingSeason.Winter, 1.9, ["M", "L"]),
        new("Trail Cap", "Headwear", 32m, SellingSeason.Summer, 2.3, ["Olive", "Black", "Sand"]),
        new("Ridge Beanie", "Headwear", 28m, SellingSeason.Winter, 2.5, ["Charcoal", "Rust", "Navy"]),
        new("Wide-Brim Sun Hat", "Headwear", 42m, SellingSeason.Summer, 0.9, ["S/M", "L/XL"]),
        new("Merino Neck Gaiter", "Accessories", 22m, SellingSeason.Winter, 1.4, ["Black", "Blue"]),
        new("Insulated Trail Gloves", "Accessories", 45m, SellingSeason.Winter, 1.3, ["S", "M", "L"]),
        new("Trail Runner Gaiters", "Accessories", 29m, SellingSeason.AllYear, 0.6, ["S/M", "L/XL"]),
        new("Waxed Canvas Tote", "Accessories", 48m, SellingSeason.AllYear, 0.8, ["Natural", "Olive"]),
        new("Logo Sticker Pack", "Accessories", 15m, SellingSeason.AllYear, 1.5, [DefaultVariantTitle]),
        new("Daypack 22L", "Packs", 129m, SellingSeason.AllYear, 1.5, ["Black", "Moss"]),
        new("Summit Pack 38L", "Packs", 169m, SellingSeason.AllYear, 0.9, ["Black", "Moss"]),
        new("Hip Pack 3L", "Packs", 45m, SellingSeason.Summer, 1.3, ["Black", "Orange"]),
        new("Roll-Top Dry Bag 10L", "Packs", 34m, SellingSeason.Summer, 0.8, ["Yellow", "Grey"]),
        new("Insulated Water Bottle 32oz", "Gear", 38m, SellingSeason.AllYear, 2.0, ["Stone", "Forest", "Black"]),
        new("Enamel Camp Mug", "Gear", 24m, SellingSeason.AllYear, 1.2, ["White", "Blue"]),
        new("Packable Hammock", "Gear", 75m, SellingSeason.Summer, 0.9, [DefaultVariantTitle]),
        new("Carbon Trekking Poles", "Gear", 119m, SellingSeason.AllYear, 0.7, [DefaultVariantTitle]),
        new("Headlamp 400 Lumen", "Gear", 49m, SellingSeason.Winter, 1.0, [DefaultVariantTitle]),
        new("Wool Camp Blanket", "Gear", 89m, SellingSeason.AllYear, 1.1, ["Plaid", "Charcoal"]),
    ];

    private static readonly HashSet<string> SmallAccessoryTypes = ["Socks", "Headwear", "Accessories"];

    /// <summary>Creates the products and variants with ids 1.. (in list order) and Shopify-like external ids.</summary>
    public static IReadOnlyList<CatalogVariant> Build(Random random, DemoCalendar calendar)
    {
        var variants = new List<CatalogVariant>();
        long productExternalId = 7_412_000_000_000 + random.Next(1_000_000, 9_000_000);
        long variantExternalId = 42_170_000_000_000 + random.Next(1_000_000, 9_000_000);
        var skus = new HashSet<string>(StringComparer.Ordinal);
        long variantId = 0;
        // A supplier price rise partway through the history: older order lines keep the old cost.
        var costChange = calendar.Day((int)(calendar.Days * 0.45));

        for (var p = 0; p < Templates.Length; p++)
        {
            var template = Templates[p];
            productExternalId += random.Next(40_000, 900_000);
            var product = new Product
            {
                Id = p + 1,
                ExternalId = productExternalId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Title = template.Title,
                ProductType = template.Type,
                Vendor = Vendor,
            };
            var productCode = Initials(template.Title);
            foreach (var option in template.Options)
            {
                variantExternalId += random.Next(1_000, 400_000);
                var sku = UniqueSku(skus, option == DefaultVariantTitle ? $"DO-{productCode}" : $"DO-{productCode}-{OptionCode(option)}");
                var costShare = random.Between(0.25, 0.45);
                var cost = Math.Round(template.Price * (decimal)costShare, 2);
                var variant = new ProductVariant
                {
                    Id = ++variantId,
                    ProductId = product.Id,
                    ExternalId = variantExternalId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    Sku = sku,
                    Title = option,
                    Price = template.Price,
                    UnitCost = cost,
                };
                product.Variants.Add(variant);
                var raisedCost = random.Chance(0.3);
                variants.Add(new CatalogVariant(product, variant, template.Season, template.Popularity / template.Options.Length,
                    SmallAccessoryTypes.Contains(template.Type), template.Type == "Socks")
                {
                    CostChangedOn = raisedCost ? costChange : null,
                    PreviousUnitCost = raisedCost ? Math.Round(cost / (decimal)random.Between(1.04, 1.09), 2) : null,
                });
            }
        }

        // The merchant never entered a cost for a handful of variants, so COGS coverage stays below 100%.
        for (var missing = 0; missing < 6; missing++)
        {
            var index = random.Next(variants.Count);
            variants[index].Variant.UnitCost = null;
            variants[index] = variants[index] with { CostChangedOn = null, PreviousUnitCost = null };
        }
        return variants;
    }

    public static double SeasonLevel(SellingSeason season, int month) => season switch
    {
        SellingSeason.Winter => month is >= 10 or <= 2 ? 1.7 : month is 3 or 9 ? 1.0 : 0.4,
        SellingSeason.Summer => month is >= 5 and <= 8 ? 1.7 : month is 4 or 9 ? 1.0 : 0.45,
        _ => 1.0,
    };

    public static string LineTitle(Product product, ProductVariant variant) =>
        variant.Title == DefaultVariantTitle ? product.Title : $"{product.Title} - {variant.Title}";

    private static string Initials(string title) =>
        string.Concat(title.Replace("'s", "", StringComparison.Ordinal).Split(' ', '-')
            .Where(w => w.Length > 0 && char.IsLetterOrDigit(w[0])).Select(w => char.ToUpperInvariant(w[0])));

    private static string OptionCode(string option) =>
        string.Join("-", option.Split(" / ").Select(part => part.Length <= 5 ? part.ToUpperInvariant().Replace("/", "", StringComparison.Ordinal)
            : part[..3].ToUpperInvariant()));

    private static string UniqueSku(HashSet<string> taken, string sku)
    {
        var candidate = sku;
        for (var n = 2; !taken.Add(candidate); n++)
        {
            candidate = $"{sku}{n}";
        }
        return candidate;
    }
}
