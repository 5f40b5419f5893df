using AdIntel.Web.Alerts;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Integrations;
using AdIntel.Web.Integrations.Sync;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AdIntel.Web.Tests.Integrations;

/// <summary>
/// The sync framework with a sync that exists only in this test: implementing <see cref="IIntegrationSync"/> and
/// registering it is all it takes for "Sync now" and the store's schedule to run it as Hangfire jobs, for its runs to be
/// recorded (progress, success, failure) and kept to one at a time, and for its connection to show the outcome.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class IntegrationSyncTests(AppFixture fixture)
{
    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task A_new_sync_plugs_in_by_implementing_the_interface_and_runs_from_sync_now_and_the_schedule(string provider)
    {
        var feed = new FeedControl();
        await using var app = await StartAsync(provider, feed);
        var storeId = await ConnectFeedAsync(app);
        var schedules = app.Services.GetRequiredService<IntegrationSchedules>();

        schedules.SyncNow(storeId, FeedSync.Feed);
        var first = await FinishedRunAsync(app, storeId, 1);

        Assert.Equal((FeedSync.Feed, SyncKinds.Backfill, RunStatuses.Succeeded, "Done"), (first.Sync, first.Kind, first.Status, first.Phase));
        Assert.Equal((3L, (long?)3), (first.Processed, first.Total));
        var connection = await app.WithDbAsync(storeId, db => db.IntegrationConnections.AsNoTracking().SingleAsync());
        Assert.Equal("{\"page\":3}", connection.CheckpointJson);
        Assert.Equal(first.FinishedAtUtc, connection.LastSyncSucceededAtUtc);

        // The store's recurring job runs every registered sync (Shopify and Meta have no connection here, so they skip).
        schedules.Ensure(storeId);
        app.Services.GetRequiredService<IRecurringJobManager>().Trigger(IntegrationSchedules.JobId(storeId));
        var second = await FinishedRunAsync(app, storeId, 2);

        Assert.Equal((SyncKinds.Incremental, RunStatuses.Succeeded), (second.Kind, second.Status));
        Assert.Equal(2, feed.Runs);
    }

    [Fact]
    public async Task A_failing_sync_is_recorded_on_its_run_and_its_connection_until_a_run_succeeds()
    {
        var feed = new FeedControl { Failure = new UnauthorizedAccessException("token revoked") };
        await using var app = await StartAsync(AppFixture.Sqlite, feed);
        var storeId = await ConnectFeedAsync(app);
        var runner = app.Services.GetRequiredService<IntegrationSyncRunner>();

        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => runner.RunAsync(storeId, FeedSync.Feed, SyncMode.Auto, CancellationToken.None));

        var (failed, connection) = await app.WithDbAsync(storeId, async db =>
            (await db.SyncRuns.AsNoTracking().SingleAsync(), await db.IntegrationConnections.AsNoTracking().SingleAsync()));
        Assert.Equal((RunStatuses.Failed, "The feed refused the sync: token revoked"), (failed.Status, failed.Error));
        Assert.NotNull(failed.FinishedAtUtc);
        Assert.Equal((IntegrationStatuses.Error, "The feed refused the sync: token revoked"), (connection.Status, connection.LastError));
        // Alerts: the failed sync, and the revoked access.
        var alerts = await app.WithDbAsync(storeId, db => db.Alerts.AsNoTracking().OrderBy(a => a.Id).ToListAsync());
        Assert.Equal([(AlertSources.Sync, "sync_failed", ConnectionAlerts.SyncKey(connection.Id, FeedSync.Feed), AlertStatuses.Open),
            (AlertSources.Token, "token_revoked", ConnectionAlerts.TokenKey(connection.Id), AlertStatuses.Open)],
            alerts.Select(a => (a.Source, a.Type, a.ConditionKey, a.Status)));
        Assert.Contains("token revoked", alerts[0].Message, StringComparison.Ordinal);

        feed.Failure = null;
        var next = await runner.RunAsync(storeId, FeedSync.Feed, SyncMode.Auto, CancellationToken.None);

        var (succeeded, reconnected) = await app.WithDbAsync(storeId, async db =>
            (await db.SyncRuns.AsNoTracking().SingleAsync(r => r.Id == next), await db.IntegrationConnections.AsNoTracking().SingleAsync()));
        Assert.Equal((SyncKinds.Backfill, RunStatuses.Succeeded), (succeeded.Kind, succeeded.Status));
        Assert.Equal((IntegrationStatuses.Connected, null), (reconnected.Status, reconnected.LastError));
        // The next success resolves both.
        Assert.All(await app.WithDbAsync(storeId, db => db.Alerts.AsNoTracking().ToListAsync()), a => Assert.Equal(AlertStatuses.Resolved, a.Status));
    }

    [Fact]
    public async Task A_token_that_stops_working_within_a_week_raises_an_alert_until_it_is_renewed()
    {
        await using var app = await StartAsync(AppFixture.Sqlite, new FeedControl());
        var storeId = await ConnectFeedAsync(app);
        await app.WithDbAsync(storeId, db => db.IntegrationConnections.ExecuteUpdateAsync(set =>
            set.SetProperty(c => c.AccessTokenExpiresAtUtc, PinnedDate.UtcNow.AddDays(3).AddMinutes(5))));
        var runner = app.Services.GetRequiredService<IntegrationSyncRunner>();

        await runner.RunAsync(storeId, FeedSync.Feed, SyncMode.Auto, CancellationToken.None);

        var alert = await app.WithDbAsync(storeId, db => db.Alerts.AsNoTracking().SingleAsync());
        Assert.Equal((AlertSources.Token, "token_expiring", AlertSeverities.High, AlertStatuses.Open), (alert.Source, alert.Type, alert.Severity, alert.Status));
        Assert.Equal(new AlertFigure("Days left", 3.0m, "days"), Assert.Single(AlertWriter.ReadEvidence(alert).Figures));

        // Renewed for 60 days (as Meta's long-lived tokens are): the next run resolves it.
        await app.WithDbAsync(storeId, db => db.IntegrationConnections.ExecuteUpdateAsync(set =>
            set.SetProperty(c => c.AccessTokenExpiresAtUtc, PinnedDate.UtcNow.AddDays(60))));
        await runner.RunAsync(storeId, FeedSync.Feed, SyncMode.Auto, CancellationToken.None);
        Assert.Equal(AlertStatuses.Resolved, (await app.WithDbAsync(storeId, db => db.Alerts.AsNoTracking().SingleAsync())).Status);
    }

    [Fact]
    public async Task A_running_sync_beats_however_long_it_is_silent_so_a_second_start_leaves_it_alone()
    {
        var feed = new FeedControl { Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously) };
        await using var app = await StartAsync(AppFixture.Sqlite, feed, new Dictionary<string, string?>
        {
            ["Jobs:HeartbeatInterval"] = "00:00:00.200",
            ["Jobs:StaleAfter"] = "00:00:01",
        });
        var storeId = await ConnectFeedAsync(app);
        var runner = app.Services.GetRequiredService<IntegrationSyncRunner>();

        var first = Task.Run(() => runner.RunAsync(storeId, FeedSync.Feed, SyncMode.Auto, CancellationToken.None));
        SyncRun? running = null;
        // Silent (waiting at the gate) for longer than Jobs:StaleAfter, yet its heartbeat keeps up.
        await Eventually.HoldsAsync(async () =>
        {
            running = await app.WithDbAsync(storeId, db => db.SyncRuns.AsNoTracking().SingleOrDefaultAsync());
            return running is not null && running.HeartbeatAtUtc - running.StartedAtUtc > TimeSpan.FromSeconds(1.5);
        }, "the waiting sync's heartbeat did not move on", describe: () => $"run: {running?.Status} started {running?.StartedAtUtc:O}, beat {running?.HeartbeatAtUtc:O}");

        var second = await runner.RunAsync(storeId, FeedSync.Feed, SyncMode.Auto, CancellationToken.None);

        Assert.Equal(running!.Id, second);
        Assert.Equal(1, feed.Runs);
        feed.Gate.SetResult();
        Assert.Equal(running.Id, await first);
        var finished = await app.WithDbAsync(storeId, db => db.SyncRuns.AsNoTracking().SingleAsync());
        Assert.Equal(RunStatuses.Succeeded, finished.Status);
    }

    private Task<AdIntelApp> StartAsync(string provider, FeedControl feed, IReadOnlyDictionary<string, string?>? settings = null) =>
        fixture.StartAppAsync(provider, settings ?? new Dictionary<string, string?>(), services: services =>
        {
            services.AddSingleton(feed);
            services.AddIntegrationSync<FeedSync>();
        });

    private static async Task<long> ConnectFeedAsync(AdIntelApp app)
    {
        var store = await app.CreateStoreAsync();
        await app.WithDbAsync(store.StoreId, async db =>
        {
            db.IntegrationConnections.Add(new IntegrationConnection
            {
                Provider = FeedSync.Feed, ExternalAccountId = "feed-1", ConnectedAtUtc = PinnedDate.UtcNow, UpdatedAtUtc = PinnedDate.UtcNow,
            });
            await db.SaveChangesAsync();
        });
        return store.StoreId;
    }

    private static async Task<SyncRun> FinishedRunAsync(AdIntelApp app, long storeId, int runs)
    {
        List<SyncRun> finished = [];
        await Eventually.HoldsAsync(async () =>
        {
            finished = await app.WithDbAsync(storeId, db => db.SyncRuns.AsNoTracking().Where(r => r.Status != RunStatuses.Running).OrderBy(r => r.Id).ToListAsync());
            return finished.Count >= runs;
        }, $"Sync {runs} did not finish", describe: app.DescribeJobs);
        return finished[runs - 1];
    }

    /// <summary>What the test makes the feed do.</summary>
    private sealed class FeedControl
    {
        private int _runs;

        public int Runs => _runs;

        public Exception? Failure { get; set; }

        /// <summary>The sync waits here before its first page.</summary>
        public TaskCompletionSource Gate { get; init; } = CompletedGate();

        public void Started() => Interlocked.Increment(ref _runs);

        private static TaskCompletionSource CompletedGate()
        {
            var gate = new TaskCompletionSource();
            gate.SetResult();
            return gate;
        }
    }

    /// <summary>A made-up feed of three pages; its checkpoint is the last page written.</summary>
    private sealed class FeedSync(AdIntelDbContext db, FeedControl control) : IIntegrationSync
    {
        /// <summary>Its name, and the provider of the connection it reads.</summary>
        public const string Feed = "test-feed";

        public string Name => Feed;

        public string Provider => Feed;

        public string ChooseKind(IntegrationConnection connection, SyncMode mode) =>
            mode == SyncMode.Backfill || connection.CheckpointJson == "{}" ? SyncKinds.Backfill : SyncKinds.Incremental;

        public async Task RunAsync(SyncRunContext context, CancellationToken cancellationToken)
        {
            control.Started();
            await control.Gate.Task.WaitAsync(cancellationToken);
            if (control.Failure is { } failure)
            {
                throw failure;
            }
            context.Run.Total = 3;
            for (var page = 1; page <= 3; page++)
            {
                await context.SetPhaseAsync($"Page {page} of 3", cancellationToken);
                context.Run.Processed = page;
                context.Connection.CheckpointJson = $"{{\"page\":{page}}}";
                await db.SaveChangesAsync(cancellationToken);
            }
        }

        public SyncFailure DescribeFailure(Exception exception) =>
            new("The feed refused the sync: " + exception.Message, NeedsReconnect: exception is UnauthorizedAccessException);
    }
}
