using System.Diagnostics;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Options;
using AdIntel.Web.Infrastructure.Tenancy;
using AdIntel.Web.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Demo;

/// <summary>
/// Creates the demo store in an empty database: generates its history (<see cref="DemoStoreGenerator"/>), writes it
/// with <see cref="BulkWriter"/> and builds the daily facts the screens read, all in one transaction.
/// </summary>
public sealed class DemoStoreSeeder(
    AdIntelDbContext db,
    StoreContext storeContext,
    DailyFactsBuilder factsBuilder,
    IOptions<DemoOptions> options,
    TimeProvider time,
    ILogger<DemoStoreSeeder> logger)
{
    /// <summary>Rows per insert call, so the log shows progress on large stores.</summary>
    private const int ProgressBatch = 10_000;

    public async Task<long> SeedAsync(CancellationToken cancellationToken)
    {
        var demo = options.Value;
        var total = Stopwatch.StartNew();
        var nowUtc = time.GetUtcNow().UtcDateTime;
        var timeZone = TimeZoneInfo.FindSystemTimeZoneById(DemoStoreGenerator.TimeZoneId);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(nowUtc, timeZone));

        logger.LogInformation("Demo store: generating {Orders:N0} orders over {Months} months up to {LastDay} (seed {Seed})…",
            demo.Orders, demo.Months, today.AddDays(-1), demo.Seed);
        var phase = Stopwatch.StartNew();
        var data = DemoStoreGenerator.Generate(demo, today);
        logger.LogInformation(
            "Demo store: generated {Customers:N0} customers, {Orders:N0} orders, {Lines:N0} order lines, {Refunds:N0} refunds, " +
            "{Ads:N0} ads and {Insights:N0} ad insight rows in {ElapsedMs} ms",
            data.Customers.Count, data.Orders.Count, data.OrderLines.Count, data.Refunds.Count, data.Ads.Count, data.Insights.Count,
            phase.ElapsedMilliseconds);

        phase.Restart();
        long storeId;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var store = new Store
            {
                Name = DemoStoreGenerator.StoreName,
                ShopDomain = DemoStoreGenerator.ShopDomain,
                IsDemo = true,
                Currency = data.Currency,
                TimeZone = data.TimeZoneId,
                CreatedAtUtc = nowUtc,
            };
            db.Stores.Add(store);
            await db.SaveChangesAsync(cancellationToken);
            storeId = store.Id;
            storeContext.Set(storeId);

            await MoveIdsPastExistingRowsAsync(data, cancellationToken);
            data.Settings.UpdatedAtUtc = nowUtc;
            await InsertAsync([data.Settings], "store settings", cancellationToken);
            await InsertAsync(data.Products, "products", cancellationToken);
            await InsertAsync(data.Variants, "product variants", cancellationToken);
            await InsertAsync(data.Customers, "customers", cancellationToken);
            await InsertAsync(data.Orders, "orders", cancellationToken);
            await InsertAsync(data.OrderLines, "order lines", cancellationToken);
            await InsertAsync(data.Refunds, "refunds", cancellationToken);
            await InsertAsync([data.AdAccount], "ad accounts", cancellationToken);
            await InsertAsync(data.Campaigns, "campaigns", cancellationToken);
            await InsertAsync(data.AdSets, "ad sets", cancellationToken);
            await InsertAsync(data.Ads, "ads", cancellationToken);
            await InsertAsync(data.Creatives, "ad creatives", cancellationToken);
            await InsertAsync(data.Insights, "ad insight rows", cancellationToken);
            logger.LogInformation("Demo store {StoreId}: data written in {ElapsedMs} ms", storeId, phase.ElapsedMilliseconds);

            // In the same transaction: a crash leaves an empty database (seeded again at the next start), never a
            // demo store without facts.
            phase.Restart();
            await factsBuilder.RebuildAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            logger.LogInformation("Demo store {StoreId}: daily facts built in {ElapsedMs} ms", storeId, phase.ElapsedMilliseconds);
        }

        logger.LogInformation(
            "Demo store {StoreId} \"{Name}\" ready in {ElapsedMs} ms: {FirstDay}..{LastDay}, Meta tracking outage {OutageFrom}..{OutageTo}",
            storeId, DemoStoreGenerator.StoreName, total.ElapsedMilliseconds, data.FirstDay, data.LastDay, data.TrackingOutageFrom,
            data.TrackingOutageTo);
        return storeId;
    }

    private async Task InsertAsync<T>(IReadOnlyList<T> rows, string what, CancellationToken cancellationToken) where T : class
    {
        var stopwatch = Stopwatch.StartNew();
        for (var start = 0; start < rows.Count; start += ProgressBatch)
        {
            var batch = start == 0 && rows.Count <= ProgressBatch ? rows : rows.Skip(start).Take(ProgressBatch).ToList();
            await BulkWriter.InsertAsync(db, batch, cancellationToken);
            if (rows.Count > ProgressBatch)
            {
                var done = Math.Min(rows.Count, start + ProgressBatch);
                logger.LogInformation("Demo store: inserted {Done:N0}/{Total:N0} {What}", done, rows.Count, what);
            }
        }
        logger.LogInformation("Demo store: inserted {Count:N0} {What} in {ElapsedMs} ms", rows.Count, what, stopwatch.ElapsedMilliseconds);
    }

    /// <summary>
    /// The generator numbers every entity from 1; shift ids and foreign keys past the rows already in each table
    /// (other stores), so the links survive insertion unchanged.
    /// </summary>
    private async Task MoveIdsPastExistingRowsAsync(DemoStoreData data, CancellationToken cancellationToken)
    {
        var settings = await MaxIdAsync<StoreSettings>(cancellationToken);
        var products = await MaxIdAsync<Product>(cancellationToken);
        var variants = await MaxIdAsync<ProductVariant>(cancellationToken);
        var customers = await MaxIdAsync<Customer>(cancellationToken);
        var orders = await MaxIdAsync<Order>(cancellationToken);
        var lines = await MaxIdAsync<OrderLine>(cancellationToken);
        var refunds = await MaxIdAsync<Refund>(cancellationToken);
        var accounts = await MaxIdAsync<AdAccount>(cancellationToken);
        var campaigns = await MaxIdAsync<Campaign>(cancellationToken);
        var adSets = await MaxIdAsync<AdSet>(cancellationToken);
        var ads = await MaxIdAsync<Ad>(cancellationToken);
        var insights = await MaxIdAsync<AdInsightDaily>(cancellationToken);
        var creatives = await MaxIdAsync<AdCreative>(cancellationToken);

        data.Settings.Id += settings;
        foreach (var product in data.Products)
        {
            product.Id += products;
        }
        foreach (var variant in data.Variants)
        {
            variant.Id += variants;
            variant.ProductId += products;
        }
        foreach (var customer in data.Customers)
        {
            customer.Id += customers;
        }
        foreach (var order in data.Orders)
        {
            order.Id += orders;
            order.CustomerId += customers;
        }
        foreach (var line in data.OrderLines)
        {
            line.Id += lines;
            line.OrderId += orders;
            line.VariantId += variants;
        }
        foreach (var refund in data.Refunds)
        {
            refund.Id += refunds;
            refund.OrderId += orders;
        }
        data.AdAccount.Id += accounts;
        foreach (var campaign in data.Campaigns)
        {
            campaign.Id += campaigns;
            campaign.AdAccountId += accounts;
        }
        foreach (var adSet in data.AdSets)
        {
            adSet.Id += adSets;
            adSet.CampaignId += campaigns;
        }
        foreach (var ad in data.Ads)
        {
            ad.Id += ads;
            ad.AdSetId += adSets;
            ad.CampaignId += campaigns;
        }
        foreach (var creative in data.Creatives)
        {
            creative.Id += creatives;
            creative.AdId += ads;
        }
        foreach (var insight in data.Insights)
        {
            insight.Id += insights;
            insight.AdId += ads;
        }
    }

    private async Task<long> MaxIdAsync<T>(CancellationToken cancellationToken) where T : class =>
        await db.Set<T>().IgnoreQueryFilters().Select(e => (long?)EF.Property<long>(e, "Id")).MaxAsync(cancellationToken) ?? 0;
}
