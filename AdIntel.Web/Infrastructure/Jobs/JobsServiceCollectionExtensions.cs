using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Options;
using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Dashboard;
using Hangfire.PostgreSql;

namespace AdIntel.Web.Infrastructure.Jobs;

public static class JobsServiceCollectionExtensions
{
    /// <summary>Hangfire: in-memory storage with SQLite, PostgreSQL storage (shared by every instance) with Postgres.</summary>
    public static WebApplicationBuilder AddAdIntelJobs(this WebApplicationBuilder builder)
    {
        var database = builder.Configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        // Hangfire.AspNetCore hands out the process-wide JobStorage.Current as the host's storage, which the last host
        // to configure Hangfire overwrites: with several hosts in one process (the test suites), one host's jobs would run
        // on another host's server, against the other database. Each host keeps the storage its own configuration made.
        var storage = new HostJobStorage();
        builder.Services.AddSingleton<JobStorage>(services =>
        {
            services.GetRequiredService<IGlobalConfiguration>();
            return storage.Value ?? throw new InvalidOperationException("Hangfire's configuration did not create a job storage.");
        });
        // Likewise the job activator: Hangfire.AspNetCore hands out the process-wide JobActivator.Current, which holds the
        // service provider of the last host configured; a job would then run in another host's services (against its
        // database), or fail once that host is disposed. Each host's jobs are activated from its own services.
        builder.Services.AddSingleton<JobActivator>(services => new AspNetCoreJobActivator(services.GetRequiredService<IServiceScopeFactory>()));
        builder.Services.AddHangfire(configuration =>
        {
            configuration.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
            if (database.IsPostgres)
            {
                var connectionString = DataServiceCollectionExtensions.ResolveConnectionString(builder.Configuration, builder.Environment, database);
                // An enqueued job wakes a waiting worker of any instance at once (LISTEN/NOTIFY): "send now" and a queued
                // import do not wait for the next poll (the default 15 s; a 1 s poll still cost an import half a second on
                // average). The poll stays as the fallback. A fetched job stays invisible to other instances' workers while
                // its worker lives (sliding), however long it runs; only a job whose instance died is handed to another
                // after the timeout.
                storage.Value = configuration.UsePostgreSqlStorage(o => o.UseNpgsqlConnection(connectionString),
                    new PostgreSqlStorageOptions
                    {
                        EnableLongPolling = true,
                        QueuePollInterval = TimeSpan.FromSeconds(1),
                        UseSlidingInvisibilityTimeout = true,
                        InvisibilityTimeout = TimeSpan.FromMinutes(5),
                    }).Entry;
            }
            else
            {
                storage.Value = configuration.UseInMemoryStorage().Entry;
            }
        });
        builder.Services.AddHangfireServer(o =>
        {
            o.WorkerCount = Math.Max(2, Environment.ProcessorCount);
            // Work a person is waiting for first: a burst of scheduled rule runs must not hold up an import, "send now" or "sync now".
            o.Queues = [JobQueues.Critical, JobQueues.Default];
        });
        builder.Services.AddOptions<JobsOptions>().BindConfiguration(JobsOptions.SectionName)
            .Validate(o => o.IsValid(), "Jobs:StaleAfter must be at least three times Jobs:HeartbeatInterval (itself at least 100 ms).")
            .ValidateOnStart();
        builder.Services.AddTransient<StaleRunSweep>();
        builder.Services.AddHostedService<StaleRunSweep.Startup>();
        return builder;
    }

    public static WebApplication MapAdIntelJobsDashboard(this WebApplication app)
    {
        app.MapHangfireDashboard("/jobs", new DashboardOptions
        {
            Authorization = [new AdministratorDashboardAuthorization()],
            DashboardTitle = "AdIntel jobs",
            AppPath = "/",
        }).RequireAuthorization(Policies.Administrator);
        return app;
    }

    /// <summary>The storage one host's Hangfire configuration created (set when the configuration runs).</summary>
    private sealed class HostJobStorage
    {
        public JobStorage? Value { get; set; }
    }

    /// <summary>
    /// Endpoint authorization already requires the installation's administrator (the dashboard shows every store's
    /// jobs); Hangfire's own filter just agrees.
    /// </summary>
    private sealed class AdministratorDashboardAuthorization : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsInstallationAdministrator();
    }
}

/// <summary>Hangfire queues, in the order workers take from them (by position for PostgreSQL, alphabetically elsewhere; both agree).</summary>
public static class JobQueues
{
    /// <summary>Jobs someone just asked for and watches: an import, "send now", "sync now", a first sync after connecting.</summary>
    public const string Critical = "critical";

    /// <summary>Everything scheduled.</summary>
    public const string Default = "default";
}
