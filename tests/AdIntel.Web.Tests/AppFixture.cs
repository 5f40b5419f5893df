using System.Globalization;
using System.Net.Http.Headers;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Tenancy;
using AdIntel.Web.Tests.Security;
using Hangfire;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace AdIntel.Web.Tests;

/// <summary>
/// The one fixture of this test project. It hosts the real app (real Program, middleware, migrations, seeding) once
/// per database provider, each on a fresh database: SQLite in a temp file and PostgreSQL in a new database on the
/// server that test.sh starts (ADINTEL_TEST_POSTGRES; the Postgres lane fails, never skips, when it is missing).
/// The demo store is seeded small (Demo:Orders) to keep the suite fast. Tests that need a store of their own call
/// <see cref="AdIntelApp.CreateStoreAsync"/>, which returns an API client signed in to that new store only.
/// Use: <c>[Collection(AppCollection.Name)] public class XTests(AppFixture app)</c>, then <c>app.Sqlite</c>,
/// <c>await app.HostAsync(provider)</c> in theories over <see cref="Providers"/>.
/// </summary>
public sealed class AppFixture : IAsyncLifetime
{
    public const string Sqlite = "Sqlite";
    public const string Postgres = "Postgres";

    /// <summary>Orders the small demo store gets in tests.</summary>
    public const int DemoOrders = 4000;

    public static TheoryData<string> Providers => new() { Sqlite, Postgres };

    /// <summary>The address Local-mode apps believe they are served at (invitation and reset links).</summary>
    public const string LocalPublicUrl = "https://adintel.test";

    private readonly Dictionary<string, Lazy<Task<AdIntelApp>>> _apps = [];
    private readonly Dictionary<string, Lazy<Task<LocalApp>>> _localApps = [];
    private readonly string _directory = Directory.CreateTempSubdirectory("adintel-tests-").FullName;

    public AppFixture()
    {
        _apps[Sqlite] = new(() => StartAsync(Sqlite));
        _apps[Postgres] = new(() => StartAsync(Postgres));
        _localApps[Sqlite] = new(() => StartSharedLocalAsync(Sqlite));
        _localApps[Postgres] = new(() => StartSharedLocalAsync(Postgres));
    }

    /// <summary>A fake SMTP server that receives the Local-mode apps' e-mails.</summary>
    public FakeSmtpServer Smtp { get; } = new();

    /// <summary>The SQLite-hosted app (started on first use).</summary>
    public AdIntelApp SqliteApp => HostAsync(Sqlite).GetAwaiter().GetResult();

    public Task<AdIntelApp> HostAsync(string provider) => _apps[provider].Value;

    /// <summary>
    /// The shared app with local accounts (Auth:Mode=Local) on <paramref name="provider"/>, sending e-mail to
    /// <see cref="Smtp"/>. An administrator exists from the start, so no page redirects to first-run setup; tests make
    /// their own stores and accounts (unique e-mails), so they do not interfere.
    /// </summary>
    public Task<LocalApp> LocalAsync(string provider) => _localApps[provider].Value;

    /// <summary>A Local-mode app of its own (the caller disposes it), with <paramref name="settings"/> over the defaults.</summary>
    public async Task<LocalApp> StartLocalAsync(string provider, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Auth:Mode"] = "Local",
            ["Auth:PublicUrl"] = LocalPublicUrl,
            ["Smtp:Host"] = "127.0.0.1",
            ["Smtp:Port"] = Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Smtp:From"] = "AdIntel <adintel@adintel.test>",
            ["Smtp:Security"] = "None",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }
        return new LocalApp(await StartAppAsync(provider, all));
    }

    private async Task<LocalApp> StartSharedLocalAsync(string provider)
    {
        var app = await StartLocalAsync(provider);
        await app.CreateAccountAsync("admin-" + Guid.NewGuid().ToString("N")[..8] + "@adintel.test", LocalApp.Password, administrator: true);
        return app;
    }

    public string TempDirectory => _directory;

    private async Task<AdIntelApp> StartAsync(string provider)
    {
        var app = await StartAppAsync(provider, new Dictionary<string, string?>
        {
            ["Demo:Enabled"] = "true",
            ["Demo:Orders"] = DemoOrders.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        app.DemoStoreId = await app.WithDbAsync(null, db => Task.FromResult(db.Stores.Single(s => s.IsDemo).Id));
        return app;
    }

    /// <summary>
    /// Starts another app on a fresh database of <paramref name="provider"/>, with <paramref name="settings"/> over the
    /// defaults (no demo store), e.g. Auth:Mode=Local; on a loopback Kestrel port when <paramref name="kestrel"/> is set
    /// (its clients then come from <see cref="WebApplicationFactory{TEntryPoint}.CreateClient()"/> as usual). The caller owns (and disposes) it.
    /// </summary>
    /// <param name="services">Services added over the app's own (e.g. a sync of the test's), as a feature would register them.</param>
    public async Task<AdIntelApp> StartAppAsync(string provider, IReadOnlyDictionary<string, string?> settings, bool kestrel = false,
        Action<IServiceCollection>? services = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["Database:Provider"] = provider,
            ["ConnectionStrings:AdIntel"] = await CreateDatabaseAsync(provider),
            ["Demo:Enabled"] = "false",
            ["Logging:Directory"] = Path.Combine(_directory, "logs-" + provider + "-" + Guid.NewGuid().ToString("N")[..8]),
            // Many tests share one app and its demo session: on a fast machine they would exceed the production
            // per-minute limits together. The rate-limit tests set their own low limits.
            ["Security:SignInPermitsPerMinute"] = "100000",
            ["Security:ImportPermitsPerMinute"] = "100000",
            ["Security:ApiPermitsPerMinute"] = "1000000",
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }
        var app = new AdIntelApp(all, services);
        if (kestrel)
        {
            // A real server on a loopback port, for what only Kestrel does (request body limits on chunked bodies).
            app.UseKestrel(0);
            app.StartServer();
        }
        else
        {
            // Starting the server runs migrations and seeding before the first request.
            _ = app.Server;
        }
        return app;
    }

    /// <summary>
    /// A new host on the database and settings of <paramref name="app"/>, as the process after a restart (or a crash)
    /// finds them. The caller disposes it.
    /// </summary>
    public static AdIntelApp Restart(AdIntelApp app)
    {
        var restarted = new AdIntelApp(app.Settings, app.ExtraServices);
        _ = restarted.Server;
        return restarted;
    }

    /// <summary>A fresh, empty database of <paramref name="provider"/>: its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string provider)
    {
        if (provider != Postgres)
        {
            return $"Data Source={Path.Combine(_directory, "adintel-" + Guid.NewGuid().ToString("N")[..12] + ".db")}";
        }
        var server = Environment.GetEnvironmentVariable("ADINTEL_TEST_POSTGRES")
            ?? throw new InvalidOperationException("ADINTEL_TEST_POSTGRES is not set: run the suite through ./test.sh, which starts PostgreSQL.");
        var database = "adintel_test_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {database}", connection);
            await create.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(server) { Database = database }.ConnectionString;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var app in _localApps.Values.Where(a => a.IsValueCreated && a.Value.IsCompletedSuccessfully))
        {
            await app.Value.Result.DisposeAsync();
        }
        foreach (var app in _apps.Values.Where(a => a.IsValueCreated && a.Value.IsCompletedSuccessfully))
        {
            await app.Value.Result.DisposeAsync();
        }
        await Smtp.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file on some runs; the temp folder is cleaned by the OS.
        }
    }
}

/// <summary>
/// The same fixture for the Local-mode (accounts and security) tests: a second collection only so they run beside the
/// others instead of after them. Each collection gets its own AppFixture instance; apps start on first use.
/// </summary>
[CollectionDefinition(Name)]
public sealed class LocalAppCollection : ICollectionFixture<AppFixture>
{
    public const string Name = "local-app";
}

[CollectionDefinition(Name)]
public sealed class AppCollection : ICollectionFixture<AppFixture>
{
    public const string Name = "app";
}

/// <summary>One hosted app on one database.</summary>
public sealed class AdIntelApp(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? extraServices = null) : WebApplicationFactory<Program>
{
    public long DemoStoreId { get; internal set; }

    public IReadOnlyDictionary<string, string?> Settings => settings;

    public Action<IServiceCollection>? ExtraServices => extraServices;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
        if (PinnedDate.Clock is { } clock)
        {
            builder.ConfigureTestServices(services => services.AddSingleton(clock));
        }
        if (extraServices is not null)
        {
            builder.ConfigureTestServices(extraServices);
        }
    }

    /// <summary>Runs <paramref name="work"/> in a fresh scope acting for <paramref name="storeId"/> (null: no store).</summary>
    public async Task<T> WithDbAsync<T>(long? storeId, Func<AdIntelDbContext, Task<T>> work)
    {
        var scopes = Services.GetRequiredService<IServiceScopeFactory>();
        await using var scope = storeId is { } id ? scopes.CreateStoreScope(id) : scopes.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<AdIntelDbContext>());
    }

    public Task WithDbAsync(long? storeId, Func<AdIntelDbContext, Task> work) =>
        WithDbAsync<bool>(storeId, async db => { await work(db); return true; });

    /// <summary>Resolves a scoped service for a store and runs <paramref name="work"/> with it.</summary>
    public async Task<TResult> WithServiceAsync<TService, TResult>(long storeId, Func<TService, Task<TResult>> work) where TService : notnull
    {
        await using var scope = Services.GetRequiredService<IServiceScopeFactory>().CreateStoreScope(storeId);
        return await work(scope.ServiceProvider.GetRequiredService<TService>());
    }

    /// <summary>Creates an empty store with default settings and an API token of <paramref name="role"/> for it.</summary>
    public async Task<TestStore> CreateStoreAsync(StoreRole role = StoreRole.Owner, string timeZone = "UTC")
    {
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var storeId = await WithDbAsync(null, async db =>
        {
            var store = new Store { Name = "Test store " + suffix, ShopDomain = $"test-{suffix}.myshopify.com", TimeZone = timeZone, CreatedAtUtc = PinnedDate.UtcNow };
            db.Stores.Add(store);
            await db.SaveChangesAsync();
            return store.Id;
        });
        var token = ApiTokenAuthenticationHandler.NewToken();
        await WithDbAsync(storeId, async db =>
        {
            db.StoreSettings.Add(new StoreSettings { UpdatedAtUtc = PinnedDate.UtcNow });
            // The token is made by a member of that role, as with local accounts, where a token without its person is refused.
            var member = new StoreMember { Email = $"member-{suffix}@adintel.test", Role = role, CreatedAtUtc = PinnedDate.UtcNow };
            db.StoreMembers.Add(member);
            await db.SaveChangesAsync();
            db.ApiTokens.Add(new ApiToken { MemberId = member.Id, Name = "tests", Role = role, Prefix = token[..8], TokenHash = ApiTokenAuthenticationHandler.Hash(token), CreatedAtUtc = PinnedDate.UtcNow });
            await db.SaveChangesAsync();
        });
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new TestStore(storeId, token, client);
    }

    /// <summary>
    /// What Hangfire is doing (servers, queues, processing, failed and scheduled jobs), for a test's failure message
    /// when a background job did not finish in time.
    /// </summary>
    public string DescribeJobs()
    {
        var monitoring = Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        var text = new System.Text.StringBuilder();
        foreach (var server in monitoring.Servers())
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"server {server.Name}: {server.WorkersCount} workers, queues [{string.Join(", ", server.Queues)}], heartbeat {server.Heartbeat:O}");
        }
        foreach (var queue in monitoring.Queues())
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"queue {queue.Name}: {queue.Length} enqueued, first: {string.Join("; ", queue.FirstJobs.Select(j => $"{j.Key} {j.Value.Job?.Method.Name} at {j.Value.EnqueuedAt:O}"))}");
        }
        foreach (var (id, job) in monitoring.ProcessingJobs(0, 20))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"processing {id}: {job.Job?.Type.Name}.{job.Job?.Method.Name} since {job.StartedAt:O} on {job.ServerId}");
        }
        foreach (var (id, job) in monitoring.FailedJobs(0, 10))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"failed {id}: {job.Job?.Type.Name}.{job.Job?.Method.Name} at {job.FailedAt:O}: {job.ExceptionType}: {job.ExceptionMessage}");
        }
        foreach (var (id, job) in monitoring.ScheduledJobs(0, 20))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"scheduled {id}: {job.Job?.Type.Name}.{job.Job?.Method.Name} for {job.EnqueueAt:O}");
        }
        return text.ToString();
    }
}

/// <summary>A store made for one test, with an API client authenticated as a member of it.</summary>
public sealed record TestStore(long StoreId, string Token, HttpClient Api);
