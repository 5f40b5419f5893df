using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Metrics;

/// <summary>
/// Recomputes the current store's <see cref="DailyStoreFacts"/> and every <see cref="Customer.FirstOrderDate"/> from
/// orders, lines (with their costs as <see cref="CostBook"/> decides them), refunds and ad insights. Call it after any bulk change of those (seeding, imports, sync, cost entries); the
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
        var firstOrders = ledger.FirstOrdersByCustomer();
        foreach (var first in firstOrders.Values)
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
        var changedCustomers = 0;
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
            changedCustomers = await UpdateFirstOrderDatesAsync(firstOrders, cancellationToken);
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
            "Daily facts rebuilt: {Days} days from {Orders} orders, {Refunds} refunds and {InsightDays} insight days, {Customers} first-order dates changed, in {ElapsedMs} ms (read {LoadMs} ms)",
            rows.Count, ledger.Orders.Count, ledger.Refunds.Count, insights.Count, changedCustomers, stopwatch.ElapsedMilliseconds, loadedMs);
    }

    /// <summary>
    /// Writes only the first-order dates that differ, set-based from a JSON array: an import of 100k orders
    /// changes ~65k customers, and per-date UPDATEs (one EF query shape per id count) cost seconds. (A correlated MIN()
    /// subquery per customer looks simpler, but SQLite answers it from the orders' date index: a scan per customer.)
    /// </summary>
    private async Task<int> UpdateFirstOrderDatesAsync(Dictionary<long, LedgerOrder> firstOrders, CancellationToken cancellationToken)
    {
        var customers = await db.Customers.AsNoTracking().Select(c => new { c.Id, c.FirstOrderDate }).ToListAsync(cancellationToken);
        var changes = customers
            .Select(c => new FirstOrderDateChange(c.Id, c.FirstOrderDate, firstOrders.TryGetValue(c.Id, out var first) ? first.LocalDate : null))
            .Where(c => c.Wanted != c.Stored)
            .ToList();
        if (changes.Count == 0)
        {
            return 0;
        }
        var json = JsonSerializer.Serialize(changes.Select(c => new { id = c.Id, d = c.Wanted?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }));
        var storeId = db.StoreContext.RequiredStoreId;
        if (db.Database.IsNpgsql())
        {
            return await db.Database.ExecuteSqlAsync(
                $"""UPDATE "Customers" AS c SET "FirstOrderDate" = j.d FROM jsonb_to_recordset({json}::jsonb) AS j(id bigint, d date) WHERE c."Id" = j.id AND c."StoreId" = {storeId}""",
                cancellationToken);
        }
        // SQLite would scan the JSON once per customer in an UPDATE … FROM json_each; a keyed temporary table turns both
        // sides into primary-key lookups. (It lives on this connection, inside the rebuild's transaction.)
        await db.Database.ExecuteSqlRawAsync("CREATE TEMP TABLE IF NOT EXISTS first_order_dates (id INTEGER PRIMARY KEY, d TEXT)", cancellationToken);
        await db.Database.ExecuteSqlRawAsync("DELETE FROM first_order_dates", cancellationToken);
        await db.Database.ExecuteSqlAsync($"INSERT INTO first_order_dates (id, d) SELECT j.value ->> 'id', j.value ->> 'd' FROM json_each({json}) AS j", cancellationToken);
        var changed = await db.Database.ExecuteSqlAsync(
            $"""UPDATE "Customers" SET "FirstOrderDate" = (SELECT f.d FROM first_order_dates AS f WHERE f.id = "Customers"."Id") WHERE "Id" IN (SELECT id FROM first_order_dates) AND "StoreId" = {storeId}""",
            cancellationToken);
        await db.Database.ExecuteSqlRawAsync("DROP TABLE first_order_dates", cancellationToken);
        return changed;
    }

    private sealed record FirstOrderDateChange(long Id, DateOnly? Stored, DateOnly? Wanted);
}
