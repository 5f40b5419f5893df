using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Metrics;

/// <summary>What a cost is entered for: a variant, or a SKU that no variant of the store carries.</summary>
public readonly record struct CostItemKey(long? VariantId, string? Sku)
{
    public static CostItemKey ForVariant(long variantId) => new(variantId, null);

    public static CostItemKey ForSku(string sku) => new(null, sku);
}

/// <summary>A line's (or an item's) unit cost with where it came from and, for an entry, the day it applies from.</summary>
public sealed record ResolvedCost(decimal UnitCost, string Source, DateOnly? From);

/// <summary>
/// The one place that decides the unit cost of an order line, from the store's cost history (<see cref="ProductCost"/>)
/// and the cost the line was stored with (Shopify's cost when ordered):
/// <list type="number">
/// <item>the latest entry of the line's item that applies on the order's day (effective on or before it; of entries
/// effective the same day, the last entered);</item>
/// <item>else the line's own cost when ordered;</item>
/// <item>else the earliest entry entered without a valid-from date: a cost entered today without a date also fills
/// earlier orders that had no cost at all, while orders that had one keep it.</item>
/// </list>
/// A line's item is its variant; a line without one, the variant with its SKU, else the SKU itself. Loaded per facts
/// rebuild (the entries are few: one per cost change).
/// </summary>
public sealed class CostBook
{
    private readonly Dictionary<CostItemKey, CostEntry[]> _entries;
    private readonly Dictionary<string, long> _variantBySku;

    private sealed record CostEntry(decimal UnitCost, DateOnly EffectiveFrom, bool Dated, string Source);

    private CostBook(Dictionary<CostItemKey, CostEntry[]> entries, Dictionary<string, long> variantBySku)
    {
        _entries = entries;
        _variantBySku = variantBySku;
    }

    public static async Task<CostBook> LoadAsync(AdIntelDbContext db, CancellationToken cancellationToken)
    {
        var rows = await db.ProductCosts.AsNoTracking()
            .OrderBy(c => c.EffectiveFrom).ThenBy(c => c.EnteredAtUtc).ThenBy(c => c.Id)
            .Select(c => new { c.VariantId, c.Sku, c.UnitCost, c.EffectiveFrom, c.ValidFrom, c.Source })
            .ToListAsync(cancellationToken);
        // Of several variants with one SKU, the oldest stands for it (a line linked by SKU alone).
        var variantBySku = new Dictionary<string, long>(StringComparer.Ordinal);
        var variants = await db.ProductVariants.AsNoTracking().Where(v => v.Sku != null && v.Sku != "").OrderBy(v => v.Id)
            .Select(v => new { v.Id, v.Sku }).ToListAsync(cancellationToken);
        foreach (var variant in variants)
        {
            variantBySku.TryAdd(variant.Sku!, variant.Id);
        }
        var entries = rows
            .GroupBy(r => new CostItemKey(r.VariantId, r.VariantId is null ? r.Sku : null))
            .ToDictionary(g => g.Key, g => g.Select(r => new CostEntry(r.UnitCost, r.EffectiveFrom, r.ValidFrom is not null, r.Source)).ToArray());
        return new CostBook(entries, variantBySku);
    }

    /// <summary>The item a line's cost is entered for; null for a line with neither variant nor SKU (it cannot get a cost).</summary>
    public CostItemKey? ItemOf(long? variantId, string? sku) =>
        variantId is { } id ? CostItemKey.ForVariant(id)
        : string.IsNullOrEmpty(sku) ? null
        : _variantBySku.TryGetValue(sku, out var bySku) ? CostItemKey.ForVariant(bySku)
        : CostItemKey.ForSku(sku);

    /// <summary>The unit cost of a line of <paramref name="item"/> ordered on <paramref name="orderDay"/> (see the class).</summary>
    public ResolvedCost? Resolve(CostItemKey? item, DateOnly orderDay, decimal? costWhenOrdered)
    {
        if (item is not { } key || !_entries.TryGetValue(key, out var entries))
        {
            return costWhenOrdered is { } own ? new ResolvedCost(own, ProductCostSources.Shopify, null) : null;
        }
        for (var i = entries.Length - 1; i >= 0; i--)
        {
            if (entries[i].EffectiveFrom <= orderDay)
            {
                return Of(entries[i]);
            }
        }
        if (costWhenOrdered is { } cost)
        {
            return new ResolvedCost(cost, ProductCostSources.Shopify, null);
        }
        var undated = Array.Find(entries, e => !e.Dated);
        return undated is null ? null : Of(undated);
    }

    /// <summary>The unit cost of an order line: <see cref="Resolve"/> for its item.</summary>
    public decimal? UnitCostOf(long? variantId, string? sku, DateOnly orderDay, decimal? costWhenOrdered) =>
        _entries.Count == 0 ? costWhenOrdered : Resolve(ItemOf(variantId, sku), orderDay, costWhenOrdered)?.UnitCost;

    private static ResolvedCost Of(CostEntry entry) => new(entry.UnitCost, entry.Source, entry.EffectiveFrom);
}
