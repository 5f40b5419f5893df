using System.Diagnostics;
using System.Threading.Channels;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Metrics;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Imports;

/// <summary>What a Shopify orders import did.</summary>
public sealed class ShopifyOrdersImportResult : ImportResult
{
    public int OrdersCreated { get; set; }
    public int OrdersUpdated { get; set; }
    /// <summary>Orders already imported exactly as the file has them.</summary>
    public int OrdersUnchanged { get; set; }
    public int CustomersCreated { get; set; }
    /// <summary>Refunds created or changed (one per order with a "Refunded Amount").</summary>
    public int Refunds { get; set; }

    public override bool ChangedData => OrdersCreated + OrdersUpdated + CustomersCreated + Refunds > 0;
}

/// <summary>
/// Imports Shopify admin's "Export orders" CSV: one row per line item, the order's own fields on its first row
/// (the first non-empty value of an order's rows is used, so either layout works).
/// <list type="bullet">
/// <item>Orders are keyed by the "Id" column (Shopify's order id, the same key a store connection uses), else by "Name".
/// Re-importing a file changes nothing; a changed order is updated in place.</item>
/// <item>Customers are identified by lower-cased e-mail (the export has no customer id); an existing customer with that
/// e-mail (from a store connection, say) is reused. No e-mail: a guest order.</item>
/// <item>"Refunded Amount" becomes one refund "csv:&lt;order id&gt;", booked on the order's own day because the export has
/// no refund date, and split over merchandise, shipping and taxes in proportion to the order's amounts. Orders that
/// already have refunds from a store connection keep those instead.</item>
/// <item>Cancelled orders ("Cancelled at") and test orders (Shopify's test "Bogus" gateway) are imported but do not count as sales.</item>
/// <item>An order with any bad row is rejected whole, with an error on each bad line; good orders are kept.</item>
/// </list>
/// Rows are streamed; orders are written in batches of 10,000 (bulk inserts, updates through EF) by a second task while
/// the next batch is read.
/// </summary>
public sealed class ShopifyOrdersCsvImporter(AdIntelDbContext db, TimeProvider time, ILogger<ShopifyOrdersCsvImporter> logger)
{
    /// <summary>Orders per database batch, one transaction each: few commits (each may checkpoint the WAL), ~10 MB in memory.</summary>
    private const int BatchSize = 10000;
    /// <summary>Values per IN list in a query (see LoadOrdersAsync).</summary>
    private const int QueryChunk = 250;
    private const decimal Tolerance = 0.01m;

    public async Task<ShopifyOrdersImportResult> ImportAsync(Stream csv, long totalBytes, string fileName, IImportProgress progress,
        CancellationToken cancellationToken)
    {
        var store = await db.Stores.AsNoTracking().SingleAsync(s => s.Id == db.StoreContext.RequiredStoreId, cancellationToken);
        // The same zone resolution as the metrics, so an order's day here is the day the overview counts it on.
        var zone = StoreClock.ResolveTimeZone(store.TimeZone);

        using var file = CsvImportFile.Open(csv, totalBytes, fileName, out var encodingWarning);
        var columns = Columns.Resolve(file);
        var run = new Run(db, time, store, zone, columns, await Lookups.LoadAsync(db, cancellationToken));
        if (encodingWarning is not null)
        {
            run.Warnings.Add(1, encodingWarning);
        }
        foreach (var warning in columns.AbsentOptionalColumns())
        {
            run.Warnings.Add(1, warning);
        }

        // Reading and writing overlap: this thread parses the next batch while another writes the last one. Only the
        // writer touches the database (the DbContext is not thread-safe), progress included.
        var elapsed = Stopwatch.StartNew();
        var waitedForWriter = TimeSpan.Zero;
        var batches = Channel.CreateBounded<ParsedBatch>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        var writing = Task.Run(() => run.WriteBatchesAsync(batches, progress, cancellationToken), CancellationToken.None);
        try
        {
            PendingOrder? pending = null;
            while (file.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                pending = run.ReadRow(file, pending);
                if (run.Batch.Count >= BatchSize)
                {
                    var handOver = Stopwatch.GetTimestamp();
                    await batches.Writer.WriteAsync(run.TakeBatch(file), cancellationToken);
                    waitedForWriter += Stopwatch.GetElapsedTime(handOver);
                }
            }
            if (pending is not null)
            {
                run.Complete(pending);
            }
            if (file.StoppedEarly is { } stopped)
            {
                run.Errors.Add(stopped.Line, stopped.Message);
            }
            await batches.Writer.WriteAsync(run.TakeBatch(file), cancellationToken);
            batches.Writer.TryComplete();
        }
        catch (ChannelClosedException)
        {
            // The writer failed and closed the channel: its exception is rethrown below.
        }
        catch (Exception e)
        {
            batches.Writer.TryComplete(e);
            await writing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }
        await writing;
        await progress.ReportAsync(new ImportProgress(file.RowsRead, 100), cancellationToken);

        run.AddCurrencyWarnings();
        var result = run.Result;
        result.RowsRead = file.RowsRead;
        result.SetMessages(run.Errors, run.Warnings);
        logger.LogInformation(
            "Shopify orders import: {Rows} rows, {Created} orders created, {Updated} updated, {Unchanged} unchanged, {Skipped} rows skipped, {Errors} errors, in {ElapsedMs} ms (writing {WritingMs} ms, reading waited for writing {WaitedMs} ms)",
            result.RowsRead, result.OrdersCreated, result.OrdersUpdated, result.OrdersUnchanged, result.Skipped, run.Errors.Count,
            elapsed.ElapsedMilliseconds, (long)run.Writing.TotalMilliseconds, (long)waitedForWriter.TotalMilliseconds);
        return result;
    }

    /// <summary>The export's columns this importer reads; -1 for an absent optional one.</summary>
    private sealed record Columns(int Name, int Id, int Email, int CreatedAt, int FinancialStatus, int Currency, int Shipping, int Taxes,
        int Total, int DiscountCode, int DiscountAmount, int CancelledAt, int RefundedAmount, int Source, int PaymentMethod, int BillingName,
        int Quantity, int LineName, int LinePrice, int LineSku, int LineDiscount)
    {
        public static Columns Resolve(CsvImportFile file)
        {
            var columns = new Columns(
                Name: file.Find("Name"), Id: file.Find("Id"), Email: file.Find("Email"), CreatedAt: file.Find("Created at"),
                FinancialStatus: file.Find("Financial Status"), Currency: file.Find("Currency"), Shipping: file.Find("Shipping"),
                Taxes: file.Find("Taxes"), Total: file.Find("Total"), DiscountCode: file.Find("Discount Code"),
                DiscountAmount: file.Find("Discount Amount"), CancelledAt: file.Find("Cancelled at"), RefundedAmount: file.Find("Refunded Amount"),
                Source: file.Find("Source"), PaymentMethod: file.Find("Payment Method"), BillingName: file.Find("Billing Name"),
                Quantity: file.Find("Lineitem quantity"), LineName: file.Find("Lineitem name"), LinePrice: file.Find("Lineitem price"),
                LineSku: file.Find("Lineitem sku"), LineDiscount: file.Find("Lineitem discount"));

            var missing = new List<string>();
            if (columns.Name < 0) missing.Add("Name");
            if (columns.CreatedAt < 0) missing.Add("Created at");
            if (columns.Quantity < 0) missing.Add("Lineitem quantity");
            if (columns.LineName < 0) missing.Add("Lineitem name");
            if (columns.LinePrice < 0) missing.Add("Lineitem price");
            if (missing.Count > 0)
            {
                var looksLikeMeta = file.FindAll(h => h.StartsWith("amount spent", StringComparison.Ordinal)).Any();
                var message = looksLikeMeta
                    ? "This looks like a Meta Ads Manager export; upload it as Meta ads, not as Shopify orders."
                    : $"This is not a Shopify orders export: the column{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing.Select(m => $"“{m}”"))} {(missing.Count == 1 ? "is" : "are")} missing. In Shopify admin go to Orders → Export and choose “Plain CSV file”.";
                throw new ImportProblemException(422, "missing_columns", message, new { missing, found = file.Headers });
            }
            return columns;
        }

        /// <summary>Optional columns whose absence changes the numbers, said once rather than per order.</summary>
        public IEnumerable<string> AbsentOptionalColumns()
        {
            var amounts = new (int Index, string Name)[]
            {
                (Shipping, "Shipping"), (Taxes, "Taxes"), (Total, "Total"), (DiscountAmount, "Discount Amount"), (RefundedAmount, "Refunded Amount"),
            }.Where(c => c.Index < 0).Select(c => $"“{c.Name}”").ToList();
            if (amounts.Count > 0)
            {
                yield return $"The file has no {string.Join(", ", amounts)} column{(amounts.Count == 1 ? "; it counts" : "s; they count")} as 0.";
            }
            if (Email < 0)
            {
                yield return "The file has no “Email” column, so every order is a guest order and no customers are created.";
            }
        }
    }

    /// <summary>What the store already has, loaded once per import.</summary>
    private sealed class Lookups
    {
        public required Dictionary<string, long> OrderIds { get; init; }
        public required Dictionary<string, long> CustomerIdsByEmail { get; init; }
        public required Dictionary<string, (long Id, decimal? UnitCost)> VariantsBySku { get; init; }

        public static async Task<Lookups> LoadAsync(AdIntelDbContext db, CancellationToken cancellationToken)
        {
            var orderIds = new Dictionary<string, long>(StringComparer.Ordinal);
            await foreach (var order in db.Orders.AsNoTracking().Select(o => new { o.Id, o.ExternalId }).AsAsyncEnumerable().WithCancellation(cancellationToken))
            {
                orderIds[order.ExternalId] = order.Id;
            }

            // A customer known from a store connection (Shopify id) wins over an earlier e-mail-keyed one.
            var customers = new Dictionary<string, long>(StringComparer.Ordinal);
            var customerQuery = db.Customers.AsNoTracking().Select(c => new { c.Id, c.ExternalId, c.Email });
            await foreach (var customer in customerQuery.AsAsyncEnumerable().WithCancellation(cancellationToken))
            {
                var byEmailKey = customer.ExternalId.StartsWith("email:", StringComparison.Ordinal);
                var email = byEmailKey ? customer.ExternalId["email:".Length..] : customer.Email?.Trim().ToLowerInvariant();
                if (string.IsNullOrEmpty(email))
                {
                    continue;
                }
                if (!byEmailKey || !customers.ContainsKey(email))
                {
                    customers[email] = customer.Id;
                }
            }

            var variants = new Dictionary<string, (long, decimal?)>(StringComparer.Ordinal);
            var variantQuery = db.ProductVariants.AsNoTracking().Where(v => v.Sku != null && v.Sku != "").Select(v => new { v.Id, v.Sku, v.UnitCost });
            await foreach (var variant in variantQuery.AsAsyncEnumerable().WithCancellation(cancellationToken))
            {
                if (!variants.TryGetValue(variant.Sku!, out var known) || (known.Item2 is null && variant.UnitCost is not null))
                {
                    variants[variant.Sku!] = (variant.Id, variant.UnitCost);
                }
            }
            return new Lookups { OrderIds = orderIds, CustomerIdsByEmail = customers, VariantsBySku = variants };
        }
    }

    /// <summary>The rows of one order while they are being read.</summary>
    private sealed class PendingOrder(string name, int firstLine)
    {
        public string Name { get; } = name;
        public int FirstLine { get; } = firstLine;
        public int Rows { get; set; }
        public bool Rejected { get; set; }
        public string? Id { get; set; }
        public string? Email { get; set; }
        public DateTime? CreatedAtUtc { get; set; }
        public string? FinancialStatus { get; set; }
        public string? Currency { get; set; }
        public decimal? Shipping { get; set; }
        public decimal? Taxes { get; set; }
        public decimal? Total { get; set; }
        public string? DiscountCode { get; set; }
        public decimal? DiscountAmount { get; set; }
        public DateTime? CancelledAtUtc { get; set; }
        public decimal? RefundedAmount { get; set; }
        public string? Source { get; set; }
        public string? PaymentMethod { get; set; }
        public string? BillingName { get; set; }
        public List<OrderLine> Lines { get; } = [];
    }

    /// <summary>A file order that is already stored: its id and the external id it is stored under.</summary>
    private sealed record StoredMatch(ImportedOrder Imported, long Id, string StoredKey);

    /// <summary>Orders handed from the reader to the writer, and the reader's position in the file when it handed them over.</summary>
    private sealed record ParsedBatch(List<ImportedOrder> Orders, int RowsRead, int Percent);

    /// <summary>An order ready to be written, with what is needed to link it.</summary>
    private sealed record ImportedOrder(Order Order, Refund? Refund, string? Email, string? BillingName, int FirstLine, int Rows);

    /// <summary>The state of one import: counters, messages, the current batch.</summary>
    private sealed class Run(AdIntelDbContext db, TimeProvider time, Store store, TimeZoneInfo zone, Columns columns, Lookups lookups)
    {
        /// <summary>Every order key (and the line where it started) seen in this file, to catch split or repeated orders.</summary>
        private readonly Dictionary<string, int> _seenOrders = new(StringComparer.Ordinal);
        private readonly Dictionary<string, (int Orders, int FirstLine)> _foreignCurrencies = new(StringComparer.Ordinal);

        public ShopifyOrdersImportResult Result { get; } = new();
        public ImportMessageList Errors { get; } = new();
        public ImportMessageList Warnings { get; } = new();
        public List<ImportedOrder> Batch { get; private set; } = new(BatchSize);

        /// <summary>Reads the current row into the order it belongs to; returns the order now being read.</summary>
        public PendingOrder? ReadRow(CsvImportFile file, PendingOrder? pending)
        {
            var line = file.Line;
            var name = file.Get(columns.Name);
            if (name.Length == 0)
            {
                Errors.Add(line, "Name is empty; every row of Shopify's export names its order, like #1001.");
                Result.Skipped++;
                return pending;
            }
            if (pending is null || !string.Equals(pending.Name, name, StringComparison.Ordinal))
            {
                if (pending is not null)
                {
                    Complete(pending);
                }
                pending = new PendingOrder(name, line);
                if (_seenOrders.TryGetValue("name:" + name, out var earlierLine))
                {
                    Errors.Add(line, $"Order {name} already appeared on line {earlierLine}; Shopify exports the rows of an order together. {WithdrawEarlierPart(name)}");
                    pending.Rejected = true;
                }
                else
                {
                    _seenOrders["name:" + name] = line;
                }
            }
            pending.Rows++;

            if (file.RecordProblem is { } problem)
            {
                Reject(pending, line, problem);
                return pending;
            }
            if (file.RecordNotice is { } notice)
            {
                Warnings.Add(line, notice);
            }
            ReadOrderFields(file, pending, line);
            ReadLine(file, pending, line);
            return pending;
        }

        private void ReadOrderFields(CsvImportFile file, PendingOrder order, int line)
        {
            order.Id ??= NullIfEmpty(file.Get(columns.Id));
            order.Email ??= NullIfEmpty(file.Get(columns.Email).ToLowerInvariant());
            order.FinancialStatus ??= NullIfEmpty(file.Get(columns.FinancialStatus).ToLowerInvariant());
            order.Currency ??= NullIfEmpty(file.Get(columns.Currency).ToUpperInvariant());
            order.DiscountCode ??= NullIfEmpty(file.Get(columns.DiscountCode));
            order.Source ??= NullIfEmpty(file.Get(columns.Source));
            order.PaymentMethod ??= NullIfEmpty(file.Get(columns.PaymentMethod));
            order.BillingName ??= NullIfEmpty(file.Get(columns.BillingName));

            if (order.CreatedAtUtc is null && !file.IsEmpty(columns.CreatedAt))
            {
                if (CsvValues.TryParseInstant(file.Get(columns.CreatedAt), zone, "Created at", out var created, out var error))
                {
                    order.CreatedAtUtc = created;
                }
                else
                {
                    Reject(order, line, error!);
                }
            }
            if (order.CancelledAtUtc is null && !file.IsEmpty(columns.CancelledAt))
            {
                if (CsvValues.TryParseInstant(file.Get(columns.CancelledAt), zone, "Cancelled at", out var cancelled, out var error))
                {
                    order.CancelledAtUtc = cancelled;
                }
                else
                {
                    Reject(order, line, error!);
                }
            }
            order.Shipping ??= ReadAmount(file, columns.Shipping, "Shipping", order, line);
            order.Taxes ??= ReadAmount(file, columns.Taxes, "Taxes", order, line);
            order.Total ??= ReadAmount(file, columns.Total, "Total", order, line);
            order.DiscountAmount ??= ReadAmount(file, columns.DiscountAmount, "Discount Amount", order, line);
            order.RefundedAmount ??= ReadAmount(file, columns.RefundedAmount, "Refunded Amount", order, line);
        }

        /// <summary>A non-negative amount, or null when the cell is empty (a later row of the order may have it).</summary>
        private decimal? ReadAmount(CsvImportFile file, int column, string columnName, PendingOrder order, int line)
        {
            if (file.IsEmpty(column))
            {
                return null;
            }
            if (!CsvValues.TryParseAmount(file.GetSpan(column), columnName, out var amount, out var error))
            {
                Reject(order, line, error!);
                return null;
            }
            if (amount < 0)
            {
                Reject(order, line, $"{columnName} is negative ({amount}); Shopify writes these amounts as positive numbers.");
                return null;
            }
            return amount;
        }

        private void ReadLine(CsvImportFile file, PendingOrder order, int line)
        {
            var title = file.Get(columns.LineName);
            if (title.Length == 0)
            {
                Reject(order, line, "Lineitem name is empty.");
                return;
            }
            if (!CsvValues.TryParseWholeNumber(file.GetSpan(columns.Quantity), "Lineitem quantity", out var quantity, out var error))
            {
                Reject(order, line, error!);
                return;
            }
            if (file.IsEmpty(columns.Quantity) || quantity is < 0 or > 1_000_000)
            {
                Reject(order, line, file.IsEmpty(columns.Quantity)
                    ? "Lineitem quantity is empty."
                    : $"Lineitem quantity {quantity} is not a plausible quantity.");
                return;
            }
            if (file.IsEmpty(columns.LinePrice))
            {
                Reject(order, line, "Lineitem price is empty.");
                return;
            }
            if (!CsvValues.TryParseAmount(file.GetSpan(columns.LinePrice), "Lineitem price", out var price, out error))
            {
                Reject(order, line, error!);
                return;
            }
            if (!CsvValues.TryParseAmount(file.GetSpan(columns.LineDiscount), "Lineitem discount", out var discount, out error))
            {
                Reject(order, line, error!);
                return;
            }
            if (price < 0 || discount < 0)
            {
                Reject(order, line, "Lineitem price and Lineitem discount must not be negative.");
                return;
            }
            var sku = NullIfEmpty(file.Get(columns.LineSku));
            long? variantId = null;
            decimal? unitCost = null;
            if (sku is not null && lookups.VariantsBySku.TryGetValue(sku, out var variant))
            {
                variantId = variant.Id;
                unitCost = variant.UnitCost;
            }
            order.Lines.Add(new OrderLine
            {
                Title = title,
                Sku = sku,
                Quantity = (int)quantity,
                UnitPrice = price,
                Discount = discount,
                VariantId = variantId,
                UnitCost = unitCost,
            });
        }

        /// <summary>An order's rows turned up apart: its earlier part is not imported either, unless it was already written.</summary>
        private string WithdrawEarlierPart(string name)
        {
            var index = Batch.FindIndex(o => string.Equals(o.Order.Name, name, StringComparison.Ordinal));
            if (index < 0)
            {
                return "Its earlier rows were imported; these were not.";
            }
            Result.Skipped += Batch[index].Rows;
            Batch.RemoveAt(index);
            return "Neither part was imported.";
        }

        private void Reject(PendingOrder order, int line, string message)
        {
            Errors.Add(line, order.Rejected ? message : $"{message} Order {order.Name} was not imported.");
            order.Rejected = true;
        }

        /// <summary>All rows of <paramref name="pending"/> have been read: build the order or count it as skipped.</summary>
        public void Complete(PendingOrder pending)
        {
            if (!pending.Rejected && pending.CreatedAtUtc is null)
            {
                Reject(pending, pending.FirstLine, "Created at is empty, so the order's day is unknown.");
            }
            var externalId = pending.Id ?? pending.Name;
            if (!pending.Rejected && pending.Id is not null)
            {
                if (_seenOrders.TryGetValue("id:" + externalId, out var earlierLine))
                {
                    Reject(pending, pending.FirstLine, $"Order id {externalId} already appeared on line {earlierLine}.");
                }
                else
                {
                    _seenOrders["id:" + externalId] = pending.FirstLine;
                }
            }
            if (pending.Rejected)
            {
                Result.Skipped += pending.Rows;
                return;
            }
            Batch.Add(Build(pending, externalId));
        }

        private ImportedOrder Build(PendingOrder pending, string externalId)
        {
            var createdAt = pending.CreatedAtUtc!.Value;
            var localDate = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(createdAt, zone));
            var gross = pending.Lines.Sum(l => l.UnitPrice * l.Quantity);
            var discounts = pending.DiscountAmount ?? 0;
            var shipping = pending.Shipping ?? 0;
            var taxes = pending.Taxes ?? 0;
            var expectedTotal = gross - discounts + shipping + taxes;
            var total = pending.Total ?? expectedTotal;
            // Tax-inclusive stores (prices include VAT) reconcile without adding the taxes again.
            if (pending.Total is not null && Math.Abs(total - expectedTotal) > Tolerance && Math.Abs(total - (expectedTotal - taxes)) > Tolerance)
            {
                Warnings.Add(pending.FirstLine,
                    $"Order {pending.Name}: Total {total:0.00} differs from line items − discounts + shipping + taxes ({expectedTotal:0.00}) by {Math.Abs(total - expectedTotal):0.00}; the file's amounts were imported as they are.");
            }

            var currency = pending.Currency ?? store.Currency;
            if (!string.Equals(currency, store.Currency, StringComparison.Ordinal))
            {
                _foreignCurrencies[currency] = _foreignCurrencies.TryGetValue(currency, out var seen)
                    ? (seen.Orders + 1, seen.FirstLine)
                    : (1, pending.FirstLine);
            }

            var order = new Order
            {
                ExternalId = externalId,
                Name = pending.Name,
                Email = pending.Email,
                CreatedAtUtc = createdAt,
                LocalDate = localDate,
                UpdatedAtUtc = time.GetUtcNow().UtcDateTime,
                Currency = currency,
                FinancialStatus = pending.FinancialStatus ?? "paid",
                CancelledAtUtc = pending.CancelledAtUtc,
                IsTest = pending.PaymentMethod?.Contains("bogus", StringComparison.OrdinalIgnoreCase) == true,
                SourceName = pending.Source,
                GrossSales = gross,
                Discounts = discounts,
                Shipping = shipping,
                Taxes = taxes,
                Total = total,
                DiscountCode = pending.DiscountCode,
                Lines = pending.Lines,
            };
            return new ImportedOrder(order, BuildRefund(order, pending.RefundedAmount ?? 0), pending.Email, pending.BillingName, pending.FirstLine,
                pending.Rows);
        }

        /// <summary>The export has one refunded total per order; it is split in proportion to what the order charged.</summary>
        private static Refund? BuildRefund(Order order, decimal refunded)
        {
            if (refunded <= 0)
            {
                return null;
            }
            var merchandise = refunded;
            decimal shipping = 0, taxes = 0;
            if (order.Total > 0)
            {
                var share = Math.Min(1m, refunded / order.Total);
                shipping = Math.Round(order.Shipping * share, 2, MidpointRounding.AwayFromZero);
                taxes = Math.Round(order.Taxes * share, 2, MidpointRounding.AwayFromZero);
                merchandise = refunded - shipping - taxes;
            }
            return new Refund
            {
                ExternalId = ShopifyOrderMerge.RefundPrefix + order.ExternalId,
                CreatedAtUtc = order.CreatedAtUtc,
                LocalDate = order.LocalDate,
                Amount = merchandise,
                ShippingRefunded = shipping,
                TaxRefunded = taxes,
            };
        }

        public void AddCurrencyWarnings()
        {
            foreach (var (currency, seen) in _foreignCurrencies)
            {
                Warnings.Add(seen.FirstLine,
                    $"{seen.Orders} order{(seen.Orders == 1 ? " is" : "s are")} in {currency} while the store reports in {store.Currency}; amounts were imported without conversion.");
            }
        }

        /// <summary>Time spent writing batches (for the log).</summary>
        public TimeSpan Writing { get; private set; }

        /// <summary>Hands the orders read so far to the writer, with how far into the file they reach.</summary>
        public ParsedBatch TakeBatch(CsvImportFile file)
        {
            var batch = new ParsedBatch(Batch, file.RowsRead, file.Percent);
            Batch = new List<ImportedOrder>(BatchSize);
            return batch;
        }

        /// <summary>
        /// Writes the batches as they arrive, reporting progress after each. A failure closes the channel with it, so the
        /// reader stops instead of waiting for room.
        /// </summary>
        public async Task WriteBatchesAsync(Channel<ParsedBatch> batches, IImportProgress progress, CancellationToken cancellationToken)
        {
            try
            {
                await foreach (var batch in batches.Reader.ReadAllAsync(cancellationToken))
                {
                    var started = Stopwatch.GetTimestamp();
                    await FlushAsync(batch.Orders, cancellationToken);
                    Writing += Stopwatch.GetElapsedTime(started);
                    await progress.ReportAsync(new ImportProgress(batch.RowsRead, batch.Percent), cancellationToken);
                }
            }
            catch (Exception e)
            {
                batches.Writer.TryComplete(e);
                throw;
            }
        }

        /// <summary>Writes one batch in one transaction: new customers, new orders with lines and refunds, updates.</summary>
        private async Task FlushAsync(List<ImportedOrder> batch, CancellationToken cancellationToken)
        {
            if (batch.Count == 0)
            {
                return;
            }
            var newOrders = new List<ImportedOrder>(batch.Count);
            var existingOrders = new List<StoredMatch>();
            foreach (var imported in batch)
            {
                // An order first imported from a file without the Id column is keyed by its name.
                if (lookups.OrderIds.TryGetValue(imported.Order.ExternalId, out var id))
                {
                    existingOrders.Add(new StoredMatch(imported, id, imported.Order.ExternalId));
                }
                else if (lookups.OrderIds.TryGetValue(imported.Order.Name, out id))
                {
                    existingOrders.Add(new StoredMatch(imported, id, imported.Order.Name));
                }
                else
                {
                    newOrders.Add(imported);
                }
            }

            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await CreateCustomersAsync(batch, cancellationToken);
            foreach (var imported in batch)
            {
                imported.Order.CustomerId = imported.Email is { } email ? lookups.CustomerIdsByEmail[email] : null;
            }

            await InsertAsync(newOrders, cancellationToken);
            await UpdateAsync(existingOrders, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            db.ChangeTracker.Clear();

            foreach (var imported in newOrders)
            {
                lookups.OrderIds[imported.Order.ExternalId] = imported.Order.Id;
            }
            foreach (var (imported, id, _) in existingOrders)
            {
                lookups.OrderIds[imported.Order.ExternalId] = id;
            }
        }

        private async Task CreateCustomersAsync(List<ImportedOrder> batch, CancellationToken cancellationToken)
        {
            var created = new Dictionary<string, Customer>(StringComparer.Ordinal);
            foreach (var imported in batch)
            {
                if (imported.Email is not { } email || lookups.CustomerIdsByEmail.ContainsKey(email))
                {
                    continue;
                }
                if (created.TryGetValue(email, out var customer))
                {
                    // Exports list newest orders first; the customer exists since their oldest order.
                    if (imported.Order.CreatedAtUtc < customer.CreatedAtUtc)
                    {
                        customer.CreatedAtUtc = imported.Order.CreatedAtUtc;
                    }
                    continue;
                }
                var (firstName, lastName) = SplitName(imported.BillingName);
                created[email] = new Customer
                {
                    ExternalId = "email:" + email,
                    Email = email,
                    FirstName = firstName,
                    LastName = lastName,
                    CreatedAtUtc = imported.Order.CreatedAtUtc,
                };
            }
            if (created.Count == 0)
            {
                return;
            }
            var rows = created.Values.ToList();
            await BulkWriter.InsertAsync(db, rows, cancellationToken);
            foreach (var customer in rows)
            {
                lookups.CustomerIdsByEmail[customer.Email!] = customer.Id;
            }
            Result.CustomersCreated += rows.Count;
        }

        private async Task InsertAsync(List<ImportedOrder> newOrders, CancellationToken cancellationToken)
        {
            if (newOrders.Count == 0)
            {
                return;
            }
            var orders = newOrders.Select(o => o.Order).ToList();
            await BulkWriter.InsertAsync(db, orders, cancellationToken);
            var lines = new List<OrderLine>(orders.Count * 2);
            var refunds = new List<Refund>();
            foreach (var imported in newOrders)
            {
                foreach (var line in imported.Order.Lines)
                {
                    line.OrderId = imported.Order.Id;
                    lines.Add(line);
                }
                if (imported.Refund is { } refund)
                {
                    refund.OrderId = imported.Order.Id;
                    refunds.Add(refund);
                }
            }
            await BulkWriter.InsertAsync(db, lines, cancellationToken);
            await BulkWriter.InsertAsync(db, refunds, cancellationToken);
            Result.OrdersCreated += newOrders.Count;
            Result.Refunds += refunds.Count;
        }

        /// <summary>
        /// Compares the batch's known orders with what is stored, read without tracking; only orders that differ are
        /// loaded for update. Re-importing an unchanged file therefore costs three plain queries per batch.
        /// </summary>
        private async Task UpdateAsync(List<StoredMatch> existingOrders, CancellationToken cancellationToken)
        {
            if (existingOrders.Count == 0)
            {
                return;
            }
            var stored = await LoadOrdersAsync(existingOrders, tracked: false, cancellationToken);

            var changed = new List<StoredMatch>();
            foreach (var match in existingOrders)
            {
                var (imported, id, _) = match;
                var order = stored[id];
                if (ShopifyOrderMerge.IsUnchanged(order, imported.Order, imported.Refund))
                {
                    Result.OrdersUnchanged++;
                }
                else
                {
                    changed.Add(match);
                }
            }
            if (changed.Count == 0)
            {
                return;
            }

            var tracked = await LoadOrdersAsync(changed, tracked: true, cancellationToken);
            foreach (var (imported, id, _) in changed)
            {
                var order = tracked[id];
                if (ShopifyOrderMerge.ApplyRefund(order, imported.Refund))
                {
                    Result.Refunds++;
                }
                ShopifyOrderMerge.ApplyOrder(order, imported.Order);
                order.UpdatedAtUtc = time.GetUtcNow().UtcDateTime;
                Result.OrdersUpdated++;
            }
            await db.SaveChangesAsync(cancellationToken);
        }

        /// <summary>
        /// The stored orders of these file orders with their lines and refunds, by id. Orders are found by external id
        /// (the store's unique index); lines and refunds by order id without the store filter, because with it SQLite's
        /// planner picks the StoreId index and scans every line of the store for each batch. Those order ids were just
        /// read through the store filter, so nothing of another store can come back. Keys go in chunks: EF sends a list
        /// as one parameter per value, and SQLite binds named parameters in time quadratic in their number.
        /// </summary>
        private async Task<Dictionary<long, Order>> LoadOrdersAsync(List<StoredMatch> orders, bool tracked, CancellationToken cancellationToken)
        {
            var wanted = orders.Select(o => o.Id).ToHashSet();
            var stored = new Dictionary<long, Order>(wanted.Count);
            var keys = orders.Select(o => o.StoredKey).Distinct(StringComparer.Ordinal);
            foreach (var chunk in keys.Chunk(QueryChunk))
            {
                var query = tracked ? db.Orders.AsTracking() : db.Orders.AsNoTracking();
                foreach (var order in await query.Where(o => chunk.Contains(o.ExternalId)).ToListAsync(cancellationToken))
                {
                    if (wanted.Contains(order.Id))
                    {
                        stored[order.Id] = order;
                    }
                }
            }

            foreach (var chunk in stored.Keys.Chunk(QueryChunk))
            {
                var lines = db.OrderLines.IgnoreQueryFilters().Where(l => chunk.Contains(l.OrderId));
                var refunds = db.Refunds.IgnoreQueryFilters().Where(r => chunk.Contains(r.OrderId));
                if (tracked)
                {
                    // Tracking connects them to their orders' navigations.
                    await lines.LoadAsync(cancellationToken);
                    await refunds.LoadAsync(cancellationToken);
                    continue;
                }
                await foreach (var line in lines.AsNoTracking().AsAsyncEnumerable().WithCancellation(cancellationToken))
                {
                    stored[line.OrderId].Lines.Add(line);
                }
                await foreach (var refund in refunds.AsNoTracking().AsAsyncEnumerable().WithCancellation(cancellationToken))
                {
                    stored[refund.OrderId].Refunds.Add(refund);
                }
            }
            return stored;
        }

        private static (string? First, string? Last) SplitName(string? fullName)
        {
            if (string.IsNullOrWhiteSpace(fullName))
            {
                return (null, null);
            }
            var parts = fullName.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return (parts[0], parts.Length > 1 ? parts[1] : null);
        }

        private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
    }
}
