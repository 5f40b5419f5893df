using System.Diagnostics;
using System.Threading.Channels;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Ingestion;
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
/// (the first non-empty value of an order's rows is used, so either layout works). The file is parsed here into
/// <see cref="IncomingOrder"/>s, which <see cref="OrderWriter"/> stores as it stores the sync's
/// (<see cref="OrderWriteMode.IfDifferent"/>: re-importing a file changes nothing; a changed order is updated in place).
/// <list type="bullet">
/// <item>Orders are keyed by the "Id" column (Shopify's order id, the same key a store connection uses), else by "Name".</item>
/// <item>Customers are identified by lower-cased e-mail (the export has no customer id): the writer reuses the store's
/// customer with that e-mail (from a store connection, say). No e-mail: a guest order.</item>
/// <item>"Refunded Amount" becomes the order's one estimated refund, booked on the order's own day because the export
/// has no refund date, and split over merchandise, shipping and taxes in proportion to the order's amounts. Orders that
/// already have refunds from a store connection keep those instead.</item>
/// <item>Cancelled orders ("Cancelled at") and test orders (Shopify's test "Bogus" gateway) are imported but do not count as sales.</item>
/// <item>An order with any bad row is rejected whole, with an error on each bad line; good orders are kept.</item>
/// </list>
/// Rows are streamed; orders are written in batches of 5,000 by a second task while the next batch is read.
/// </summary>
public sealed class ShopifyOrdersCsvImporter(AdIntelDbContext db, OrderWriter writer, ILogger<ShopifyOrdersCsvImporter> logger)
{
    /// <summary>Orders per database batch, one transaction each (~5 MB in memory): the writer starts once the first is read.</summary>
    private const int BatchSize = 5000;
    private const decimal Tolerance = 0.01m;

    public async Task<ShopifyOrdersImportResult> ImportAsync(Stream csv, long totalBytes, string fileName, IImportProgress progress,
        CancellationToken cancellationToken)
    {
        var store = await db.Stores.AsNoTracking().SingleAsync(s => s.Id == db.StoreContext.RequiredStoreId, cancellationToken);
        // The same zone resolution as the metrics, so an order's day here is the day the overview counts it on.
        var zone = StoreClock.ResolveTimeZone(store.TimeZone);

        using var file = CsvImportFile.Open(csv, totalBytes, fileName, out var encodingWarning);
        var columns = Columns.Resolve(file);
        await writer.PreloadAsync(cancellationToken);
        var run = new Run(db, writer, store, zone, columns);
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

    /// <summary>
    /// The rows of one order while they are being read. Orders are read one at a time, so one instance serves them all
    /// (<see cref="Start"/>): an import of 100,000 orders makes no garbage of its own for them.
    /// </summary>
    private sealed class PendingOrder
    {
        public string Name { get; private set; } = "";
        public int FirstLine { get; private set; }
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
        public List<IncomingOrderLine> Lines { get; } = [];

        public PendingOrder Start(string name, int firstLine)
        {
            (Name, FirstLine, Rows, Rejected) = (name, firstLine, 0, false);
            (Id, Email, FinancialStatus, Currency, DiscountCode, Source, PaymentMethod, BillingName) = (null, null, null, null, null, null, null, null);
            (CreatedAtUtc, CancelledAtUtc) = (null, null);
            (Shipping, Taxes, Total, DiscountAmount, RefundedAmount) = (null, null, null, null, null);
            Lines.Clear();
            return this;
        }
    }

    /// <summary>Orders handed from the reader to the writer, and the reader's position in the file when it handed them over.</summary>
    private sealed record ParsedBatch(List<OrderWriter.PreparedOrder> Orders, int RowsRead, int Percent);

    /// <summary>
    /// An order read and made ready for the writer as soon as its last row is read (on the reading side, which has time
    /// to spare while the last batch is written), with its name and the file rows it came from.
    /// </summary>
    private sealed record ParsedOrder(OrderWriter.PreparedOrder Order, string Name, int Rows);

    /// <summary>The state of one import: counters, messages, the current batch.</summary>
    private sealed class Run(AdIntelDbContext db, OrderWriter writer, Store store, TimeZoneInfo zone, Columns columns)
    {
        /// <summary>Every order key (and the line where it started) seen in this file, to catch split or repeated orders.</summary>
        private readonly Dictionary<string, int> _seenOrders = new(StringComparer.Ordinal);
        private readonly Dictionary<string, (int Orders, int FirstLine)> _foreignCurrencies = new(StringComparer.Ordinal);

        private readonly PendingOrder _pending = new();

        public ShopifyOrdersImportResult Result { get; } = new();
        public ImportMessageList Errors { get; } = new();
        public ImportMessageList Warnings { get; } = new();
        public List<ParsedOrder> Batch { get; private set; } = new(BatchSize);

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
                pending = _pending.Start(name, line);
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
            order.Lines.Add(new IncomingOrderLine
            {
                Title = title,
                Sku = NullIfEmpty(file.Get(columns.LineSku)),
                Quantity = (int)quantity,
                UnitPrice = price,
                Discount = discount,
            });
        }

        /// <summary>An order's rows turned up apart: its earlier part is not imported either, unless it was already written.</summary>
        private string WithdrawEarlierPart(string name)
        {
            var index = Batch.FindIndex(o => string.Equals(o.Name, name, StringComparison.Ordinal));
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
            Batch.Add(new ParsedOrder(writer.Prepare(Build(pending, externalId)), pending.Name, pending.Rows));
        }

        private IncomingOrder Build(PendingOrder pending, string externalId)
        {
            var gross = IncomingOrder.GrossOf(pending.Lines);
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
            var createdAt = pending.CreatedAtUtc!.Value;
            return new IncomingOrder
            {
                ExternalId = externalId,
                Name = pending.Name,
                Email = pending.Email,
                Customer = pending.Email is { } email ? Customer(email, pending.BillingName) : null,
                CreatedAtUtc = createdAt,
                Currency = currency,
                FinancialStatus = pending.FinancialStatus,
                CancelledAtUtc = pending.CancelledAtUtc,
                IsTest = pending.PaymentMethod?.Contains("bogus", StringComparison.OrdinalIgnoreCase) == true,
                SourceName = pending.Source,
                Discounts = discounts,
                Shipping = shipping,
                Taxes = taxes,
                Total = total,
                DiscountCode = pending.DiscountCode,
                Lines = pending.Lines.ToArray(),
                Refunds = EstimateRefund(createdAt, total, shipping, taxes, pending.RefundedAmount ?? 0) is { } refund ? [refund] : [],
                RefundsAreEstimated = true,
            };
        }

        /// <summary>An e-mail-only customer, named after the order's billing name.</summary>
        private static IncomingCustomer Customer(string email, string? billingName)
        {
            var (firstName, lastName) = SplitName(billingName);
            return new IncomingCustomer { Email = email, FirstName = firstName, LastName = lastName };
        }

        /// <summary>
        /// The export has one refunded total per order and no refund date: one refund on the order's own time, split in
        /// proportion to what the order charged.
        /// </summary>
        private static IncomingRefund? EstimateRefund(DateTime createdAt, decimal total, decimal shipping, decimal taxes, decimal refunded)
        {
            if (refunded <= 0)
            {
                return null;
            }
            decimal shippingRefunded = 0, taxRefunded = 0;
            if (total > 0)
            {
                var share = Math.Min(1m, refunded / total);
                shippingRefunded = Math.Round(shipping * share, 2, MidpointRounding.AwayFromZero);
                taxRefunded = Math.Round(taxes * share, 2, MidpointRounding.AwayFromZero);
            }
            return new IncomingRefund { CreatedAtUtc = createdAt, Total = refunded, Shipping = shippingRefunded, Tax = taxRefunded };
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
            var batch = new ParsedBatch(Batch.ConvertAll(o => o.Order), file.RowsRead, file.Percent);
            Batch = new List<ParsedOrder>(BatchSize);
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
                    var written = await WriteAsync(batch, cancellationToken);
                    Result.OrdersCreated += written.Created;
                    Result.OrdersUpdated += written.Updated;
                    Result.OrdersUnchanged += written.Unchanged;
                    Result.CustomersCreated += written.CustomersCreated;
                    Result.Refunds += written.Refunds;
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

        /// <summary>
        /// One batch in one transaction, whose commit does not wait for the disk (<see cref="Transactions.SkipCommitFlushAsync"/>):
        /// a crash of the database server fails the import, which is safe to run again, and the run's ending is an
        /// ordinary commit that flushes every batch before it.
        /// </summary>
        private async Task<OrderWriteResult> WriteAsync(ParsedBatch batch, CancellationToken cancellationToken)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.Database.SkipCommitFlushAsync(cancellationToken);
            var written = await writer.UpsertAsync(batch.Orders, OrderWriteMode.IfDifferent, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return written;
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
