using System.Globalization;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Metrics;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Ingestion;

/// <summary>
/// The items of the current store a cost can be entered for, to find one by variant id or SKU: every variant, and every
/// SKU its order lines carry that no variant has (a store known only from its orders export).
/// </summary>
public sealed class CostItemIndex
{
    private readonly HashSet<long> _variants;
    private readonly Dictionary<string, long> _variantBySku;
    private readonly HashSet<string> _lineSkus;

    private CostItemIndex(HashSet<long> variants, Dictionary<string, long> variantBySku, HashSet<string> lineSkus)
    {
        _variants = variants;
        _variantBySku = variantBySku;
        _lineSkus = lineSkus;
    }

    public static async Task<CostItemIndex> LoadAsync(AdIntelDbContext db, CancellationToken cancellationToken)
    {
        var variants = await db.ProductVariants.AsNoTracking().OrderBy(v => v.Id).Select(v => new { v.Id, v.Sku }).ToListAsync(cancellationToken);
        var bySku = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var variant in variants.Where(v => !string.IsNullOrEmpty(v.Sku)))
        {
            bySku.TryAdd(variant.Sku!, variant.Id);
        }
        var lineSkus = await db.OrderLines.AsNoTracking().Where(l => l.VariantId == null && l.Sku != null).Select(l => l.Sku!).Distinct()
            .ToListAsync(cancellationToken);
        return new CostItemIndex(variants.Select(v => v.Id).ToHashSet(), bySku, lineSkus.ToHashSet(StringComparer.Ordinal));
    }

    public bool HasVariant(long variantId) => _variants.Contains(variantId);

    /// <summary>The item of a variant id (wins when both are given) or a SKU, or why there is none.</summary>
    public (CostItemKey? Item, string? Problem) Find(string? variantId, string? sku)
    {
        variantId = variantId?.Trim();
        sku = sku?.Trim();
        if (!string.IsNullOrEmpty(variantId))
        {
            return long.TryParse(variantId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && _variants.Contains(id)
                ? (CostItemKey.ForVariant(id), null)
                : (null, $"No product variant of this store has the id “{Shorten(variantId)}”.");
        }
        if (string.IsNullOrEmpty(sku))
        {
            return (null, "Give a SKU or a variant id.");
        }
        if (_variantBySku.TryGetValue(sku, out var bySku))
        {
            return (CostItemKey.ForVariant(bySku), null);
        }
        return _lineSkus.Contains(sku)
            ? (CostItemKey.ForSku(sku), null)
            : (null, $"No product variant or order line of this store has the SKU “{Shorten(sku)}”.");
    }

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
