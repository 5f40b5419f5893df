using AdIntel.Web.Domain;
using AdIntel.Web.Imports;
using AdIntel.Web.Infrastructure.Jobs;
using AdIntel.Web.Integrations.Sync;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AdIntel.Web.Tests.Infrastructure.Jobs;

/// <summary>
/// Imports and syncs whose process died are marked interrupted, and only those: by the minutely sweep once their
/// heartbeat is stale, and at start, where with jobs in memory (SQLite, one instance) nothing unfinished can still run,
/// while with jobs shared in PostgreSQL other instances' live and waiting runs are left to them. An interrupted import's
/// upload is deleted with it.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class RunRecorderTests(AppFixture fixture)
{
    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task The_sweep_interrupts_the_runs_whose_process_stopped_beating(string provider)
    {
        await using var app = await StartAsync(provider);
        var runs = await SeedRunsAsync(app);

        await app.Services.GetRequiredService<StaleRunSweep>().RunAsync(CancellationToken.None);

        var after = await RunsAsync(app, runs);
        Assert.Equal(RunStatuses.Interrupted, after.StaleImport.Status);
        Assert.Contains(ImportRunRecorder.InterruptedMessage, after.StaleImport.ResultJson, StringComparison.Ordinal);
        Assert.Null(after.StaleImport.UploadName);
        Assert.Equal((RunStatuses.Interrupted, SyncRunRecorder.InterruptedMessage), (after.StaleSync.Status, after.StaleSync.Error));
        Assert.Equal((RunStatuses.Running, RunStatuses.Queued, RunStatuses.Running), (after.LiveImport.Status, after.QueuedImport.Status, after.LiveSync.Status));
        Assert.Equal(["live.csv", "queued.csv"], await UploadsAsync(app));
        using var connection = app.Services.GetRequiredService<JobStorage>().GetConnection();
        Assert.Contains(connection.GetRecurringJobs(), j => j.Id == StaleRunSweep.JobId);
    }

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task A_start_interrupts_what_no_live_process_can_finish(string provider)
    {
        var crashed = await StartAsync(provider);
        var runs = await SeedRunsAsync(crashed);
        await crashed.DisposeAsync();

        await using var restarted = AppFixture.Restart(crashed);

        var after = await RunsAsync(restarted, runs);
        Assert.Equal((RunStatuses.Interrupted, RunStatuses.Interrupted), (after.StaleImport.Status, after.StaleSync.Status));
        if (provider == AppFixture.Sqlite)
        {
            // Jobs were in this process's memory: nothing is running or waiting any more.
            Assert.Equal((RunStatuses.Interrupted, RunStatuses.Interrupted, RunStatuses.Interrupted),
                (after.LiveImport.Status, after.QueuedImport.Status, after.LiveSync.Status));
            Assert.Empty(await UploadsAsync(restarted));
        }
        else
        {
            // Jobs are shared in PostgreSQL: another instance still beats for these, and the waiting job survives.
            Assert.Equal((RunStatuses.Running, RunStatuses.Queued, RunStatuses.Running), (after.LiveImport.Status, after.QueuedImport.Status, after.LiveSync.Status));
            Assert.Equal(["live.csv", "queued.csv"], await UploadsAsync(restarted));
        }
    }

    private sealed record SeededRuns(long StoreId, long LiveImport, long StaleImport, long QueuedImport, long LiveSync, long StaleSync);

    private sealed record Runs(ImportRun LiveImport, ImportRun StaleImport, ImportRun QueuedImport, SyncRun LiveSync, SyncRun StaleSync);

    private Task<AdIntelApp> StartAsync(string provider) => fixture.StartAppAsync(provider, new Dictionary<string, string?>());

    /// <summary>The uploads stored in the app's database, by name.</summary>
    private static Task<List<string>> UploadsAsync(AdIntelApp app) => app.WithDbAsync(null, db =>
        db.ImportUploadChunks.IgnoreQueryFilters().Select(c => c.UploadName).Distinct().OrderBy(n => n).ToListAsync());

    /// <summary>Imports and syncs as processes leave them: beating now, silent for longer than Jobs:StaleAfter, waiting for a worker.</summary>
    private static async Task<SeededRuns> SeedRunsAsync(AdIntelApp app)
    {
        var store = await app.CreateStoreAsync();
        var now = PinnedDate.UtcNow;
        var silent = now.AddMinutes(-6);
        return await app.WithDbAsync(store.StoreId, async db =>
        {
            foreach (var upload in (string[])["live.csv", "stale.csv", "queued.csv"])
            {
                db.ImportUploadChunks.Add(new ImportUploadChunk { UploadName = upload, Length = 8, Bytes = "Name\n#1\n"u8.ToArray(), CreatedAtUtc = now });
            }
            ImportRun Import(string status, DateTime beat, string upload) => new()
            {
                Kind = ImportKinds.ShopifyOrders, FileName = upload, Status = status, UploadName = upload, StartedAtUtc = now.AddMinutes(-30), HeartbeatAtUtc = beat,
            };
            var imports = new[] { Import(RunStatuses.Running, now, "live.csv"), Import(RunStatuses.Running, silent, "stale.csv"), Import(RunStatuses.Queued, now, "queued.csv") };
            var connection = new IntegrationConnection { Provider = IntegrationProviders.Shopify, Status = IntegrationStatuses.Disconnected, ConnectedAtUtc = now, UpdatedAtUtc = now };
            db.ImportRuns.AddRange(imports);
            db.IntegrationConnections.Add(connection);
            await db.SaveChangesAsync();
            SyncRun Sync(string name, DateTime beat) => new()
            {
                ConnectionId = connection.Id, Sync = name, Kind = SyncKinds.Backfill, Status = RunStatuses.Running, StartedAtUtc = now.AddHours(-2), HeartbeatAtUtc = beat,
            };
            var syncs = new[] { Sync("shopify", now), Sync("shopify-extra", silent) };
            db.SyncRuns.AddRange(syncs);
            await db.SaveChangesAsync();
            return new SeededRuns(store.StoreId, imports[0].Id, imports[1].Id, imports[2].Id, syncs[0].Id, syncs[1].Id);
        });
    }

    private static Task<Runs> RunsAsync(AdIntelApp app, SeededRuns seeded) => app.WithDbAsync(seeded.StoreId, async db =>
    {
        var imports = await db.ImportRuns.AsNoTracking().ToDictionaryAsync(r => r.Id);
        var syncs = await db.SyncRuns.AsNoTracking().ToDictionaryAsync(r => r.Id);
        return new Runs(imports[seeded.LiveImport], imports[seeded.StaleImport], imports[seeded.QueuedImport], syncs[seeded.LiveSync], syncs[seeded.StaleSync]);
    });
}
