using System.Globalization;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Ingestion;
using AdIntel.Web.Metrics;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Pages.Costs;

/// <summary>One item on the costs page: a variant (or a SKU no variant carries), its cost now and its sales in the period.</summary>
public sealed record CostRow(CostItemKey Item, string Product, string? Variant, string? Sku, ResolvedCost? Cost, int UnitsSold, decimal Sales)
{
    /// <summary>The item as a form and URL value: <c>v123</c> for a variant, <c>sku:ABC</c> for a SKU.</summary>
    public string Key => CostItemKeys.Format(Item);
}

/// <summary>The costs page's list for a period: the rows shown, and the period's COGS coverage (the overview's).</summary>
public sealed record CostList(DateRange Period, IReadOnlyList<CostRow> Rows, int TotalItems, decimal? Coverage, DateOnly Today);

/// <summary>What a cost change answers: the row as it stands after it, or why it was refused (field → message).</summary>
public sealed record CostChange(CostRow? Row, IReadOnlyDictionary<string, string> Problems);

/// <summary>A cost entry as the history shows it.</summary>
public sealed record CostHistoryEntry(decimal UnitCost, DateOnly? ValidFrom, DateOnly EffectiveFrom, string Source, DateTime EnteredAtUtc, string? EnteredBy);

/// <summary>The textual form of a <see cref="CostItemKey"/> in forms and URLs.</summary>
public static class CostItemKeys
{
    private const string SkuPrefix = "sku:";

    public static string Format(CostItemKey item) =>
        item.VariantId is { } id ? "v" + id.ToString(CultureInfo.InvariantCulture) : SkuPrefix + item.Sku;

    public static CostItemKey? Parse(string? key) =>
        key is null ? null
        : key.StartsWith(SkuPrefix, StringComparison.Ordinal) && key.Length > SkuPrefix.Length ? CostItemKey.ForSku(key[SkuPrefix.Length..])
        : key.StartsWith('v') && long.TryParse(key.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? CostItemKey.ForVariant(id)
        : null;
}

/// <summary>
/// The current store's products and their costs for the costs page and <c>/api/costs</c>: every variant and every SKU
/// of its order lines that no variant has, with the cost <see cref="CostBook"/> gives it today, where that cost came
/// from, and its units sold in a period; entering a cost writes it through <see cref="ProductCostWriter"/> and rebuilds
/// the daily facts, so the overview's COGS, margins and coverage change with it.
/// </summary>
public sealed class CostCatalogue(AdIntelDbContext db, ProductCostWriter writer, DailyFactsBuilder dailyFacts, MetricsService metrics, StoreClock clock)
{
    /// <summary>Rows shown at most; searching narrows the rest.</summary>
    public const int MaxRows = 500;

    public async Task<CostList> ListAsync(DateRange period, string? search, CancellationToken cancellationToken)
    {
        var today = await clock.GetTodayAsync(cancellationToken);
        var costs = await CostBook.LoadAsync(db, cancellationToken);
        var rows = await RowsAsync(costs, period, today, null, cancellationToken);
        var term = search?.Trim();
        var matching = string.IsNullOrEmpty(term) ? rows : rows.Where(r => Matches(r, term)).ToList();
        // What needs a cost first: sold without one, then by sales.
        var ordered = matching.OrderBy(r => r.Cost is null && r.UnitsSold > 0 ? 0 : 1).ThenByDescending(r => r.Sales)
            .ThenBy(r => r.Product, StringComparer.OrdinalIgnoreCase).ThenBy(r => r.Variant, StringComparer.OrdinalIgnoreCase).ToList();
        var coverage = (await metrics.GetKpisAsync(period, cancellationToken)).CogsCoverage;
        return new CostList(period, ordered.Take(MaxRows).ToList(), ordered.Count, coverage, today);
    }

    /// <summary>One item's row for the period, or null when the store has no such item.</summary>
    public async Task<CostRow?> FindAsync(CostItemKey item, DateRange period, CancellationToken cancellationToken)
    {
        var today = await clock.GetTodayAsync(cancellationToken);
        var costs = await CostBook.LoadAsync(db, cancellationToken);
        return (await RowsAsync(costs, period, today, item, cancellationToken)).SingleOrDefault();
    }

    public async Task<IReadOnlyList<CostHistoryEntry>> HistoryAsync(CostItemKey item, CancellationToken cancellationToken)
    {
        var entries = item.VariantId is { } id
            ? db.ProductCosts.Where(c => c.VariantId == id)
            : db.ProductCosts.Where(c => c.VariantId == null && c.Sku == item.Sku);
        return await entries.AsNoTracking().OrderByDescending(c => c.EffectiveFrom).ThenByDescending(c => c.EnteredAtUtc).ThenByDescending(c => c.Id)
            .Select(c => new CostHistoryEntry(c.UnitCost, c.ValidFrom, c.EffectiveFrom, c.Source, c.EnteredAtUtc, c.EnteredBy))
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Enters a cost for <paramref name="item"/> (from <paramref name="validFrom"/>, or from today and for earlier orders
    /// without one) and rebuilds the facts. Problems are keyed by field (<c>item</c>, <c>unitCost</c>).
    /// </summary>
    public async Task<CostChange> SetAsync(CostItemKey item, decimal? unitCost, DateOnly? validFrom, DateRange period, string actor,
        CancellationToken cancellationToken)
    {
        var items = await CostItemIndex.LoadAsync(db, cancellationToken);
        var known = item.VariantId is { } id ? items.HasVariant(id) : items.Find(null, item.Sku).Item == item;
        if (!known)
        {
            return new CostChange(null, new Dictionary<string, string> { ["item"] = "This store has no such product." });
        }
        if (unitCost is not { } cost || cost < 0 || cost > ProductCostWriter.MaxUnitCost)
        {
            return new CostChange(null, new Dictionary<string, string> { ["unitCost"] = "Enter a unit cost between 0 and 1,000,000." });
        }
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await writer.WriteAsync([new IncomingCost(item, cost, validFrom)], ProductCostSources.Manual, actor, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        // The facts rebuild clears the entry's PendingFactsChange mark; a crash before it is caught up at start.
        await dailyFacts.RebuildAsync(cancellationToken);
        return new CostChange(await FindAsync(item, period, cancellationToken), new Dictionary<string, string>());
    }

    private async Task<List<CostRow>> RowsAsync(CostBook costs, DateRange period, DateOnly today, CostItemKey? only, CancellationToken cancellationToken)
    {
        var all = only is null;
        var onlyVariant = only?.VariantId;
        var onlySku = only?.Sku;
        var variants = await (from v in db.ProductVariants.AsNoTracking()
                              join p in db.Products.AsNoTracking() on v.ProductId equals p.Id
                              where all || v.Id == onlyVariant
                              select new { v.Id, v.Sku, v.Title, v.UnitCost, Product = p.Title }).ToListAsync(cancellationToken);
        var lines = await (from o in db.Orders.AsNoTracking()
                           join l in db.OrderLines.AsNoTracking() on o.Id equals l.OrderId
                           where !o.IsTest && o.CancelledAtUtc == null && o.LocalDate >= period.From && o.LocalDate <= period.To
                           select new { l.VariantId, l.Sku, l.Quantity, l.UnitPrice, l.Discount }).ToListAsync(cancellationToken);
        var sold = new Dictionary<CostItemKey, (int Units, decimal Sales)>();
        foreach (var line in lines)
        {
            if (costs.ItemOf(line.VariantId, line.Sku) is { } item)
            {
                var (units, sales) = sold.GetValueOrDefault(item);
                sold[item] = (units + line.Quantity, sales + line.UnitPrice * line.Quantity - line.Discount);
            }
        }
        var rows = new List<CostRow>();
        foreach (var v in variants)
        {
            var item = CostItemKey.ForVariant(v.Id);
            var (units, sales) = sold.GetValueOrDefault(item);
            rows.Add(new CostRow(item, v.Product, v.Title == "Default Title" ? null : v.Title, v.Sku, costs.Resolve(item, today, v.UnitCost), units, sales));
        }
        if (onlyVariant is not null)
        {
            return rows;
        }
        // SKUs only order lines carry: named after a line's title.
        var skuItems = await db.OrderLines.AsNoTracking().Where(l => l.VariantId == null && l.Sku != null && (all || l.Sku == onlySku))
            .GroupBy(l => l.Sku!).Select(g => new { Sku = g.Key, Title = g.Max(l => l.Title) }).ToListAsync(cancellationToken);
        foreach (var line in skuItems)
        {
            var item = costs.ItemOf(null, line.Sku);
            if (item is not { VariantId: null } skuItem)
            {
                continue;
            }
            var (units, sales) = sold.GetValueOrDefault(skuItem);
            rows.Add(new CostRow(skuItem, line.Title ?? line.Sku, null, line.Sku, costs.Resolve(skuItem, today, null), units, sales));
        }
        return rows;
    }

    private static bool Matches(CostRow row, string term) =>
        row.Product.Contains(term, StringComparison.OrdinalIgnoreCase)
        || (row.Variant?.Contains(term, StringComparison.OrdinalIgnoreCase) ?? false)
        || (row.Sku?.Contains(term, StringComparison.OrdinalIgnoreCase) ?? false);
}
