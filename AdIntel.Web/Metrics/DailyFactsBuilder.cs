using System.Diagnostics;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Metrics;

/// <summary>
/// Recomputes the current store's <see cref="DailyStoreFacts"/> from orders, lines (with their costs as
/// <see cref="CostBook"/> decides them), refunds and ad insights. Call it after any bulk change of those (seeding,
/// imports, sync, cost entries); the
/// <see cref="PendingFactsChange"/> marks those writes leave are cleared here, and stores with marks left by a crash are
/// rebuilt at start.
/// Everything is read as slim projections and aggregated in memory, then written in one transaction, so readers
/// see either the old facts or the new ones, never a half-built table.
/// </summary>
public sealed class DailyFactsBuilder(AdIntelDbContext db, StoreClock clock, LtvCurveProvider ltvCurves, IEnumerable<IFactsRebuiltObserver> observers,
    ILogger<DailyFactsBuilder> logger)
{
    /// <summary>First key of the PostgreSQL advisory lock that serialises rebuilds of one store ("FACT").</summary>
    private const int RebuildLockClass = 0x46414354;

    public async Task RebuildAsync(CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        // Read before the data: a change committed after this read keeps its mark for the next rebuild. Only these ids
        // are cleared, since a transaction still open now may commit a lower id later (PostgreSQL sequences).
        var consumedChanges = await db.PendingFactsChanges.Select(c => c.Id).ToListAsync(cancellationToken);
        var ledger = await OrderLedger.LoadAsync(db, cancellationToken);
        var days = new Dictionary<DateOnly, DailyStoreFacts>();
        DailyStoreFacts Day(DateOnly date)
        {
            if (!days.TryGetValue(date, out var facts))
            {
                facts = new DailyStoreFacts { Date = date };
                days.Add(date, facts);
            }
            return facts;
        }

        foreach (var order in ledger.Orders.Values)
        {
            var day = Day(order.LocalDate);
            day.Orders++;
            day.GrossSales += order.GrossSales;
            day.Discounts += order.Discounts;
            day.Shipping += order.Shipping;
            day.Taxes += order.Taxes;
            day.OrderTotals += order.Total;
            day.Cogs += order.Cogs;
            day.LineItems += order.LineItems;
            day.LineItemsWithCost += order.LineItemsWithCost;
            day.LineSales += order.LineSales;
            day.LineSalesWithCost += order.LineSalesWithCost;
        }
        foreach (var refund in ledger.Refunds)
        {
            Day(refund.LocalDate).Returns += refund.Amount;
        }
        foreach (var first in ledger.FirstOrdersByCustomer().Values)
        {
            var day = Day(first.LocalDate);
            day.NewCustomers++;
            day.NewCustomerNetSales += first.NetSales;
        }

        var insights = await db.AdInsights.AsNoTracking()
            .GroupBy(i => i.Date)
            .Select(g => new
            {
                Date = g.Key,
                Spend = g.Sum(i => i.Spend),
                PurchaseValue = g.Sum(i => i.PurchaseValue),
                Purchases = g.Sum(i => i.Purchases),
                Impressions = g.Sum(i => i.Impressions),
                LinkClicks = g.Sum(i => i.LinkClicks),
            })
            .ToListAsync(cancellationToken);
        foreach (var insight in insights)
        {
            var day = Day(insight.Date);
            day.AdSpend = insight.Spend;
            day.PlatformPurchaseValue = insight.PurchaseValue;
            day.PlatformPurchases = insight.Purchases;
            day.Impressions = insight.Impressions;
            day.LinkClicks = insight.LinkClicks;
        }
        var loadedMs = stopwatch.ElapsedMilliseconds;

        var rows = days.Values.OrderBy(d => d.Date).ToList();
        var ownTransaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            if (db.Database.IsNpgsql())
            {
                // Two imports finishing together would otherwise interleave delete and insert (deadlock or duplicate
                // days); SQLite already runs one writer at a time.
                var storeKey = (int)db.StoreContext.RequiredStoreId;
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({RebuildLockClass}, {storeKey})", cancellationToken);
            }
            await db.DailyFacts.ExecuteDeleteAsync(cancellationToken);
            await BulkWriter.InsertAsync(db, rows, cancellationToken);
            foreach (var chunk in consumedChanges.Chunk(1000))
            {
                await db.PendingFactsChanges.Where(c => chunk.Contains(c.Id)).ExecuteDeleteAsync(cancellationToken);
            }
            if (ownTransaction is not null)
            {
                await ownTransaction.CommitAsync(cancellationToken);
            }
        }
        finally
        {
            if (ownTransaction is not null)
            {
                await ownTransaction.DisposeAsync();
            }
        }

        // The data just changed, so the cached LTV curve is stale; the ledger in hand builds the new one cheaply.
        await ltvCurves.WarmAsync(ledger, await clock.GetTodayAsync(cancellationToken), cancellationToken);

        foreach (var observer in observers)
        {
            observer.FactsRebuilt(db.StoreContext.RequiredStoreId);
        }

        logger.LogInformation(
            "Daily facts rebuilt: {Days} days from {Orders} orders, {Refunds} refunds and {InsightDays} insight days, in {ElapsedMs} ms (read {LoadMs} ms)",
            rows.Count, ledger.Orders.Count, ledger.Refunds.Count, insights.Count, stopwatch.ElapsedMilliseconds, loadedMs);
    }
}
