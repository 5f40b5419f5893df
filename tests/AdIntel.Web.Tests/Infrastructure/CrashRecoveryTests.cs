using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AdIntel.Web.Demo;
using AdIntel.Web.Domain;
using AdIntel.Web.Imports;
using AdIntel.Web.Infrastructure.Options;
using AdIntel.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static AdIntel.Web.Tests.Imports.ImportTestFiles;

namespace AdIntel.Web.Tests.Infrastructure;

/// <summary>
/// A process killed in the middle of an import leaves committed orders, daily facts that miss them and a run row that
/// says "running". The next start must mark the run interrupted and rebuild the facts, and importing the file again
/// must complete it.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class CrashRecoveryTests(AppFixture fixture)
{
    private const string OrdersPath = "/api/import/shopify-orders";

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Start_after_a_crash_mid_import_marks_the_run_interrupted_and_rebuilds_the_facts(string provider)
    {
        var data = DemoStoreGenerator.Generate(new DemoOptions { Seed = 11, Orders = 600, Months = 2 }, new DateOnly(2026, 11, 25));
        var csv = await OrdersCsvAsync(data);
        var (firstThird, firstTwoThirds) = (Prefix(csv, data.Orders.Count / 3), Prefix(csv, data.Orders.Count * 2 / 3));
        var range = $"from={data.FirstDay:yyyy-MM-dd}&to={data.LastDay:yyyy-MM-dd}";

        var crashed = await fixture.StartAppAsync(provider, new Dictionary<string, string?>());
        var store = await crashed.CreateStoreAsync(timeZone: data.TimeZoneId);
        await ImportAsync(store.Api, OrdersPath, firstThird);
        var runId = await WriteHalfFinishedImportAsync(crashed, store.StoreId, firstTwoThirds);
        var storedBeforeCrash = await CountedOrdersAsync(crashed, store.StoreId);
        Assert.True(await OverviewOrdersAsync(store.Api, range) < storedBeforeCrash, "The crash state should have facts that miss orders.");
        await crashed.DisposeAsync();

        await using var restarted = AppFixture.Restart(crashed);
        using var api = restarted.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", store.Token);

        var run = await restarted.WithDbAsync(store.StoreId, db => db.ImportRuns.AsNoTracking().SingleAsync(r => r.Id == runId));
        Assert.Equal(RunStatuses.Interrupted, run.Status);
        Assert.NotNull(run.FinishedAtUtc);
        Assert.Contains("Import the file again to complete it", run.ResultJson, StringComparison.Ordinal);
        Assert.Equal(storedBeforeCrash, await OverviewOrdersAsync(api, range));

        var completed = await ImportAsync(api, OrdersPath, csv);
        var counted = await CountedOrdersAsync(restarted, store.StoreId);
        Assert.Equal(data.Orders.Count, completed.Int("ordersCreated") + completed.Int("ordersUnchanged") + completed.Int("ordersUpdated"));
        Assert.Equal(data.Orders.Count - data.Orders.Count * 2 / 3, completed.Int("ordersCreated"));
        Assert.Equal(data.Orders.Count, await restarted.WithDbAsync(store.StoreId, db => db.Orders.CountAsync()));
        Assert.Equal(counted, await OverviewOrdersAsync(api, range));
        Assert.False(await restarted.WithDbAsync(store.StoreId, db => db.PendingFactsChanges.AnyAsync()));
    }

    /// <summary>
    /// What a kill -9 four seconds into an import leaves: its batches committed, no facts rebuild, the run "running" with
    /// its last heartbeat long enough ago that, with jobs shared in PostgreSQL, no live instance can still be running it.
    /// </summary>
    private static async Task<long> WriteHalfFinishedImportAsync(AdIntelApp app, long storeId, string csv)
    {
        var bytes = Encoding.UTF8.GetBytes(csv);
        return await app.WithDbAsync(storeId, async db =>
        {
            var run = new ImportRun
            {
                Kind = ImportKinds.ShopifyOrders, FileName = "orders_export.csv", FileBytes = bytes.Length * 3 / 2,
                Status = RunStatuses.Running, ProgressPercent = 24, StartedAtUtc = PinnedDate.UtcNow.AddMinutes(-10), HeartbeatAtUtc = PinnedDate.UtcNow.AddMinutes(-6),
            };
            db.ImportRuns.Add(run);
            await db.SaveChangesAsync();
            await using var scope = app.Services.GetRequiredService<IServiceScopeFactory>().CreateStoreScope(storeId);
            using var stream = new MemoryStream(bytes);
            await scope.ServiceProvider.GetRequiredService<ShopifyOrdersCsvImporter>()
                .ImportAsync(stream, bytes.Length, run.FileName, NoImportProgress.Instance, CancellationToken.None);
            return run.Id;
        });
    }

    private static Task<int> CountedOrdersAsync(AdIntelApp app, long storeId) =>
        app.WithDbAsync(storeId, db => db.Orders.CountAsync(o => !o.IsTest && o.CancelledAtUtc == null));

    private static async Task<int> OverviewOrdersAsync(HttpClient api, string range)
    {
        var overview = await api.GetFromJsonAsync<JsonElement>("/api/overview?" + range);
        return overview.GetProperty("data").GetProperty("kpis").GetProperty("orders").GetInt32();
    }

    private static async Task<string> OrdersCsvAsync(DemoStoreData data)
    {
        await using var text = new StringWriter(CultureInfo.InvariantCulture);
        await DemoCsvWriter.WriteShopifyOrdersAsync(data, text, CancellationToken.None);
        return text.ToString();
    }

    /// <summary>The header and the rows of the file's first <paramref name="orders"/> orders (an order's rows are adjacent).</summary>
    private static string Prefix(string csv, int orders)
    {
        var rows = csv.Split('\n');
        var kept = new StringBuilder(rows[0]).Append('\n');
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows.Skip(1).Where(r => r.Length > 0))
        {
            if (names.Add(row[..row.IndexOf(',', StringComparison.Ordinal)]) && names.Count > orders)
            {
                break;
            }
            kept.Append(row).Append('\n');
        }
        return kept.ToString();
    }
}
