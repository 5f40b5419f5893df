using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AdIntel.Fakes;
using AdIntel.Fakes.Shopify;
using AdIntel.Web.Demo;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Tenancy;
using AdIntel.Web.Integrations;
using AdIntel.Web.Integrations.Sync;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

// Shopify backfill benchmark (bench/README.md): the real app in-process (SQLite, or PostgreSQL with
// ADINTEL_BENCH_POSTGRES) syncs a fake shop of N orders from
// the fake Shopify over real HTTP — bulk operations for products, customers and orders, the orders' JSONL streamed,
// upserted in batches with checkpoints, the daily facts rebuilt. Baseline from the same run: downloading the same
// orders JSONL and parsing every row, with no database.
var orders = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
var directory = Directory.CreateTempSubdirectory("adintel-syncbench-").FullName;
var database = await BenchDatabase.CreateAsync(directory);
Console.WriteLine($"AdIntel Shopify sync benchmark — {Environment.ProcessorCount} cores, .NET {Environment.Version}, {database.Label}, work dir {directory}");
Console.WriteLine($"Load average at start: {LoadAverage()}");

await using var fake = await FakeServer.StartAsync();
Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_ADINTEL_WEB", Path.Combine(SyncBenchApp.RepositoryRoot(), "AdIntel.Web"));
await using var app = new SyncBenchApp(directory, database, fake);
_ = app.Server;

// Warm-up: a small shop's backfill first, in a store of its own, so the measured one runs on optimised code as in an
// instance that has been up for a while (the first bulk write after a start runs its code unoptimised at first: tiered
// compilation). Reported beside the measured figure.
var warmupOrders = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5_000;
if (warmupOrders > 0)
{
    const string warmupShop = "sync-bench-warmup.myshopify.com";
    fake.Shopify.Admin.Seed(warmupShop, FakeShopifyCatalog.Generate(11, warmupOrders, DateTimeOffset.UtcNow.AddMinutes(-10)));
    var warmupStore = await app.ConnectAsync(warmupShop);
    var warmupWatch = Stopwatch.StartNew();
    await app.Services.GetRequiredService<IntegrationSyncRunner>().RunAsync(warmupStore, IntegrationProviders.Shopify, SyncMode.Backfill, CancellationToken.None);
    Console.WriteLine($"Warm-up: a {warmupOrders:N0}-order shop's whole backfill, the first in this process, {warmupWatch.Elapsed.TotalSeconds:F2} s");
}
// What the warm-up set off (the store's LTV fit, recommendations) runs before the measurement, not beside it.
await BackgroundJobs.WaitUntilIdleAsync(app.Services, TimeSpan.FromMinutes(5));

const string shop = "sync-bench.myshopify.com";
var generateWatch = Stopwatch.StartNew();
var catalog = fake.Shopify.Admin.Seed(shop, FakeShopifyCatalog.Generate(7, orders, DateTimeOffset.UtcNow.AddMinutes(-10)));
generateWatch.Stop();
var expected = catalog.Totals();
Console.WriteLine($"Fake shop: {expected.Orders:N0} orders, {expected.Lines:N0} lines, {expected.Refunds:N0} refunds, {catalog.Customers.Count:N0} customers, {expected.Variants} variants (generated in {generateWatch.Elapsed.TotalSeconds:F1} s)");

var storeId = await app.ConnectAsync(shop);

// CPU (this process's, and a local PostgreSQL server's) from the moment the orders file is requested to the end.
using var syncDone = new CancellationTokenSource();
var cpuAtOrdersDownload = Task.Run(async () =>
{
    while (true)
    {
        string? ordersOperationId;
        lock (fake.Shopify.Admin.BulkOperations)
        {
            ordersOperationId = fake.Shopify.Admin.BulkOperations.Values.FirstOrDefault(o => o.Shop == shop && o.Query.Contains("orders", StringComparison.Ordinal))?.Id;
        }
        var downloading = false;
        lock (fake.Shopify.Admin.Calls)
        {
            downloading = ordersOperationId is not null && fake.Shopify.Admin.Calls.Any(c => c.Root == "download " + ordersOperationId);
        }
        if (downloading || syncDone.IsCancellationRequested)
        {
            return (App: Process.GetCurrentProcess().TotalProcessorTime, Server: await database.ServerCpuSecondsAsync(), Gc: GcFigures.Now());
        }
        await Task.Delay(20);
    }
});
var syncWatch = Stopwatch.StartNew();
var runId = await app.Services.GetRequiredService<IntegrationSyncRunner>().RunAsync(storeId, IntegrationProviders.Shopify, SyncMode.Backfill, CancellationToken.None);
syncWatch.Stop();
var syncEnded = DateTimeOffset.UtcNow;
var (appCpuEnd, serverCpuEnd, gcEnd) = (Process.GetCurrentProcess().TotalProcessorTime, await database.ServerCpuSecondsAsync(), GcFigures.Now());
await syncDone.CancelAsync();
var (appCpuStart, serverCpuStart, gcStart) = await cpuAtOrdersDownload;

var operations = fake.Shopify.Admin.BulkOperations.Values.Where(o => o.Shop == shop).ToList();
var ordersOperation = operations.Single(o => o.Query.Contains("orders", StringComparison.Ordinal));
// From the moment the orders file is requested to the end: download, parse, upserts, checkpoints, facts rebuild.
var ordersDownload = fake.Shopify.Admin.Calls.First(c => c.Root == "download " + ordersOperation.Id).At;
var fromJsonl = syncEnded - ordersDownload;
var (stored, run) = await app.WithStoreAsync(storeId, async db => (
    (Orders: await db.Orders.CountAsync(), Total: await db.Orders.SumAsync(o => o.Total), Refunds: await db.Refunds.CountAsync()),
    await db.SyncRuns.AsNoTracking().SingleAsync(r => r.Id == runId)));
if (stored.Orders != expected.Orders || stored.Total != expected.TotalPrice || stored.Refunds != expected.Refunds)
{
    throw new InvalidOperationException($"The sync is wrong: {stored} stored, {expected} in the shop.");
}

// Baseline: the same orders file downloaded and every row parsed, nothing else.
using var http = new HttpClient();
var parseWatch = Stopwatch.StartNew();
long rows = 0;
await using (var stream = await http.GetStreamAsync(ordersOperation.Url))
using (var reader = new StreamReader(stream))
{
    while (await reader.ReadLineAsync() is { } line)
    {
        using var document = JsonDocument.Parse(line);
        rows += document.RootElement.ValueKind == JsonValueKind.Object ? 1 : 0;
    }
}
parseWatch.Stop();

var endToEnd = syncWatch.Elapsed.TotalSeconds;
var ingest = fromJsonl.TotalSeconds;
Console.WriteLine($"\nBackfill of {orders:N0} orders ({ordersOperation.FileSize / 1024.0 / 1024.0:F1} MiB orders JSONL, {ordersOperation.ObjectCount:N0} rows):");
Console.WriteLine($"  baseline: download + parse every row of the orders JSONL: {parseWatch.Elapsed.TotalSeconds:F2} s = {orders / parseWatch.Elapsed.TotalSeconds:N0} orders/s");
Console.WriteLine($"  orders JSONL → {database.Label} (download, parse, upsert, checkpoints, facts rebuild): {ingest:F2} s = {orders / ingest:N0} orders/s (target ≥ 20,000); ratio to baseline {ingest / parseWatch.Elapsed.TotalSeconds:F1}");
Console.WriteLine($"  CPU over those {ingest:F2} s: this process (app and fake) {(appCpuEnd - appCpuStart).TotalSeconds:F2} s"
    + (serverCpuEnd - serverCpuStart is { } server ? $", the PostgreSQL server {server:F2} s" : ""));
Console.WriteLine($"  garbage collections over those {ingest:F2} s: {gcEnd - gcStart}");
Console.WriteLine($"  whole backfill (run {run.Status}; products, customers, orders, waiting for the fake to write its files: {string.Join(" + ", operations.Select(o => o.GenerationTime.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture) + " s"))}): {endToEnd:F2} s = {orders / endToEnd:N0} orders/s");
Console.WriteLine($"Load average at end: {LoadAverage()}");

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

internal sealed class SyncBenchApp(string directory, BenchDatabase database, FakeServer fake) : WebApplicationFactory<DemoStoreSeeder>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("Database:Provider", database.Provider);
        builder.UseSetting("ConnectionStrings:AdIntel", database.ConnectionString);
        builder.UseSetting("Logging:Directory", Path.Combine(directory, "logs"));
        builder.UseSetting("Demo:Enabled", "false");
        builder.UseSetting("Shopify:ClientId", fake.Shopify.ClientId);
        builder.UseSetting("Shopify:ClientSecret", fake.Shopify.ClientSecret);
        builder.UseSetting("Shopify:ShopUrlTemplate", fake.ShopifyShopUrlTemplate);
        builder.UseSetting("Shopify:Sync:BulkPollInterval", "00:00:00.100");
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AdIntel.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Run the benchmark from inside the repository (AdIntel.sln not found above the working directory).");
    }

    public async Task<T> WithStoreAsync<T>(long storeId, Func<AdIntelDbContext, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<StoreContext>().Set(storeId);
        return await work(scope.ServiceProvider.GetRequiredService<AdIntelDbContext>());
    }

    /// <summary>A store connected to <paramref name="shop"/> with a token the fake issued, as after the OAuth install.</summary>
    public async Task<long> ConnectAsync(string shop)
    {
        var token = "shpat_bench_" + Guid.NewGuid().ToString("N");
        lock (fake.Shopify)
        {
            fake.Shopify.AccessTokens[token] = new FakeShopifyToken(shop, DateTimeOffset.UtcNow.AddHours(1));
        }
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AdIntelDbContext>();
        var store = new Store { Name = "Sync bench", ShopDomain = shop, TimeZone = "America/New_York", CreatedAtUtc = DateTime.UtcNow };
        db.Stores.Add(store);
        await db.SaveChangesAsync();
        scope.ServiceProvider.GetRequiredService<StoreContext>().Set(store.Id);
        db.StoreSettings.Add(new StoreSettings { UpdatedAtUtc = DateTime.UtcNow });
        db.IntegrationConnections.Add(new IntegrationConnection
        {
            Provider = IntegrationProviders.Shopify,
            ExternalAccountId = shop,
            EncryptedAccessToken = scope.ServiceProvider.GetRequiredService<IntegrationTokenProtector>().Protect(token),
            AccessTokenExpiresAtUtc = DateTime.UtcNow.AddHours(1),
            ConnectedAtUtc = DateTime.UtcNow,
            UpdatedAtUtc = DateTime.UtcNow,
        });
        await db.SaveChangesAsync();
        return store.Id;
    }
}

