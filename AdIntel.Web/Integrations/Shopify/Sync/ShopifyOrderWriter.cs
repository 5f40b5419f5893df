using System.Globalization;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Metrics;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Integrations.Shopify.Sync;

/// <summary>
/// Stores Shopify orders (from the sync or from webhooks) in the current store as upserts keyed by Shopify's id, with
/// the orders export's mapping rules (<c>Imports/ShopifyOrdersCsvImporter</c>): gross = Σ unit price × quantity,
/// discounts, shipping and taxes as Shopify totals them, total = what the customer paid; the order's day is its
/// creation date in the store's time zone and a refund's day its own date there; a refund's merchandise amount is what
/// remains of its total after shipping and taxes. A rewritten order gets its lines and refunds replaced (a line keeps
/// the unit cost it was first stored with for the same SKU: the cost "when ordered"); Shopify's refunds replace the
/// single estimated refund a CSV import made.
/// <para>
/// Joins the caller's transaction when there is one (the sync commits a batch together with its checkpoint), else
/// runs in its own. New rows go in with <see cref="BulkWriter"/>; it does not rebuild the daily facts: call
/// <see cref="DailyFactsBuilder.RebuildAsync"/> after a batch of changes.
/// </para>
/// </summary>
public sealed class ShopifyOrderWriter(AdIntelDbContext db)
{
    /// <summary>Values per IN list (EF binds one parameter per value; SQLite binds named parameters in quadratic time).</summary>
    private const int QueryChunk = 250;

    private readonly Dictionary<long, long> _variantIds = [];
    private TimeZoneInfo? _zone;
    /// <summary>After <see cref="PreloadAsync"/>: every stored order of the store by external id, kept current by the writes.</summary>
    private Dictionary<string, StoredOrder>? _orders;
    /// <summary>After <see cref="PreloadAsync"/>: the store's Shopify customers by Shopify id, kept current by the writes.</summary>
    private Dictionary<long, KnownCustomer>? _customers;

    private sealed record KnownCustomer(long Id, string? Email, string? FirstName, string? LastName, DateTime CreatedAtUtc);

    /// <summary>
    /// For a long run of batches (a bulk read of every order): reads the store's order keys and Shopify customers once,
    /// so each batch needs no lookups, only its writes. Not worth it for a single webhook.
    /// </summary>
    public async Task PreloadAsync(CancellationToken cancellationToken)
    {
        var orders = new Dictionary<string, StoredOrder>(StringComparer.Ordinal);
        await foreach (var order in db.Orders.AsNoTracking().Select(o => new { o.ExternalId, o.Id, o.UpdatedAtUtc }).AsAsyncEnumerable()
            .WithCancellation(cancellationToken))
        {
            orders[order.ExternalId] = new StoredOrder(order.Id, order.UpdatedAtUtc);
        }
        var customers = new Dictionary<long, KnownCustomer>();
        var query = db.Customers.AsNoTracking().Select(c => new { c.ExternalId, c.Id, c.Email, c.FirstName, c.LastName, c.CreatedAtUtc });
        await foreach (var customer in query.AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            if (long.TryParse(customer.ExternalId, NumberStyles.None, CultureInfo.InvariantCulture, out var shopifyId))
            {
                customers[shopifyId] = new KnownCustomer(customer.Id, customer.Email, customer.FirstName, customer.LastName, customer.CreatedAtUtc);
            }
        }
        _orders = orders;
        _customers = customers;
    }

    /// <summary>Upserts one order (a webhook).</summary>
    public Task<ShopifyWriteResult> UpsertAsync(ShopifyOrderRecord order, ShopifyWriteMode mode, CancellationToken cancellationToken) =>
        UpsertAsync([order], mode, cancellationToken);

    /// <summary>Upserts a batch of orders with their customers, lines and refunds. A repeated id keeps its newest version.</summary>
    public async Task<ShopifyWriteResult> UpsertAsync(IReadOnlyList<ShopifyOrderRecord> orders, ShopifyWriteMode mode, CancellationToken cancellationToken)
    {
        if (orders.Count == 0)
        {
            return ShopifyWriteResult.None;
        }
        var latest = orders.GroupBy(o => o.Id).Select(g => g.MaxBy(o => o.UpdatedAt)!).ToList();
        var zone = await ZoneAsync(cancellationToken);

        var ownTransaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            var stored = await StoredOrdersAsync(latest, cancellationToken);
            var toWrite = new List<ShopifyOrderRecord>(latest.Count);
            var unchanged = 0;
            foreach (var record in latest)
            {
                if (stored.TryGetValue(Key(record.Id), out var current) && !MustWrite(current.UpdatedAtUtc, record.UpdatedAt.UtcDateTime, mode))
                {
                    unchanged++;
                    continue;
                }
                toWrite.Add(record);
            }
            if (toWrite.Count == 0)
            {
                await CommitAsync(ownTransaction, cancellationToken);
                return new ShopifyWriteResult(0, 0, unchanged);
            }

            var customerIds = await UpsertCustomersAsync(
                toWrite.Where(o => o.Customer is not null).Select(o => (o.Customer!, o.CreatedAt)).ToList(), cancellationToken);
            await ResolveVariantsAsync(toWrite, cancellationToken);

            var created = toWrite.Where(o => !stored.ContainsKey(Key(o.Id))).Select(o => ToOrder(o, zone, customerIds)).ToList();
            await BulkWriter.InsertAsync(db, created, cancellationToken);

            var updated = toWrite.Where(o => stored.ContainsKey(Key(o.Id))).ToList();
            var replacedLines = await UpdateOrdersAsync(updated, stored, zone, customerIds, cancellationToken);

            var lines = new List<OrderLine>();
            var refunds = new List<Refund>();
            foreach (var order in created)
            {
                foreach (var line in order.Lines)
                {
                    line.OrderId = order.Id;
                    lines.Add(line);
                }
                foreach (var refund in order.Refunds)
                {
                    refund.OrderId = order.Id;
                    refunds.Add(refund);
                }
            }
            lines.AddRange(replacedLines.Lines);
            refunds.AddRange(replacedLines.Refunds);
            await BulkWriter.InsertAsync(db, lines, cancellationToken);
            await BulkWriter.InsertAsync(db, refunds, cancellationToken);
            await CommitAsync(ownTransaction, cancellationToken);
            if (_orders is not null)
            {
                // Kept current even inside a caller's transaction that may still roll back: a stale entry only costs a
                // rewrite (an id known here but gone is re-read by the next run, which preloads again).
                foreach (var order in created)
                {
                    _orders[order.ExternalId] = new StoredOrder(order.Id, order.UpdatedAtUtc);
                }
                foreach (var record in updated)
                {
                    _orders[Key(record.Id)] = new StoredOrder(stored[Key(record.Id)].Id, record.UpdatedAt.UtcDateTime);
                }
            }
            return new ShopifyWriteResult(created.Count, updated.Count, unchanged);
        }
        finally
        {
            if (ownTransaction is not null)
            {
                await ownTransaction.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Adds or corrects refunds of a stored order (the refunds/create webhook). False when the order is not stored yet:
    /// the next sync brings it with its refunds.
    /// </summary>
    public async Task<bool> UpsertRefundsAsync(long orderId, IReadOnlyList<ShopifyRefundRecord> refunds, CancellationToken cancellationToken)
    {
        var zone = await ZoneAsync(cancellationToken);
        var key = Key(orderId);
        var order = await db.Orders.AsTracking().Include(o => o.Refunds).SingleOrDefaultAsync(o => o.ExternalId == key, cancellationToken);
        if (order is null)
        {
            return false;
        }
        // Shopify's own refunds make the CSV import's single estimate obsolete.
        order.Refunds.RemoveAll(r => r.ExternalId.StartsWith(Imports.ShopifyOrderMerge.RefundPrefix, StringComparison.Ordinal));
        foreach (var record in refunds)
        {
            var refundKey = Key(record.Id);
            var refund = order.Refunds.FirstOrDefault(r => r.ExternalId == refundKey);
            if (refund is null)
            {
                refund = new Refund { ExternalId = refundKey };
                order.Refunds.Add(refund);
            }
            Apply(refund, record, zone);
        }
        await db.SaveChangesAsync(cancellationToken);
        Detach(order);
        return true;
    }

    /// <summary>
    /// Upserts customers by Shopify id and returns our ids by Shopify id. A customer first known by e-mail (a CSV import)
    /// is taken over rather than duplicated. <paramref name="customers"/> pairs each with a fallback creation time (the
    /// order it came with) for payloads that do not say when the customer was created.
    /// </summary>
    public async Task<Dictionary<long, long>> UpsertCustomersAsync(IReadOnlyList<(ShopifyCustomerRecord Customer, DateTimeOffset Fallback)> customers,
        CancellationToken cancellationToken)
    {
        var result = new Dictionary<long, long>();
        if (customers.Count == 0)
        {
            return result;
        }
        var wanted = new Dictionary<long, (ShopifyCustomerRecord Customer, DateTime CreatedAt)>();
        foreach (var (customer, fallback) in customers)
        {
            var createdAt = (customer.CreatedAt ?? fallback).UtcDateTime;
            if (wanted.TryGetValue(customer.Id, out var known))
            {
                // The same customer on several orders: the richest record wins, created at the earliest time seen.
                createdAt = createdAt < known.CreatedAt ? createdAt : known.CreatedAt;
                wanted[customer.Id] = (customer.Email is not null || known.Customer.Email is null ? customer : known.Customer, createdAt);
            }
            else
            {
                wanted[customer.Id] = (customer, createdAt);
            }
        }

        if (_customers is not null)
        {
            foreach (var (id, (record, createdAt)) in wanted.ToList())
            {
                if (_customers.TryGetValue(id, out var known) && known == Merge(known, record, createdAt))
                {
                    result[id] = known.Id;
                    wanted.Remove(id);
                }
            }
            if (wanted.Count == 0)
            {
                return result;
            }
        }

        var tracked = new List<Customer>();
        foreach (var chunk in wanted.Keys.Select(Key).Chunk(QueryChunk))
        {
            tracked.AddRange(await db.Customers.AsTracking().Where(c => chunk.Contains(c.ExternalId)).ToListAsync(cancellationToken));
        }
        var byKey = tracked.ToDictionary(c => c.ExternalId, StringComparer.Ordinal);

        var missingEmails = wanted.Values.Where(w => !byKey.ContainsKey(Key(w.Customer.Id)) && !string.IsNullOrWhiteSpace(w.Customer.Email))
            .Select(w => "email:" + w.Customer.Email!.Trim().ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();
        var byEmailKey = new Dictionary<string, Customer>(StringComparer.Ordinal);
        foreach (var chunk in missingEmails.Chunk(QueryChunk))
        {
            foreach (var customer in await db.Customers.AsTracking().Where(c => chunk.Contains(c.ExternalId)).ToListAsync(cancellationToken))
            {
                byEmailKey[customer.ExternalId] = customer;
                tracked.Add(customer);
            }
        }

        var created = new List<Customer>();
        foreach (var (id, (record, createdAt)) in wanted)
        {
            var email = string.IsNullOrWhiteSpace(record.Email) ? null : record.Email.Trim().ToLowerInvariant();
            if (!byKey.TryGetValue(Key(id), out var customer) && email is not null && byEmailKey.Remove("email:" + email, out var adopted))
            {
                customer = adopted;
                customer.ExternalId = Key(id);
            }
            if (customer is null)
            {
                created.Add(new Customer { ExternalId = Key(id), Email = email, FirstName = record.FirstName, LastName = record.LastName, CreatedAtUtc = createdAt });
                continue;
            }
            var merged = Merge(new KnownCustomer(customer.Id, customer.Email, customer.FirstName, customer.LastName, customer.CreatedAtUtc), record, createdAt);
            customer.Email = merged.Email;
            customer.FirstName = merged.FirstName;
            customer.LastName = merged.LastName;
            customer.CreatedAtUtc = merged.CreatedAtUtc;
        }
        await db.SaveChangesAsync(cancellationToken);
        await BulkWriter.InsertAsync(db, created, cancellationToken);
        foreach (var customer in tracked.Concat(created))
        {
            var shopifyId = long.Parse(customer.ExternalId, CultureInfo.InvariantCulture);
            result[shopifyId] = customer.Id;
            _customers?[shopifyId] = new KnownCustomer(customer.Id, customer.Email, customer.FirstName, customer.LastName, customer.CreatedAtUtc);
        }
        foreach (var customer in tracked)
        {
            db.Entry(customer).State = EntityState.Detached;
        }
        return result;
    }

    /// <summary>
    /// What a stored customer becomes with a record: what the record says wins (an e-mail lower-cased), absent fields
    /// keep what is stored; the creation time is the record's own, else the earliest order seen.
    /// </summary>
    private static KnownCustomer Merge(KnownCustomer stored, ShopifyCustomerRecord record, DateTime createdAt) => stored with
    {
        Email = string.IsNullOrWhiteSpace(record.Email) ? stored.Email : record.Email.Trim().ToLowerInvariant(),
        FirstName = record.FirstName ?? stored.FirstName,
        LastName = record.LastName ?? stored.LastName,
        CreatedAtUtc = record.CreatedAt is not null || createdAt < stored.CreatedAtUtc ? createdAt : stored.CreatedAtUtc,
    };

    private static bool MustWrite(DateTime storedUpdatedAt, DateTime incomingUpdatedAt, ShopifyWriteMode mode) => mode switch
    {
        ShopifyWriteMode.Sync => storedUpdatedAt != incomingUpdatedAt,
        ShopifyWriteMode.Webhook => incomingUpdatedAt > storedUpdatedAt,
        _ => true,
    };

    private sealed record StoredOrder(long Id, DateTime UpdatedAtUtc);

    private async Task<Dictionary<string, StoredOrder>> StoredOrdersAsync(List<ShopifyOrderRecord> orders, CancellationToken cancellationToken)
    {
        var stored = new Dictionary<string, StoredOrder>(StringComparer.Ordinal);
        if (_orders is not null)
        {
            foreach (var order in orders)
            {
                if (_orders.TryGetValue(Key(order.Id), out var known))
                {
                    stored[Key(order.Id)] = known;
                }
            }
            return stored;
        }
        foreach (var chunk in orders.Select(o => Key(o.Id)).Chunk(QueryChunk))
        {
            var rows = await db.Orders.AsNoTracking().Where(o => chunk.Contains(o.ExternalId))
                .Select(o => new { o.ExternalId, o.Id, o.UpdatedAtUtc }).ToListAsync(cancellationToken);
            foreach (var row in rows)
            {
                stored[row.ExternalId] = new StoredOrder(row.Id, row.UpdatedAtUtc);
            }
        }
        return stored;
    }

    /// <summary>Our variant ids for the lines' Shopify variants (products are synced first; a deleted product's line has none).</summary>
    private async Task ResolveVariantsAsync(List<ShopifyOrderRecord> orders, CancellationToken cancellationToken)
    {
        var missing = orders.SelectMany(o => o.Lines).Where(l => l.VariantId is { } v && !_variantIds.ContainsKey(v))
            .Select(l => Key(l.VariantId!.Value)).Distinct(StringComparer.Ordinal).ToList();
        foreach (var chunk in missing.Chunk(QueryChunk))
        {
            var rows = await db.ProductVariants.AsNoTracking().Where(v => chunk.Contains(v.ExternalId))
                .Select(v => new { v.ExternalId, v.Id }).ToListAsync(cancellationToken);
            foreach (var row in rows)
            {
                _variantIds[long.Parse(row.ExternalId, CultureInfo.InvariantCulture)] = row.Id;
            }
        }
    }

    private Order ToOrder(ShopifyOrderRecord record, TimeZoneInfo zone, Dictionary<long, long> customerIds)
    {
        var order = new Order { ExternalId = Key(record.Id), Name = record.Name };
        ApplyFields(order, record, zone, customerIds);
        order.Lines = record.Lines.Select(l => ToLine(l, previousCost: null)).ToList();
        order.Refunds = record.Refunds.Select(r => Apply(new Refund { ExternalId = Key(r.Id) }, r, zone)).ToList();
        return order;
    }

    private static void ApplyFields(Order order, ShopifyOrderRecord record, TimeZoneInfo zone, Dictionary<long, long> customerIds)
    {
        var createdAt = record.CreatedAt.UtcDateTime;
        order.Name = record.Name;
        order.Email = string.IsNullOrWhiteSpace(record.Email) ? null : record.Email.Trim().ToLowerInvariant();
        order.CustomerId = record.Customer is { } customer ? customerIds[customer.Id] : null;
        order.CreatedAtUtc = createdAt;
        order.LocalDate = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(createdAt, zone));
        order.UpdatedAtUtc = record.UpdatedAt.UtcDateTime;
        order.Currency = record.Currency.ToUpperInvariant();
        order.FinancialStatus = string.IsNullOrEmpty(record.FinancialStatus) ? "paid" : record.FinancialStatus.ToLowerInvariant();
        order.CancelledAtUtc = record.CancelledAt?.UtcDateTime;
        order.IsTest = record.Test;
        order.SourceName = record.SourceName;
        order.GrossSales = record.Lines.Sum(l => l.UnitPrice * l.Quantity);
        order.Discounts = record.TotalDiscounts;
        order.Shipping = record.TotalShipping;
        order.Taxes = record.TotalTax;
        order.Total = record.TotalPrice;
        order.DiscountCode = record.DiscountCode;
    }

    private OrderLine ToLine(ShopifyLineRecord line, decimal? previousCost) => new()
    {
        Title = line.Title,
        Sku = string.IsNullOrEmpty(line.Sku) ? null : line.Sku,
        Quantity = line.Quantity,
        UnitPrice = line.UnitPrice,
        Discount = line.Discount,
        VariantId = line.VariantId is { } v && _variantIds.TryGetValue(v, out var id) ? id : null,
        UnitCost = previousCost ?? line.UnitCost,
    };

    private static Refund Apply(Refund refund, ShopifyRefundRecord record, TimeZoneInfo zone)
    {
        var createdAt = record.CreatedAt.UtcDateTime;
        refund.CreatedAtUtc = createdAt;
        refund.LocalDate = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(createdAt, zone));
        refund.ShippingRefunded = record.Shipping;
        refund.TaxRefunded = record.Tax;
        refund.Amount = record.Total - record.Shipping - record.Tax;
        return refund;
    }

    /// <summary>
    /// Rewrites stored orders: fields through EF, lines and refunds deleted here and returned for one bulk insert. The
    /// child rows are found by order id without the store filter (the ids were just read through it): with the filter,
    /// SQLite's planner scans the store's index instead.
    /// </summary>
    private async Task<(List<OrderLine> Lines, List<Refund> Refunds)> UpdateOrdersAsync(List<ShopifyOrderRecord> records,
        Dictionary<string, StoredOrder> stored, TimeZoneInfo zone, Dictionary<long, long> customerIds, CancellationToken cancellationToken)
    {
        var lines = new List<OrderLine>();
        var refunds = new List<Refund>();
        if (records.Count == 0)
        {
            return (lines, refunds);
        }
        var ids = records.Select(r => stored[Key(r.Id)].Id).ToList();
        var previousCosts = new Dictionary<(long OrderId, string Sku), decimal>();
        var tracked = new Dictionary<long, Order>();
        foreach (var chunk in ids.Chunk(QueryChunk))
        {
            var costs = await db.OrderLines.IgnoreQueryFilters().AsNoTracking()
                .Where(l => chunk.Contains(l.OrderId) && l.Sku != null && l.UnitCost != null)
                .Select(l => new { l.OrderId, l.Sku, l.UnitCost }).ToListAsync(cancellationToken);
            foreach (var cost in costs)
            {
                previousCosts.TryAdd((cost.OrderId, cost.Sku!), cost.UnitCost!.Value);
            }
            db.MarkFactsInputsChanged();
            await db.OrderLines.IgnoreQueryFilters().Where(l => chunk.Contains(l.OrderId)).ExecuteDeleteAsync(cancellationToken);
            await db.Refunds.IgnoreQueryFilters().Where(r => chunk.Contains(r.OrderId)).ExecuteDeleteAsync(cancellationToken);
            foreach (var order in await db.Orders.AsTracking().Where(o => chunk.Contains(o.Id)).ToListAsync(cancellationToken))
            {
                tracked[order.Id] = order;
            }
        }
        foreach (var record in records)
        {
            var order = tracked[stored[Key(record.Id)].Id];
            ApplyFields(order, record, zone, customerIds);
            foreach (var line in record.Lines)
            {
                var previous = line.Sku is { Length: > 0 } sku && previousCosts.TryGetValue((order.Id, sku), out var cost) ? cost : (decimal?)null;
                var row = ToLine(line, previous);
                row.OrderId = order.Id;
                lines.Add(row);
            }
            foreach (var refund in record.Refunds)
            {
                var row = Apply(new Refund { ExternalId = Key(refund.Id) }, refund, zone);
                row.OrderId = order.Id;
                refunds.Add(row);
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        foreach (var order in tracked.Values)
        {
            Detach(order);
        }
        return (lines, refunds);
    }

    private void Detach(Order order)
    {
        foreach (var refund in order.Refunds)
        {
            db.Entry(refund).State = EntityState.Detached;
        }
        db.Entry(order).State = EntityState.Detached;
    }

    private async Task<TimeZoneInfo> ZoneAsync(CancellationToken cancellationToken)
    {
        if (_zone is null)
        {
            var storeId = db.StoreContext.RequiredStoreId;
            var timeZone = await db.Stores.AsNoTracking().Where(s => s.Id == storeId).Select(s => s.TimeZone).SingleAsync(cancellationToken);
            _zone = StoreClock.ResolveTimeZone(timeZone);
        }
        return _zone;
    }

    private static async Task CommitAsync(Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction? ownTransaction, CancellationToken cancellationToken)
    {
        if (ownTransaction is not null)
        {
            await ownTransaction.CommitAsync(cancellationToken);
        }
    }

    /// <summary>Our ExternalId of a Shopify id: its decimal digits (what the orders export's "Id" column holds).</summary>
    public static string Key(long shopifyId) => shopifyId.ToString(CultureInfo.InvariantCulture);
}
