using AdIntel.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Metrics;

/// <summary>
/// The current store's orders that count as sales (not test, not cancelled) with their line totals and refunds,
/// loaded as slim projections in three queries. The facts builder and the LTV curve both start from it.
/// </summary>
internal sealed class OrderLedger
{
    private OrderLedger(Dictionary<long, LedgerOrder> orders, List<LedgerRefund> refunds)
    {
        Orders = orders;
        Refunds = refunds;
    }

    /// <summary>Orders that count, by id.</summary>
    public Dictionary<long, LedgerOrder> Orders { get; }

    /// <summary>Refunds of orders that count (a cancelled order's refund undoes a sale that was never counted).</summary>
    public List<LedgerRefund> Refunds { get; }

    public static async Task<OrderLedger> LoadAsync(AdIntelDbContext db, CancellationToken cancellationToken)
    {
        var orders = new Dictionary<long, LedgerOrder>();
        var orderQuery = db.Orders.AsNoTracking()
            .Where(o => !o.IsTest && o.CancelledAtUtc == null)
            .Select(o => new LedgerOrder
            {
                Id = o.Id,
                CustomerId = o.CustomerId,
                LocalDate = o.LocalDate,
                CreatedAtUtc = o.CreatedAtUtc,
                GrossSales = o.GrossSales,
                Discounts = o.Discounts,
                Shipping = o.Shipping,
                Taxes = o.Taxes,
                Total = o.Total,
            });
        await foreach (var order in orderQuery.AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            orders.Add(order.Id, order);
        }

        // Lines and refunds of every order are read and the ones of orders that do not count dropped here:
        // cheaper than joining in SQL, and it keeps SQLite away from decimal arithmetic.
        var lineQuery = db.OrderLines.AsNoTracking().Select(l => new { l.OrderId, l.Quantity, l.UnitCost });
        await foreach (var line in lineQuery.AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            if (!orders.TryGetValue(line.OrderId, out var order))
            {
                continue;
            }
            order.LineItems++;
            if (line.UnitCost is { } unitCost)
            {
                order.LineItemsWithCost++;
                order.Cogs += unitCost * line.Quantity;
            }
        }

        var refunds = new List<LedgerRefund>();
        var refundQuery = db.Refunds.AsNoTracking().Select(r => new { r.OrderId, r.LocalDate, r.Amount });
        await foreach (var refund in refundQuery.AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            if (!orders.TryGetValue(refund.OrderId, out var order))
            {
                continue;
            }
            order.Refunded += refund.Amount;
            refunds.Add(new LedgerRefund(order, refund.LocalDate, refund.Amount));
        }
        return new OrderLedger(orders, refunds);
    }

    /// <summary>Each identified customer's first order that counts (earliest day, then earliest instant, then lowest id).</summary>
    public Dictionary<long, LedgerOrder> FirstOrdersByCustomer()
    {
        var first = new Dictionary<long, LedgerOrder>();
        foreach (var order in Orders.Values)
        {
            if (order.CustomerId is not { } customerId)
            {
                continue;
            }
            if (!first.TryGetValue(customerId, out var current) || order.IsBefore(current))
            {
                first[customerId] = order;
            }
        }
        return first;
    }
}

internal sealed class LedgerOrder
{
    public long Id { get; init; }
    public long? CustomerId { get; init; }
    public DateOnly LocalDate { get; init; }
    public DateTime CreatedAtUtc { get; init; }
    public decimal GrossSales { get; init; }
    public decimal Discounts { get; init; }
    public decimal Shipping { get; init; }
    public decimal Taxes { get; init; }
    public decimal Total { get; init; }
    public decimal Cogs { get; set; }
    public int LineItems { get; set; }
    public int LineItemsWithCost { get; set; }
    /// <summary>All refunded merchandise of the order, whenever refunded.</summary>
    public decimal Refunded { get; set; }

    /// <summary>Gross − discounts − refunds: the order's net sales once its refunds are known.</summary>
    public decimal NetSales => GrossSales - Discounts - Refunded;

    public bool IsBefore(LedgerOrder other) =>
        LocalDate != other.LocalDate ? LocalDate < other.LocalDate
        : CreatedAtUtc != other.CreatedAtUtc ? CreatedAtUtc < other.CreatedAtUtc
        : Id < other.Id;
}

internal sealed record LedgerRefund(LedgerOrder Order, DateOnly LocalDate, decimal Amount);
