using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Metrics;
using Microsoft.EntityFrameworkCore;

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
    internal sealed record StoredOrder(long Id, DateTime UpdatedAtUtc);
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
                ByEmail.TryAdd(customer.Email ?? customer.ExternalId[EmailCustomerPrefix.Length..], customer.Id);
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
        _variantsBySku = await LoadVariantsBySkuAsync(cancellationToken);
        await StoreAsync(cancellationToken);
    }

    /// <summary>Upserts one order (a webhook).</summary>
    public Task<OrderWriteResult> UpsertAsync(IncomingOrder order, OrderWriteMode mode, CancellationToken cancellationToken) =>
        UpsertAsync([order], mode, cancellationToken);

    /// <summary>Upserts a batch of orders with their customers, lines and refunds. A repeated id keeps its newest version.</summary>
    public async Task<OrderWriteResult> UpsertAsync(IReadOnlyList<IncomingOrder> orders, OrderWriteMode mode, CancellationToken cancellationToken)
    {
        await StoreAsync(cancellationToken);
        return await UpsertAsync(PrepareLatest(orders), mode, cancellationToken);
    }

    /// <summary>
    /// <see cref="Prepare"/>s a batch, keeping one version per order id (the newest by the source's updated_at, the first
    /// of equals), ready for <see cref="UpsertAsync(IReadOnlyList{PreparedOrder}, OrderWriteMode, CancellationToken)"/>.
    /// </summary>
    public List<PreparedOrder> PrepareLatest(IReadOnlyList<IncomingOrder> orders)
    {
        var byId = new Dictionary<string, int>(orders.Count, StringComparer.Ordinal);
        var latest = new List<PreparedOrder>(orders.Count);
        foreach (var incoming in orders)
        {
            var order = Prepare(incoming);
            if (!byId.TryGetValue(order.Row.ExternalId, out var index))
            {
                byId[order.Row.ExternalId] = latest.Count;
                latest.Add(order);
            }
            else if (order.SourceUpdatedAtUtc > latest[index].SourceUpdatedAtUtc)
            {
                latest[index] = order;
            }
        }
        return latest;
    }

    /// <summary>
    /// Builds an order's rows (CPU only, no database; any thread, after <see cref="PreloadAsync"/>), so a caller can
    /// prepare the next batch while the last one is written. Only what the writer needs of the record is kept, so a
    /// caller that prepares each order as it is read holds no record longer than that.
    /// </summary>
    public PreparedOrder Prepare(IncomingOrder order)
    {
        var store = _store ?? throw new InvalidOperationException("PreloadAsync comes before Prepare.");
        var customer = order.Customer is { } record ? Wanted(record, order.CreatedAtUtc) : null;
        List<string?>? variantIds = null;
        for (var i = 0; i < order.Lines.Count && variantIds is null; i++)
        {
            if (order.Lines[i].VariantExternalId is not null)
            {
                variantIds = order.Lines.Select(l => l.VariantExternalId).ToList();
            }
        }
        var row = ToRow(order, store, time.GetUtcNow().UtcDateTime);
        // Lines that name no variant are linked here when the SKUs are known (after PreloadAsync), off the writing thread.
        var linked = variantIds is null && _variantsBySku is not null;
        if (linked)
        {
            foreach (var line in row.Lines)
            {
                LinkVariant(line, Variant(null, line.Sku));
            }
        }
        return new PreparedOrder(row, customer, order.UpdatedAtUtc, order.RefundsAreEstimated, variantIds, linked);
    }

    /// <summary>
    /// An order made ready by <see cref="Prepare"/>: its row (not yet linked to its customer and variants), its customer,
    /// and what else the writer needs of the record (its lines' Shopify variant ids: null when none names one).
    /// </summary>
    public sealed class PreparedOrder
    {
        internal PreparedOrder(Order row, WantedCustomer? customer, DateTime? sourceUpdatedAtUtc, bool refundsAreEstimated, List<string?>? variantIds,
            bool linesLinked)
        {
            Row = row;
            Customer = customer;
            SourceUpdatedAtUtc = sourceUpdatedAtUtc;
            RefundsAreEstimated = refundsAreEstimated;
            VariantIds = variantIds;
            LinesLinked = linesLinked;
        }

        internal Order Row { get; }
        internal WantedCustomer? Customer { get; }
        internal DateTime? SourceUpdatedAtUtc { get; }
        internal bool RefundsAreEstimated { get; }
        internal List<string?>? VariantIds { get; }
        /// <summary>Whether <see cref="Prepare"/> already linked the lines to their variants.</summary>
        internal bool LinesLinked { get; }
        /// <summary>The stored order this one is (set by each write).</summary>
        internal StoredMatch? Stored { get; set; }
    }

    /// <summary>Writes orders made ready by <see cref="Prepare"/>; their ids must be distinct (the export's reader refuses repeated ids).</summary>
    public Task<OrderWriteResult> UpsertAsync(IReadOnlyList<PreparedOrder> orders, OrderWriteMode mode, CancellationToken cancellationToken) =>
        orders.Count == 0 ? Task.FromResult(OrderWriteResult.None) : db.Database.InTransactionAsync(() => WriteAsync(orders, mode, cancellationToken), cancellationToken);

    private async Task<OrderWriteResult> WriteAsync(IReadOnlyList<PreparedOrder> orders, OrderWriteMode mode, CancellationToken cancellationToken)
    {
        await FindStoredAsync(orders, cancellationToken);
        var candidates = new List<PreparedOrder>(orders.Count);
        var unchanged = 0;
        foreach (var order in orders)
        {
            if (order.Stored is { } current && mode != OrderWriteMode.IfDifferent
                && !MustWrite(current.Order.UpdatedAtUtc, order.SourceUpdatedAtUtc, mode))
            {
                unchanged++;
                continue;
            }
            candidates.Add(order);
        }
        if (candidates.Count == 0)
        {
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

        var created = new List<Order>(candidates.Count);
        var rewrites = new List<Rewrite>();
        var lineCount = 0;
        foreach (var order in candidates)
        {
            Link(order, customerIds);
            lineCount += order.Row.Lines.Count;
            if (order.Stored is { } current)
            {
                rewrites.Add(new Rewrite(order.Row, current.Order.Id, current.Key, order.RefundsAreEstimated));
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
        var (lines, newRefunds, rewrittenRefunds) = await RewriteAsync(rewrites, lineCount, cancellationToken);
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

    /// <summary>
    /// Adds or corrects refunds of a stored order (Shopify's refunds/create webhook). False when the order is not stored
    /// yet: the next sync brings it with its refunds.
    /// </summary>
    public async Task<bool> UpsertRefundsAsync(string orderExternalId, IReadOnlyList<IncomingRefund> refunds, CancellationToken cancellationToken)
    {
        var store = await StoreAsync(cancellationToken);
        return await db.Database.InTransactionAsync(async () =>
        {
            var orderId = await db.Orders.Where(o => o.ExternalId == orderExternalId).Select(o => (long?)o.Id).SingleOrDefaultAsync(cancellationToken);
            if (orderId is not { } id)
            {
                return false;
            }
            var stored = await db.Refunds.AsTracking().Where(r => r.OrderId == id).ToListAsync(cancellationToken);
            // Shopify's own refunds make the export's single estimate obsolete.
            foreach (var estimate in stored.Where(IsEstimate))
            {
                db.Refunds.Remove(estimate);
            }
            var created = new List<Refund>();
            foreach (var incoming in refunds)
            {
                var refund = stored.FirstOrDefault(r => r.ExternalId == incoming.ExternalId && !IsEstimate(r)) ?? created.FirstOrDefault(r => r.ExternalId == incoming.ExternalId);
                if (refund is null)
                {
                    refund = new Refund { ExternalId = incoming.ExternalId!, OrderId = id };
                    created.Add(refund);
                }
                Apply(refund, incoming, store.Zone);
            }
            await db.SaveChangesAsync(cancellationToken);
            await BulkWriter.InsertAsync(db, created, cancellationToken);
            foreach (var refund in stored)
            {
                db.Entry(refund).State = EntityState.Detached;
            }
            return true;
        }, cancellationToken);
    }

    /// <summary>
    /// Upserts customers (Shopify's customer list); returns how many were created. Each comes with the time it was first
    /// seen, for records that do not say when the customer was created.
    /// </summary>
    public Task<int> UpsertCustomersAsync(IReadOnlyList<(IncomingCustomer Customer, DateTime FirstSeenUtc)> customers, CancellationToken cancellationToken)
    {
        var wanted = customers.Select(c => Wanted(c.Customer, c.FirstSeenUtc)).OfType<WantedCustomer>().ToList();
        return db.Database.InTransactionAsync(async () => (await WriteCustomersAsync(wanted, cancellationToken)).Created, cancellationToken);
    }

    // ---- orders ----

    private static bool MustWrite(DateTime storedUpdatedAt, DateTime? incomingUpdatedAt, OrderWriteMode mode) => mode switch
    {
        OrderWriteMode.IfUpdatedAtDiffers => incomingUpdatedAt != storedUpdatedAt,
        OrderWriteMode.IfNewer => incomingUpdatedAt is not { } at || at > storedUpdatedAt,
        _ => true,
    };

    /// <summary>A stored order and the external id it was found under.</summary>
    internal sealed record StoredMatch(StoredOrder Order, string Key);

    /// <summary>Finds each order's stored one: by external id, else by name (an export without ids keyed them so).</summary>
    private async Task FindStoredAsync(IReadOnlyList<PreparedOrder> orders, CancellationToken cancellationToken)
    {
        var known = _orders;
        if (known is null)
        {
            known = new Dictionary<string, StoredOrder>(StringComparer.Ordinal);
            var keys = orders.Select(o => o.Row.ExternalId).Concat(orders.Select(o => o.Row.Name)).Distinct(StringComparer.Ordinal);
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
        foreach (var order in orders)
        {
            order.Stored = known.TryGetValue(order.Row.ExternalId, out var byId) ? new StoredMatch(byId, order.Row.ExternalId)
                : known.TryGetValue(order.Row.Name, out var byName) ? new StoredMatch(byName, order.Row.Name)
                : null;
        }
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
        };
        for (var i = 0; i < incoming.Lines.Count; i++)
        {
            var line = incoming.Lines[i];
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
        for (var i = 0; i < incoming.Refunds.Count; i++)
        {
            var refund = incoming.Refunds[i];
            var externalId = incoming.RefundsAreEstimated ? EstimatedRefundPrefix + incoming.ExternalId : refund.ExternalId!;
            order.Refunds.Add(Apply(new Refund { ExternalId = externalId }, refund, store.Zone));
        }
        return order;
    }

    /// <summary>Links the row to its customer and its lines to their variants (a line without a cost of its own takes the variant's).</summary>
    private void Link(PreparedOrder order, Dictionary<string, long> customerIds)
    {
        order.Row.CustomerId = order.Customer is { } customer ? customerIds[customer.Key] : null;
        if (order.LinesLinked)
        {
            return;
        }
        var lines = order.Row.Lines;
        for (var i = 0; i < lines.Count; i++)
        {
            LinkVariant(lines[i], Variant(order.VariantIds?[i], lines[i].Sku));
        }
    }

    private static void LinkVariant(OrderLine line, KnownVariant? variant)
    {
        if (variant is { } known)
        {
            line.VariantId = known.Id;
            line.UnitCost ??= known.UnitCost;
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

    /// <summary>Stored orders with their lines and refunds, untracked, by id.</summary>
    private async Task<Dictionary<long, Order>> LoadOrdersAsync(List<long> ids, CancellationToken cancellationToken)
    {
        var stored = new Dictionary<long, Order>(ids.Count);
        foreach (var chunk in ids.Distinct().Chunk(QueryChunk))
        {
            var orders = await db.Orders.AsNoTracking().Where(o => chunk.Contains(o.Id)).ToListAsync(cancellationToken);
            foreach (var order in await db.LoadLinesAndRefundsAsync(orders, cancellationToken))
            {
                stored[order.Id] = order;
            }
        }
        return stored;
    }

    /// <summary>
    /// Rewrites stored orders: fields through EF; lines, and refunds unless an estimate meets Shopify's own, deleted here
    /// and returned for one bulk insert with the new orders' (child rows found by order id without the store filter, as
    /// in <see cref="OrderChildren.LoadLinesAndRefundsAsync"/>). Also returns how many of the orders got refunds.
    /// </summary>
    private async Task<(List<OrderLine> Lines, List<Refund> Refunds, int OrdersWithRefunds)> RewriteAsync(List<Rewrite> rewrites, int lineCapacity,
        CancellationToken cancellationToken)
    {
        var lines = new List<OrderLine>(lineCapacity);
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
            var costs = await db.OrderLines.AsNoTracking()
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
            await db.OrderLines.Where(l => ids.Contains(l.OrderId)).ExecuteDeleteAsync(cancellationToken);
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
        foreach (var id in orders.SelectMany(o => o.VariantIds ?? []))
        {
            if (id is not null && !_variantsByShopifyId.ContainsKey(id))
            {
                missing.Add(id);
            }
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
        if (_variantsBySku is null && orders.Any(LinksBySku))
        {
            _variantsBySku = await LoadVariantsBySkuAsync(cancellationToken);
        }
    }

    /// <summary>The store's variants by SKU; of several with one SKU, the first with a cost.</summary>
    private async Task<Dictionary<string, KnownVariant>> LoadVariantsBySkuAsync(CancellationToken cancellationToken)
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
        return variants;
    }

    /// <summary>Whether a line of the order has a SKU but no variant known by Shopify id.</summary>
    private bool LinksBySku(PreparedOrder order)
    {
        for (var i = 0; i < order.Row.Lines.Count; i++)
        {
            if (order.Row.Lines[i].Sku is not null && (order.VariantIds?[i] is not { } id || !_variantsByShopifyId.ContainsKey(id)))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The variant of a line's Shopify variant id, else of its SKU (once the SKUs are loaded).</summary>
    private KnownVariant? Variant(string? variantId, string? sku)
    {
        if (variantId is not null && _variantsByShopifyId.TryGetValue(variantId, out var byId))
        {
            return byId;
        }
        return sku is not null && _variantsBySku is not null && _variantsBySku.TryGetValue(sku, out var bySku) ? bySku : null;
    }

    // ---- customers ----

    private static bool IsEmailOnly(string externalId) => externalId.StartsWith(EmailCustomerPrefix, StringComparison.Ordinal);

    private static string? NormaliseEmail(string? email) => string.IsNullOrWhiteSpace(email) ? null : email.Trim().ToLowerInvariant();

    /// <summary>
    /// What the writer keeps of a customer record: how it is identified (<paramref name="Key"/>: Shopify's id, else the
    /// lower-cased <paramref name="Email"/>; digits and an e-mail never meet) and when it was created: the record's own
    /// time (<paramref name="SaysWhenCreated"/>), else when it was first seen.
    /// </summary>
    internal sealed record WantedCustomer(string Key, string? Email, bool IsEmailOnly, string? FirstName, string? LastName, DateTime CreatedAtUtc,
        bool SaysWhenCreated);

    /// <summary>Null for a record with neither a Shopify id nor an e-mail (a guest).</summary>
    private static WantedCustomer? Wanted(IncomingCustomer record, DateTime firstSeenUtc)
    {
        var email = NormaliseEmail(record.Email);
        var key = record.ShopifyId ?? email;
        return key is null
            ? null
            : new WantedCustomer(key, email, record.ShopifyId is null, record.FirstName, record.LastName, record.CreatedAtUtc ?? firstSeenUtc,
                record.CreatedAtUtc is not null);
    }

    /// <summary>
    /// Upserts customers; returns our ids by <see cref="WantedCustomer.Key"/> and how many were created. The same
    /// customer on several orders: the first record with an e-mail wins, created at the earliest time seen.
    /// </summary>
    private async Task<(Dictionary<string, long> Ids, int Created)> WriteCustomersAsync(List<WantedCustomer> customers, CancellationToken cancellationToken)
    {
        var ids = new Dictionary<string, long>(customers.Count, StringComparer.Ordinal);
        var wanted = new Dictionary<string, WantedCustomer>(customers.Count, StringComparer.Ordinal);
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
        var createdKeys = new List<string>();
        var tracked = new List<Customer>();
        var shopifyCustomers = new List<WantedCustomer>(wanted.Count);
        var emailCustomers = new List<WantedCustomer>(wanted.Count);
        foreach (var customer in wanted.Values)
        {
            (customer.IsEmailOnly ? emailCustomers : shopifyCustomers).Add(customer);
        }
        await UpsertShopifyCustomersAsync(shopifyCustomers, ids, created, createdKeys, tracked, cancellationToken);
        await FindEmailCustomersAsync(emailCustomers, ids, created, createdKeys, cancellationToken);

        if (tracked.Count > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        await BulkWriter.InsertAsync(db, created, cancellationToken);
        foreach (var customer in tracked)
        {
            ids[customer.ExternalId] = customer.Id;
            _customers?.Add(customer);
        }
        for (var i = 0; i < created.Count; i++)
        {
            ids[createdKeys[i]] = created[i].Id;
            _customers?.Add(created[i]);
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
        List<string> createdKeys, List<Customer> tracked, CancellationToken cancellationToken)
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
                createdKeys.Add(want.Key);
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
        FirstName = want.FirstName ?? stored.FirstName,
        LastName = want.LastName ?? stored.LastName,
        CreatedAtUtc = want.SaysWhenCreated || want.CreatedAtUtc < stored.CreatedAtUtc ? want.CreatedAtUtc : stored.CreatedAtUtc,
    };

    private static Customer NewCustomer(WantedCustomer want) => new()
    {
        ExternalId = want.IsEmailOnly ? EmailCustomerPrefix + want.Email : want.Key,
        Email = want.Email,
        FirstName = want.FirstName,
        LastName = want.LastName,
        CreatedAtUtc = want.CreatedAtUtc,
    };

    /// <summary>
    /// Customers known only by e-mail (an export): the Shopify customer with that e-mail, else the e-mail-only one, else a
    /// new e-mail-only customer; one found is not changed (an export says nothing about the customer itself).
    /// </summary>
    private async Task FindEmailCustomersAsync(List<WantedCustomer> wanted, Dictionary<string, long> ids, List<Customer> created,
        List<string> createdKeys, CancellationToken cancellationToken)
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
                var keys = chunk.Select(w => EmailCustomerPrefix + w.Email).ToList();
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
            createdKeys.Add(want.Key);
        }
    }

    // ---- plumbing ----

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
}
