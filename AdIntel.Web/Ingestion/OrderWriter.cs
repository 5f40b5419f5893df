using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace AdIntel.Web.Ingestion;

/// <summary>
/// The one writer of the current store's orders, lines, refunds and customers, for every source: the orders export
/// (CSV import), the Shopify sync and webhooks. Orders are upserts by Shopify's id (or by name, for an order an export
/// without ids stored under it):
/// <list type="bullet">
/// <item>An order's day is its creation date in the store's time zone, a refund's day its own date there; gross sales
/// = Σ unit price × quantity; a refund's merchandise amount is what remains of its total after shipping and taxes.</item>
/// <item>Whether a stored order is rewritten is the <see cref="OrderWriteMode"/>'s call. A rewritten order gets its
/// lines and refunds replaced; a line keeps the unit cost it was first stored with for the same SKU (the cost "when
/// ordered"). An export's estimated refund never replaces Shopify's own refunds; Shopify's replace the estimate.</item>
/// <item>A line is linked to the variant the source names by Shopify id, else to a variant with its SKU (one with a
/// cost first); its unit cost is what the source reports, else that variant's.</item>
/// <item>Customers: see <see cref="IncomingCustomer"/>. A Shopify customer takes over the customer an export created
/// for the same e-mail; an export's order goes to the Shopify customer with its e-mail before an e-mail-only one.</item>
/// </list>
/// Joins the caller's transaction when there is one (the sync commits a batch with its checkpoint), else writes each
/// call in one of its own. New rows go in with <see cref="BulkWriter"/>, changes through EF; the daily facts are not
/// rebuilt here: call <see cref="DailyFactsBuilder.RebuildAsync"/> after a run of writes.
/// </summary>
public sealed class OrderWriter(AdIntelDbContext db, TimeProvider time)
{
    /// <summary>External id prefix of the one refund an export's "Refunded Amount" becomes ("csv:" + the order's id).</summary>
    public const string EstimatedRefundPrefix = "csv:";
    /// <summary>External id prefix of a customer known only by e-mail ("email:" + the lower-cased e-mail).</summary>
    public const string EmailCustomerPrefix = "email:";
    /// <summary>Values per IN list (EF binds one parameter per value; SQLite binds named parameters in quadratic time).</summary>
    private const int QueryChunk = 250;

    private StoreDefaults? _store;
    /// <summary>After <see cref="PreloadAsync"/>: every stored order by external id, kept current by the writes.</summary>
    private Dictionary<string, StoredOrder>? _orders;
    /// <summary>After <see cref="PreloadAsync"/>: the store's customers by Shopify id and by e-mail, kept current by the writes.</summary>
    private CustomerIndex? _customers;
    private readonly Dictionary<string, KnownVariant> _variantsByShopifyId = new(StringComparer.Ordinal);
    /// <summary>Loaded on the first line that has to be linked by SKU.</summary>
    private Dictionary<string, KnownVariant>? _variantsBySku;

    private sealed record StoreDefaults(TimeZoneInfo Zone, string Currency);
    private sealed record StoredOrder(long Id, DateTime UpdatedAtUtc);
    private sealed record KnownCustomer(long Id, string? Email, string? FirstName, string? LastName, DateTime CreatedAtUtc);
    private readonly record struct KnownVariant(long Id, decimal? UnitCost);

    private sealed class CustomerIndex
    {
        public Dictionary<string, KnownCustomer> ByShopifyId { get; } = new(StringComparer.Ordinal);
        /// <summary>Lower-cased e-mail → customer id; a Shopify customer wins over an e-mail-only one.</summary>
        public Dictionary<string, long> ByEmail { get; } = new(StringComparer.Ordinal);

        public void Add(Customer customer)
        {
            if (IsEmailOnly(customer.ExternalId))
            {
                ByEmail.TryAdd(customer.ExternalId[EmailCustomerPrefix.Length..], customer.Id);
                return;
            }
            ByShopifyId[customer.ExternalId] = new KnownCustomer(customer.Id, customer.Email, customer.FirstName, customer.LastName, customer.CreatedAtUtc);
            if (NormaliseEmail(customer.Email) is { } email)
            {
                ByEmail[email] = customer.Id;
            }
        }
    }

    /// <summary>
    /// For a long run of batches (an import, a bulk read of every order): reads the store's order keys and customers
    /// once, so each batch needs no lookups, only its writes. Not worth it for a single webhook.
    /// </summary>
    public async Task PreloadAsync(CancellationToken cancellationToken)
    {
        var orders = new Dictionary<string, StoredOrder>(StringComparer.Ordinal);
        await foreach (var order in db.Orders.AsNoTracking().Select(o => new { o.ExternalId, o.Id, o.UpdatedAtUtc }).AsAsyncEnumerable()
            .WithCancellation(cancellationToken))
        {
            orders[order.ExternalId] = new StoredOrder(order.Id, order.UpdatedAtUtc);
        }
        var customers = new CustomerIndex();
        var query = db.Customers.AsNoTracking().Select(c => new Customer
        {
            Id = c.Id, ExternalId = c.ExternalId, Email = c.Email, FirstName = c.FirstName, LastName = c.LastName, CreatedAtUtc = c.CreatedAtUtc,
        });
        await foreach (var customer in query.AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            customers.Add(customer);
        }
        _orders = orders;
        _customers = customers;
        await StoreAsync(cancellationToken);
    }

    /// <summary>Upserts one order (a webhook).</summary>
    public Task<OrderWriteResult> UpsertAsync(IncomingOrder order, OrderWriteMode mode, CancellationToken cancellationToken) =>
        UpsertAsync([order], mode, cancellationToken);

    /// <summary>Upserts a batch of orders with their customers, lines and refunds. A repeated id keeps its newest version.</summary>
    public async Task<OrderWriteResult> UpsertAsync(IReadOnlyList<IncomingOrder> orders, OrderWriteMode mode, CancellationToken cancellationToken)
    {
        await StoreAsync(cancellationToken);
        return await UpsertAsync(Prepare(orders), mode, cancellationToken);
    }

    /// <summary>
    /// Builds the rows of a batch (CPU only, no database; any thread, after <see cref="PreloadAsync"/>), so a caller
    /// can prepare the next batch while the last one is written. A repeated id keeps its newest version.
    /// </summary>
    public PreparedBatch Prepare(IReadOnlyList<IncomingOrder> orders)
    {
        var store = _store ?? throw new InvalidOperationException("PreloadAsync comes before Prepare.");
        var now = time.GetUtcNow().UtcDateTime;
        var latest = Latest(orders);
        var prepared = new List<PreparedOrder>(latest.Count);
        foreach (var incoming in latest)
        {
            var customer = incoming.Customer is { } record ? Wanted(record, incoming.CreatedAtUtc) : null;
            prepared.Add(new PreparedOrder(incoming, ToRow(incoming, store, now), customer));
        }
        return new PreparedBatch(prepared);
    }

    /// <summary>Orders turned into rows by <see cref="Prepare"/>, to be written by <see cref="UpsertAsync(PreparedBatch, OrderWriteMode, CancellationToken)"/>.</summary>
    public sealed class PreparedBatch
    {
        internal PreparedBatch(List<PreparedOrder> orders) => Orders = orders;

        internal List<PreparedOrder> Orders { get; }
    }

    /// <summary>An incoming order, its row (without customer and variant links) and its customer, if any.</summary>
    internal sealed record PreparedOrder(IncomingOrder Incoming, Order Row, WantedCustomer? Customer);

    /// <summary>Writes a batch made by <see cref="Prepare"/>.</summary>
    public async Task<OrderWriteResult> UpsertAsync(PreparedBatch batch, OrderWriteMode mode, CancellationToken cancellationToken)
    {
        if (batch.Orders.Count == 0)
        {
            return OrderWriteResult.None;
        }
        var ownTransaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            var stored = await FindStoredAsync(batch.Orders, cancellationToken);
            var candidates = new List<PreparedOrder>(batch.Orders.Count);
            var unchanged = 0;
            foreach (var order in batch.Orders)
            {
                if (stored.TryGetValue(order, out var current) && mode != OrderWriteMode.IfDifferent
                    && !MustWrite(current.Order.UpdatedAtUtc, order.Incoming.UpdatedAtUtc, mode))
                {
                    unchanged++;
                    continue;
                }
                candidates.Add(order);
            }
            if (candidates.Count == 0)
            {
                await CommitAsync(ownTransaction, cancellationToken);
                return new OrderWriteResult(0, 0, unchanged, 0, 0);
            }

            var wantedCustomers = new List<WantedCustomer>(candidates.Count);
            foreach (var order in candidates)
            {
                if (order.Customer is { } customer)
                {
                    wantedCustomers.Add(customer);
                }
            }
            var (customerIds, customersCreated) = await WriteCustomersAsync(wantedCustomers, cancellationToken);
            await ResolveVariantsAsync(candidates, cancellationToken);

            var created = new List<Order>();
            var rewrites = new List<Rewrite>();
            foreach (var order in candidates)
            {
                Link(order, customerIds);
                if (stored.TryGetValue(order, out var current))
                {
                    rewrites.Add(new Rewrite(order.Row, current.Order.Id, current.Key, order.Incoming.RefundsAreEstimated));
                }
                else
                {
                    created.Add(order.Row);
                }
            }
            var refunds = 0;
            if (mode == OrderWriteMode.IfDifferent)
            {
                (rewrites, var same, refunds) = await DifferentAsync(rewrites, cancellationToken);
                unchanged += same;
            }

            await BulkWriter.InsertAsync(db, created, cancellationToken);
            var (lines, newRefunds, rewrittenRefunds) = await RewriteAsync(rewrites, cancellationToken);
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
                    newRefunds.Add(refund);
                }
                refunds += order.Refunds.Count;
            }
            await BulkWriter.InsertAsync(db, lines, cancellationToken);
            await BulkWriter.InsertAsync(db, newRefunds, cancellationToken);
            await CommitAsync(ownTransaction, cancellationToken);
            if (mode != OrderWriteMode.IfDifferent)
            {
                refunds += rewrittenRefunds;
            }

            if (_orders is not null)
            {
                // Kept current even inside a caller's transaction that may still roll back: a stale entry only costs a
                // rewrite (an id known here but gone is re-read by the next run, which preloads again).
                foreach (var order in created)
                {
                    _orders[order.ExternalId] = new StoredOrder(order.Id, order.UpdatedAtUtc);
                }
                foreach (var rewrite in rewrites)
                {
                    _orders.Remove(rewrite.StoredKey);
                    _orders[rewrite.Order.ExternalId] = new StoredOrder(rewrite.StoredId, rewrite.Order.UpdatedAtUtc);
                }
            }
            return new OrderWriteResult(created.Count, rewrites.Count, unchanged, customersCreated, refunds);
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
    /// Adds or corrects refunds of a stored order (Shopify's refunds/create webhook). False when the order is not stored
    /// yet: the next sync brings it with its refunds.
    /// </summary>
    public async Task<bool> UpsertRefundsAsync(string orderExternalId, IReadOnlyList<IncomingRefund> refunds, CancellationToken cancellationToken)
    {
        var store = await StoreAsync(cancellationToken);
        var order = await db.Orders.AsTracking().Include(o => o.Refunds).SingleOrDefaultAsync(o => o.ExternalId == orderExternalId, cancellationToken);
        if (order is null)
        {
            return false;
        }
        // Shopify's own refunds make the export's single estimate obsolete.
        order.Refunds.RemoveAll(IsEstimate);
        foreach (var incoming in refunds)
        {
            var refund = order.Refunds.FirstOrDefault(r => r.ExternalId == incoming.ExternalId);
            if (refund is null)
            {
                refund = new Refund { ExternalId = incoming.ExternalId! };
                order.Refunds.Add(refund);
            }
            Apply(refund, incoming, store.Zone);
        }
        await db.SaveChangesAsync(cancellationToken);
        Detach(order);
        return true;
    }

    /// <summary>
    /// Upserts customers (Shopify's customer list); returns how many were created. Each comes with the time it was first
    /// seen, for records that do not say when the customer was created.
    /// </summary>
    public async Task<int> UpsertCustomersAsync(IReadOnlyList<(IncomingCustomer Customer, DateTime FirstSeenUtc)> customers,
        CancellationToken cancellationToken)
    {
        var ownTransaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            var wanted = customers.Select(c => Wanted(c.Customer, c.FirstSeenUtc)).OfType<WantedCustomer>().ToList();
            var (_, created) = await WriteCustomersAsync(wanted, cancellationToken);
            await CommitAsync(ownTransaction, cancellationToken);
            return created;
        }
        finally
        {
            if (ownTransaction is not null)
            {
                await ownTransaction.DisposeAsync();
            }
        }
    }

    // ---- orders ----

    /// <summary>One version per order id: the newest by updated_at (the first of equals).</summary>
    private static List<IncomingOrder> Latest(IReadOnlyList<IncomingOrder> orders)
    {
        var byId = new Dictionary<string, int>(orders.Count, StringComparer.Ordinal);
        var latest = new List<IncomingOrder>(orders.Count);
        foreach (var order in orders)
        {
            if (!byId.TryGetValue(order.ExternalId, out var index))
            {
                byId[order.ExternalId] = latest.Count;
                latest.Add(order);
            }
            else if (order.UpdatedAtUtc > latest[index].UpdatedAtUtc)
            {
                latest[index] = order;
            }
        }
        return latest;
    }

    private static bool MustWrite(DateTime storedUpdatedAt, DateTime? incomingUpdatedAt, OrderWriteMode mode) => mode switch
    {
        OrderWriteMode.IfUpdatedAtDiffers => incomingUpdatedAt != storedUpdatedAt,
        OrderWriteMode.IfNewer => incomingUpdatedAt is not { } at || at > storedUpdatedAt,
        _ => true,
    };

    /// <summary>A stored order and the external id it was found under.</summary>
    private sealed record StoredMatch(StoredOrder Order, string Key);

    /// <summary>The stored orders of these incoming ones: by external id, else by name (an export without ids keyed them so).</summary>
    private async Task<Dictionary<PreparedOrder, StoredMatch>> FindStoredAsync(List<PreparedOrder> orders, CancellationToken cancellationToken)
    {
        var known = _orders;
        if (known is null)
        {
            known = new Dictionary<string, StoredOrder>(StringComparer.Ordinal);
            var keys = orders.Select(o => o.Incoming.ExternalId).Concat(orders.Select(o => o.Incoming.Name)).Distinct(StringComparer.Ordinal);
            foreach (var chunk in keys.Chunk(QueryChunk))
            {
                var rows = await db.Orders.AsNoTracking().Where(o => chunk.Contains(o.ExternalId))
                    .Select(o => new { o.ExternalId, o.Id, o.UpdatedAtUtc }).ToListAsync(cancellationToken);
                foreach (var row in rows)
                {
                    known[row.ExternalId] = new StoredOrder(row.Id, row.UpdatedAtUtc);
                }
            }
        }
        var stored = new Dictionary<PreparedOrder, StoredMatch>(ReferenceEqualityComparer.Instance);
        foreach (var order in orders)
        {
            if (known.TryGetValue(order.Incoming.ExternalId, out var byId))
            {
                stored[order] = new StoredMatch(byId, order.Incoming.ExternalId);
            }
            else if (known.TryGetValue(order.Incoming.Name, out var byName))
            {
                stored[order] = new StoredMatch(byName, order.Incoming.Name);
            }
        }
        return stored;
    }

    /// <summary>The order's row with its lines and refunds; its customer and the lines' variants are linked by <see cref="Link"/>.</summary>
    private static Order ToRow(IncomingOrder incoming, StoreDefaults store, DateTime now)
    {
        var order = new Order
        {
            ExternalId = incoming.ExternalId,
            Name = incoming.Name,
            Email = NormaliseEmail(incoming.Email),
            CreatedAtUtc = incoming.CreatedAtUtc,
            LocalDate = LocalDate(incoming.CreatedAtUtc, store.Zone),
            UpdatedAtUtc = incoming.UpdatedAtUtc ?? now,
            Currency = string.IsNullOrEmpty(incoming.Currency) ? store.Currency : incoming.Currency.ToUpperInvariant(),
            FinancialStatus = string.IsNullOrEmpty(incoming.FinancialStatus) ? "paid" : incoming.FinancialStatus.ToLowerInvariant(),
            CancelledAtUtc = incoming.CancelledAtUtc,
            IsTest = incoming.IsTest,
            SourceName = incoming.SourceName,
            GrossSales = incoming.GrossSales,
            Discounts = incoming.Discounts,
            Shipping = incoming.Shipping,
            Taxes = incoming.Taxes,
            Total = incoming.Total,
            DiscountCode = incoming.DiscountCode,
            Lines = new List<OrderLine>(incoming.Lines.Count),
            Refunds = new List<Refund>(incoming.Refunds.Count),
        };
        foreach (var line in incoming.Lines)
        {
            order.Lines.Add(new OrderLine
            {
                Title = line.Title,
                Sku = string.IsNullOrEmpty(line.Sku) ? null : line.Sku,
                Quantity = line.Quantity,
                UnitPrice = line.UnitPrice,
                Discount = line.Discount,
                UnitCost = line.UnitCost,
            });
        }
        foreach (var refund in incoming.Refunds)
        {
            var externalId = incoming.RefundsAreEstimated ? EstimatedRefundPrefix + incoming.ExternalId : refund.ExternalId!;
            order.Refunds.Add(Apply(new Refund { ExternalId = externalId }, refund, store.Zone));
        }
        return order;
    }

    /// <summary>Links the row to its customer and its lines to their variants (a line without a cost of its own takes the variant's).</summary>
    private void Link(PreparedOrder order, Dictionary<string, long> customerIds)
    {
        order.Row.CustomerId = order.Customer is { } customer ? customerIds[customer.Key] : null;
        var lines = order.Incoming.Lines;
        for (var i = 0; i < lines.Count; i++)
        {
            if (Variant(lines[i]) is { } variant)
            {
                var row = order.Row.Lines[i];
                row.VariantId = variant.Id;
                row.UnitCost ??= variant.UnitCost;
            }
        }
    }

    private static Refund Apply(Refund refund, IncomingRefund incoming, TimeZoneInfo zone)
    {
        refund.CreatedAtUtc = incoming.CreatedAtUtc;
        refund.LocalDate = LocalDate(incoming.CreatedAtUtc, zone);
        refund.ShippingRefunded = incoming.Shipping;
        refund.TaxRefunded = incoming.Tax;
        refund.Amount = incoming.Total - incoming.Shipping - incoming.Tax;
        return refund;
    }

    private static DateOnly LocalDate(DateTime utc, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(utc, zone));

    private static bool IsEstimate(Refund refund) => refund.ExternalId.StartsWith(EstimatedRefundPrefix, StringComparison.Ordinal);

    /// <summary>An incoming order that replaces a stored one (<paramref name="StoredId"/>).</summary>
    private sealed record Rewrite(Order Order, long StoredId, string StoredKey, bool RefundsAreEstimated);

    /// <summary>
    /// Of the rewrites, those whose stored order (read without tracking, with its lines and refunds) differs from what
    /// the source says; the others are unchanged. Also counts the orders whose refunds differ.
    /// </summary>
    private async Task<(List<Rewrite> Changed, int Unchanged, int RefundsChanged)> DifferentAsync(List<Rewrite> rewrites, CancellationToken cancellationToken)
    {
        var changed = new List<Rewrite>();
        if (rewrites.Count == 0)
        {
            return (changed, 0, 0);
        }
        var stored = await LoadOrdersAsync(rewrites.Select(r => r.StoredId).ToList(), cancellationToken);
        var refundsChanged = 0;
        foreach (var rewrite in rewrites)
        {
            var current = stored[rewrite.StoredId];
            var refundsDiffer = RefundsDiffer(current, rewrite);
            if (refundsDiffer || !SameFields(current, rewrite.Order) || !SameLines(current.Lines.OrderBy(l => l.Id).ToList(), rewrite.Order.Lines))
            {
                changed.Add(rewrite);
                refundsChanged += refundsDiffer ? 1 : 0;
            }
        }
        return (changed, rewrites.Count - changed.Count, refundsChanged);
    }

    private static bool SameFields(Order stored, Order incoming) =>
        stored.ExternalId == incoming.ExternalId && stored.Name == incoming.Name && stored.Email == incoming.Email
        && stored.CustomerId == incoming.CustomerId && stored.CreatedAtUtc == incoming.CreatedAtUtc && stored.LocalDate == incoming.LocalDate
        && stored.Currency == incoming.Currency && stored.FinancialStatus == incoming.FinancialStatus
        && stored.CancelledAtUtc == incoming.CancelledAtUtc && stored.IsTest == incoming.IsTest && stored.SourceName == incoming.SourceName
        && stored.GrossSales == incoming.GrossSales && stored.Discounts == incoming.Discounts && stored.Shipping == incoming.Shipping
        && stored.Taxes == incoming.Taxes && stored.Total == incoming.Total && stored.DiscountCode == incoming.DiscountCode;

    /// <summary>Lines compare on what the source says; the unit cost and the variant link are ours.</summary>
    private static bool SameLines(List<OrderLine> stored, List<OrderLine> incoming) =>
        stored.Count == incoming.Count
        && stored.Zip(incoming).All(p => p.First.Title == p.Second.Title && p.First.Sku == p.Second.Sku
            && p.First.Quantity == p.Second.Quantity && p.First.UnitPrice == p.Second.UnitPrice && p.First.Discount == p.Second.Discount);

    private static bool RefundsDiffer(Order stored, Rewrite rewrite)
    {
        if (rewrite.RefundsAreEstimated && stored.Refunds.Any(r => !IsEstimate(r)))
        {
            return false;
        }
        var current = stored.Refunds.OrderBy(r => r.ExternalId, StringComparer.Ordinal).ToList();
        var incoming = rewrite.Order.Refunds.OrderBy(r => r.ExternalId, StringComparer.Ordinal).ToList();
        return current.Count != incoming.Count
            || current.Zip(incoming).Any(p => p.First.ExternalId != p.Second.ExternalId || p.First.Amount != p.Second.Amount
                || p.First.ShippingRefunded != p.Second.ShippingRefunded || p.First.TaxRefunded != p.Second.TaxRefunded
                || p.First.LocalDate != p.Second.LocalDate || p.First.CreatedAtUtc != p.Second.CreatedAtUtc);
    }

    /// <summary>
    /// Stored orders with their lines and refunds, untracked, by id. Lines and refunds are found by order id without the
    /// store filter: with it SQLite's planner picks the StoreId index and scans every line of the store for each batch.
    /// The ids were just read through the store filter, so nothing of another store can come back.
    /// </summary>
    private async Task<Dictionary<long, Order>> LoadOrdersAsync(List<long> ids, CancellationToken cancellationToken)
    {
        var stored = new Dictionary<long, Order>(ids.Count);
        foreach (var chunk in ids.Distinct().Chunk(QueryChunk))
        {
            foreach (var order in await db.Orders.AsNoTracking().Where(o => chunk.Contains(o.Id)).ToListAsync(cancellationToken))
            {
                stored[order.Id] = order;
            }
            await foreach (var line in db.OrderLines.IgnoreQueryFilters().AsNoTracking().Where(l => chunk.Contains(l.OrderId)).AsAsyncEnumerable()
                .WithCancellation(cancellationToken))
            {
                stored[line.OrderId].Lines.Add(line);
            }
            await foreach (var refund in db.Refunds.IgnoreQueryFilters().AsNoTracking().Where(r => chunk.Contains(r.OrderId)).AsAsyncEnumerable()
                .WithCancellation(cancellationToken))
            {
                stored[refund.OrderId].Refunds.Add(refund);
            }
        }
        return stored;
    }

    /// <summary>
    /// Rewrites stored orders: fields through EF; lines, and refunds unless an estimate meets Shopify's own, deleted here
    /// and returned for one bulk insert with the new orders' (child rows found by order id without the store filter, as
    /// in <see cref="LoadOrdersAsync"/>). Also returns how many of the orders got refunds.
    /// </summary>
    private async Task<(List<OrderLine> Lines, List<Refund> Refunds, int OrdersWithRefunds)> RewriteAsync(List<Rewrite> rewrites,
        CancellationToken cancellationToken)
    {
        var lines = new List<OrderLine>();
        var refunds = new List<Refund>();
        if (rewrites.Count == 0)
        {
            return (lines, refunds, 0);
        }
        var previousCosts = new Dictionary<(long OrderId, string Sku), decimal>();
        var keepRefunds = new HashSet<long>();
        var tracked = new Dictionary<long, Order>();
        foreach (var chunk in rewrites.Chunk(QueryChunk))
        {
            var ids = chunk.Select(r => r.StoredId).ToList();
            var costs = await db.OrderLines.IgnoreQueryFilters().AsNoTracking()
                .Where(l => ids.Contains(l.OrderId) && l.Sku != null && l.UnitCost != null).OrderBy(l => l.Id)
                .Select(l => new { l.OrderId, l.Sku, l.UnitCost }).ToListAsync(cancellationToken);
            foreach (var cost in costs)
            {
                previousCosts.TryAdd((cost.OrderId, cost.Sku!), cost.UnitCost!.Value);
            }
            var estimated = chunk.Where(r => r.RefundsAreEstimated).Select(r => r.StoredId).ToList();
            if (estimated.Count > 0)
            {
                keepRefunds.UnionWith(await db.Refunds.IgnoreQueryFilters().AsNoTracking()
                    .Where(r => estimated.Contains(r.OrderId) && !r.ExternalId.StartsWith(EstimatedRefundPrefix))
                    .Select(r => r.OrderId).Distinct().ToListAsync(cancellationToken));
            }
            var replaceRefunds = ids.Where(id => !keepRefunds.Contains(id)).ToList();
            db.MarkFactsInputsChanged();
            await db.OrderLines.IgnoreQueryFilters().Where(l => ids.Contains(l.OrderId)).ExecuteDeleteAsync(cancellationToken);
            await db.Refunds.IgnoreQueryFilters().Where(r => replaceRefunds.Contains(r.OrderId)).ExecuteDeleteAsync(cancellationToken);
            foreach (var order in await db.Orders.AsTracking().Where(o => ids.Contains(o.Id)).ToListAsync(cancellationToken))
            {
                tracked[order.Id] = order;
            }
        }
        var ordersWithRefunds = 0;
        foreach (var rewrite in rewrites)
        {
            var order = tracked[rewrite.StoredId];
            CopyFields(rewrite.Order, order);
            foreach (var line in rewrite.Order.Lines)
            {
                if (line.Sku is { } sku && previousCosts.TryGetValue((order.Id, sku), out var cost))
                {
                    line.UnitCost = cost;
                }
                line.OrderId = order.Id;
                lines.Add(line);
            }
            if (keepRefunds.Contains(order.Id))
            {
                continue;
            }
            foreach (var refund in rewrite.Order.Refunds)
            {
                refund.OrderId = order.Id;
                refunds.Add(refund);
            }
            ordersWithRefunds += rewrite.Order.Refunds.Count > 0 ? 1 : 0;
        }
        await db.SaveChangesAsync(cancellationToken);
        foreach (var order in tracked.Values)
        {
            db.Entry(order).State = EntityState.Detached;
        }
        return (lines, refunds, ordersWithRefunds);
    }

    private static void CopyFields(Order from, Order to)
    {
        to.ExternalId = from.ExternalId;
        to.Name = from.Name;
        to.Email = from.Email;
        to.CustomerId = from.CustomerId;
        to.CreatedAtUtc = from.CreatedAtUtc;
        to.LocalDate = from.LocalDate;
        to.UpdatedAtUtc = from.UpdatedAtUtc;
        to.Currency = from.Currency;
        to.FinancialStatus = from.FinancialStatus;
        to.CancelledAtUtc = from.CancelledAtUtc;
        to.IsTest = from.IsTest;
        to.SourceName = from.SourceName;
        to.GrossSales = from.GrossSales;
        to.Discounts = from.Discounts;
        to.Shipping = from.Shipping;
        to.Taxes = from.Taxes;
        to.Total = from.Total;
        to.DiscountCode = from.DiscountCode;
    }

    // ---- variants ----

    /// <summary>Our variants for the lines' Shopify variant ids (products are synced first; a deleted product's line names none).</summary>
    private async Task ResolveVariantsAsync(List<PreparedOrder> orders, CancellationToken cancellationToken)
    {
        var missing = new HashSet<string>(StringComparer.Ordinal);
        var bySku = false;
        foreach (var line in orders.SelectMany(o => o.Incoming.Lines))
        {
            if (line.VariantExternalId is { } id && !_variantsByShopifyId.ContainsKey(id))
            {
                missing.Add(id);
            }
            bySku |= line.VariantExternalId is null && !string.IsNullOrEmpty(line.Sku);
        }
        foreach (var chunk in missing.Chunk(QueryChunk))
        {
            var rows = await db.ProductVariants.AsNoTracking().Where(v => chunk.Contains(v.ExternalId))
                .Select(v => new { v.ExternalId, v.Id, v.UnitCost }).ToListAsync(cancellationToken);
            foreach (var row in rows)
            {
                _variantsByShopifyId[row.ExternalId] = new KnownVariant(row.Id, row.UnitCost);
            }
        }
        bySku |= orders.SelectMany(o => o.Incoming.Lines).Any(l => l.VariantExternalId is { } id && !_variantsByShopifyId.ContainsKey(id) && !string.IsNullOrEmpty(l.Sku));
        if (bySku && _variantsBySku is null)
        {
            var variants = new Dictionary<string, KnownVariant>(StringComparer.Ordinal);
            var query = db.ProductVariants.AsNoTracking().Where(v => v.Sku != null && v.Sku != "").OrderBy(v => v.Id).Select(v => new { v.Id, v.Sku, v.UnitCost });
            await foreach (var variant in query.AsAsyncEnumerable().WithCancellation(cancellationToken))
            {
                if (!variants.TryGetValue(variant.Sku!, out var known) || (known.UnitCost is null && variant.UnitCost is not null))
                {
                    variants[variant.Sku!] = new KnownVariant(variant.Id, variant.UnitCost);
                }
            }
            _variantsBySku = variants;
        }
    }

    private KnownVariant? Variant(IncomingOrderLine line)
    {
        if (line.VariantExternalId is { } id && _variantsByShopifyId.TryGetValue(id, out var byId))
        {
            return byId;
        }
        return !string.IsNullOrEmpty(line.Sku) && _variantsBySku is not null && _variantsBySku.TryGetValue(line.Sku, out var bySku) ? bySku : null;
    }

    // ---- customers ----

    private static bool IsEmailOnly(string externalId) => externalId.StartsWith(EmailCustomerPrefix, StringComparison.Ordinal);

    private static string? NormaliseEmail(string? email) => string.IsNullOrWhiteSpace(email) ? null : email.Trim().ToLowerInvariant();

    /// <summary>
    /// A customer record with how it is identified (<paramref name="Key"/>: Shopify's id, else "email:" + the
    /// lower-cased <paramref name="Email"/>) and when it was created: the record's own time, else when it was first seen.
    /// </summary>
    internal sealed record WantedCustomer(string Key, string? Email, IncomingCustomer Record, DateTime CreatedAtUtc)
    {
        public bool IsEmailOnly => Record.ShopifyId is null;
    }

    /// <summary>Null for a record with neither a Shopify id nor an e-mail (a guest).</summary>
    private static WantedCustomer? Wanted(IncomingCustomer record, DateTime firstSeenUtc)
    {
        var email = NormaliseEmail(record.Email);
        var key = record.ShopifyId ?? (email is null ? null : EmailCustomerPrefix + email);
        return key is null ? null : new WantedCustomer(key, email, record, record.CreatedAtUtc ?? firstSeenUtc);
    }

    /// <summary>
    /// Upserts customers; returns our ids by <see cref="WantedCustomer.Key"/> and how many were created. The same
    /// customer on several orders: the first record with an e-mail wins, created at the earliest time seen.
    /// </summary>
    private async Task<(Dictionary<string, long> Ids, int Created)> WriteCustomersAsync(List<WantedCustomer> customers, CancellationToken cancellationToken)
    {
        var ids = new Dictionary<string, long>(StringComparer.Ordinal);
        var wanted = new Dictionary<string, WantedCustomer>(StringComparer.Ordinal);
        foreach (var customer in customers)
        {
            if (!wanted.TryGetValue(customer.Key, out var known))
            {
                wanted[customer.Key] = customer;
                continue;
            }
            var chosen = known.Email is null && customer.Email is not null ? customer : known;
            wanted[customer.Key] = chosen with { CreatedAtUtc = customer.CreatedAtUtc < known.CreatedAtUtc ? customer.CreatedAtUtc : known.CreatedAtUtc };
        }
        if (wanted.Count == 0)
        {
            return (ids, 0);
        }
        var created = new List<Customer>();
        var tracked = new List<Customer>();
        var shopifyCustomers = new List<WantedCustomer>();
        var emailCustomers = new List<WantedCustomer>();
        foreach (var customer in wanted.Values)
        {
            (customer.IsEmailOnly ? emailCustomers : shopifyCustomers).Add(customer);
        }
        await UpsertShopifyCustomersAsync(shopifyCustomers, ids, created, tracked, cancellationToken);
        await FindEmailCustomersAsync(emailCustomers, ids, created, cancellationToken);

        await db.SaveChangesAsync(cancellationToken);
        await BulkWriter.InsertAsync(db, created, cancellationToken);
        foreach (var customer in tracked.Concat(created))
        {
            ids[customer.ExternalId] = customer.Id;
            _customers?.Add(customer);
        }
        foreach (var customer in tracked)
        {
            db.Entry(customer).State = EntityState.Detached;
        }
        return (ids, created.Count);
    }

    /// <summary>
    /// Customers with Shopify's id: found by it, else the e-mail-only customer of their e-mail is taken over rather than
    /// duplicated; what the record says updates the stored customer.
    /// </summary>
    private async Task UpsertShopifyCustomersAsync(List<WantedCustomer> wanted, Dictionary<string, long> ids, List<Customer> created,
        List<Customer> tracked, CancellationToken cancellationToken)
    {
        if (_customers is not null)
        {
            wanted = wanted.Where(w =>
            {
                if (_customers.ByShopifyId.TryGetValue(w.Key, out var known) && known == Merge(known, w))
                {
                    ids[w.Key] = known.Id;
                    return false;
                }
                return true;
            }).ToList();
        }
        if (wanted.Count == 0)
        {
            return;
        }
        var byKey = new Dictionary<string, Customer>(StringComparer.Ordinal);
        foreach (var chunk in wanted.Select(w => w.Key).Chunk(QueryChunk))
        {
            foreach (var customer in await db.Customers.AsTracking().Where(c => chunk.Contains(c.ExternalId)).ToListAsync(cancellationToken))
            {
                byKey[customer.ExternalId] = customer;
                tracked.Add(customer);
            }
        }
        var adoptable = wanted.Where(w => !byKey.ContainsKey(w.Key) && w.Email is not null)
            .Select(w => EmailCustomerPrefix + w.Email).Distinct(StringComparer.Ordinal).ToList();
        var byEmailKey = new Dictionary<string, Customer>(StringComparer.Ordinal);
        foreach (var chunk in adoptable.Chunk(QueryChunk))
        {
            foreach (var customer in await db.Customers.AsTracking().Where(c => chunk.Contains(c.ExternalId)).ToListAsync(cancellationToken))
            {
                byEmailKey[customer.ExternalId] = customer;
                tracked.Add(customer);
            }
        }
        foreach (var want in wanted)
        {
            if (!byKey.TryGetValue(want.Key, out var customer) && want.Email is not null && byEmailKey.Remove(EmailCustomerPrefix + want.Email, out var adopted))
            {
                customer = adopted;
                customer.ExternalId = want.Key;
            }
            if (customer is null)
            {
                created.Add(NewCustomer(want));
                continue;
            }
            var merged = Merge(new KnownCustomer(customer.Id, customer.Email, customer.FirstName, customer.LastName, customer.CreatedAtUtc), want);
            customer.Email = merged.Email;
            customer.FirstName = merged.FirstName;
            customer.LastName = merged.LastName;
            customer.CreatedAtUtc = merged.CreatedAtUtc;
        }
        // Those found by e-mail but left to another record stay as they were.
        foreach (var unused in byEmailKey.Values)
        {
            tracked.Remove(unused);
            db.Entry(unused).State = EntityState.Detached;
        }
    }

    /// <summary>
    /// What a stored customer becomes with a record: what the record says wins (an e-mail lower-cased), absent fields
    /// keep what is stored; the creation time is the record's own, else the earliest order seen.
    /// </summary>
    private static KnownCustomer Merge(KnownCustomer stored, WantedCustomer want) => stored with
    {
        Email = want.Email ?? stored.Email,
        FirstName = want.Record.FirstName ?? stored.FirstName,
        LastName = want.Record.LastName ?? stored.LastName,
        CreatedAtUtc = want.Record.CreatedAtUtc is not null || want.CreatedAtUtc < stored.CreatedAtUtc ? want.CreatedAtUtc : stored.CreatedAtUtc,
    };

    private static Customer NewCustomer(WantedCustomer want) => new()
    {
        ExternalId = want.Key, Email = want.Email, FirstName = want.Record.FirstName, LastName = want.Record.LastName, CreatedAtUtc = want.CreatedAtUtc,
    };

    /// <summary>
    /// Customers known only by e-mail (an export): the Shopify customer with that e-mail, else the e-mail-only one, else a
    /// new e-mail-only customer; one found is not changed (an export says nothing about the customer itself).
    /// </summary>
    private async Task FindEmailCustomersAsync(List<WantedCustomer> wanted, Dictionary<string, long> ids, List<Customer> created,
        CancellationToken cancellationToken)
    {
        if (wanted.Count == 0)
        {
            return;
        }
        var byEmail = _customers?.ByEmail;
        if (byEmail is null)
        {
            var index = new CustomerIndex();
            foreach (var chunk in wanted.Chunk(QueryChunk))
            {
                var keys = chunk.Select(w => w.Key).ToList();
                var emails = chunk.Select(w => w.Email).ToList();
                var rows = await db.Customers.AsNoTracking().Where(c => keys.Contains(c.ExternalId) || emails.Contains(c.Email)).ToListAsync(cancellationToken);
                foreach (var customer in rows)
                {
                    index.Add(customer);
                }
            }
            byEmail = index.ByEmail;
        }
        foreach (var want in wanted)
        {
            if (byEmail.TryGetValue(want.Email!, out var id))
            {
                ids[want.Key] = id;
                continue;
            }
            created.Add(NewCustomer(want));
        }
    }

    // ---- plumbing ----

    private void Detach(Order order)
    {
        foreach (var refund in order.Refunds)
        {
            db.Entry(refund).State = EntityState.Detached;
        }
        db.Entry(order).State = EntityState.Detached;
    }

    private async Task<StoreDefaults> StoreAsync(CancellationToken cancellationToken)
    {
        if (_store is null)
        {
            var storeId = db.StoreContext.RequiredStoreId;
            var store = await db.Stores.AsNoTracking().Where(s => s.Id == storeId).Select(s => new { s.TimeZone, s.Currency }).SingleAsync(cancellationToken);
            // The same zone resolution as the metrics, so an order's day here is the day the overview counts it on.
            _store = new StoreDefaults(StoreClock.ResolveTimeZone(store.TimeZone), store.Currency);
        }
        return _store;
    }

    private static async Task CommitAsync(IDbContextTransaction? ownTransaction, CancellationToken cancellationToken)
    {
        if (ownTransaction is not null)
        {
            await ownTransaction.CommitAsync(cancellationToken);
        }
    }
}
