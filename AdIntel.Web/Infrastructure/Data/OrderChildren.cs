using AdIntel.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Infrastructure.Data;

/// <summary>
/// Orders' lines and refunds are not a mapped relationship (no foreign keys: see <see cref="AdIntelDbContext.IsBulkLoaded"/>),
/// so queries do not include them; this fills <see cref="Order.Lines"/> and <see cref="Order.Refunds"/> of orders already read.
/// </summary>
public static class OrderChildren
{
    /// <summary>Values per IN list (EF binds one parameter per value; SQLite binds named parameters in quadratic time).</summary>
    private const int Chunk = 250;

    /// <summary>
    /// Adds each order's lines and refunds (in id order), read untracked by order id: lines through the store filter (their
    /// index is by store, then order), refunds without it (with it SQLite's planner picks the refunds' StoreId index and
    /// scans every refund of the store; the orders were read through the store filter, so nothing of another store can
    /// come back). Returns <paramref name="orders"/>.
    /// </summary>
    public static async Task<List<Order>> LoadLinesAndRefundsAsync(this AdIntelDbContext db, List<Order> orders, CancellationToken cancellationToken)
    {
        var byId = new Dictionary<long, Order>(orders.Count);
        foreach (var order in orders)
        {
            byId.TryAdd(order.Id, order);
        }
        foreach (var ids in byId.Keys.Chunk(Chunk))
        {
            await foreach (var line in db.OrderLines.AsNoTracking().Where(l => ids.Contains(l.OrderId)).OrderBy(l => l.Id)
                .AsAsyncEnumerable().WithCancellation(cancellationToken))
            {
                byId[line.OrderId].Lines.Add(line);
            }
            await foreach (var refund in db.Refunds.IgnoreQueryFilters().AsNoTracking().Where(r => ids.Contains(r.OrderId)).OrderBy(r => r.Id)
                .AsAsyncEnumerable().WithCancellation(cancellationToken))
            {
                byId[refund.OrderId].Refunds.Add(refund);
            }
        }
        return orders;
    }
}
