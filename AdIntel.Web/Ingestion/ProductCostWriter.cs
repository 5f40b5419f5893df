using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Metrics;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Ingestion;

/// <summary>A unit cost for one item, from the costs page, the API or a costs CSV.</summary>
public sealed record IncomingCost(CostItemKey Item, decimal UnitCost, DateOnly? ValidFrom);

/// <summary>What a write of costs did: entries added, and costs that were already in force as given.</summary>
public sealed record CostWriteResult(int Added, int Unchanged);

/// <summary>
/// The one writer of the current store's cost history (<see cref="ProductCost"/>), for the costs page, the API and the
/// costs CSV alike. Entries are only added: an earlier period keeps the cost it had, and <see cref="CostBook"/> decides
/// from them which cost each order line counts with. A cost already in force as given (the same cost, dated the same,
/// or undated over an undated one) adds nothing, so importing a file twice changes nothing. Joins the caller's
/// transaction; every entry leaves a <see cref="PendingFactsChange"/> mark: call <see cref="DailyFactsBuilder.RebuildAsync"/> after.
/// </summary>
public sealed class ProductCostWriter(AdIntelDbContext db, StoreClock clock, TimeProvider time)
{
    /// <summary>Larger unit costs are typing mistakes, not products.</summary>
    public const decimal MaxUnitCost = 1_000_000m;

    public async Task<CostWriteResult> WriteAsync(IReadOnlyList<IncomingCost> costs, string source, string? enteredBy, CancellationToken cancellationToken)
    {
        var today = await clock.GetTodayAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var history = (await db.ProductCosts.AsNoTracking()
                .OrderBy(c => c.EffectiveFrom).ThenBy(c => c.EnteredAtUtc).ThenBy(c => c.Id)
                .Select(c => new { c.VariantId, c.Sku, c.UnitCost, c.ValidFrom, c.EffectiveFrom })
                .ToListAsync(cancellationToken))
            .GroupBy(c => new CostItemKey(c.VariantId, c.VariantId is null ? c.Sku : null))
            .ToDictionary(g => g.Key, g => g.Select(c => (c.UnitCost, c.ValidFrom, c.EffectiveFrom)).ToList());
        var added = 0;
        foreach (var cost in costs)
        {
            if (cost.UnitCost is < 0 or > MaxUnitCost)
            {
                throw new ArgumentOutOfRangeException(nameof(costs), cost.UnitCost, "A unit cost is between 0 and 1,000,000.");
            }
            var unitCost = Math.Round(cost.UnitCost, 4, MidpointRounding.AwayFromZero);
            var effectiveFrom = cost.ValidFrom ?? today;
            var entries = history.TryGetValue(cost.Item, out var known) ? known : history[cost.Item] = [];
            // The entry that applies on that day now: the last effective on or before it.
            var inForce = entries.FindLastIndex(e => e.EffectiveFrom <= effectiveFrom);
            if (inForce >= 0 && entries[inForce].UnitCost == unitCost && entries[inForce].ValidFrom == cost.ValidFrom)
            {
                continue;
            }
            db.ProductCosts.Add(new ProductCost
            {
                VariantId = cost.Item.VariantId,
                Sku = cost.Item.VariantId is null ? cost.Item.Sku : null,
                UnitCost = unitCost,
                ValidFrom = cost.ValidFrom,
                EffectiveFrom = effectiveFrom,
                Source = source,
                EnteredAtUtc = now,
                EnteredBy = enteredBy,
            });
            entries.Insert(inForce + 1, (unitCost, cost.ValidFrom, effectiveFrom));
            added++;
        }
        if (added > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        return new CostWriteResult(added, costs.Count - added);
    }
}
