using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Options;
using Hangfire;
using Hangfire.Dashboard;
using Hangfire.PostgreSql;

namespace AdIntel.Web.Infrastructure.Jobs;

public static class JobsServiceCollectionExtensions
{
    /// <summary>Hangfire: in-memory storage with SQLite, PostgreSQL storage (shared by every instance) with Postgres.</summary>
    public static WebApplicationBuilder AddAdIntelJobs(this WebApplicationBuilder builder)
    {
        var database = builder.Configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        builder.Services.AddHangfire(configuration =>
        {
            configuration.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
            if (database.IsPostgres)
            {
                var connectionString = DataServiceCollectionExtensions.ResolveConnectionString(builder.Configuration, builder.Environment, database);
                configuration.UsePostgreSqlStorage(o => o.UseNpgsqlConnection(connectionString));
            }
            else
            {
                configuration.UseInMemoryStorage();
            }
        });
        builder.Services.AddHangfireServer(o => o.WorkerCount = Math.Max(2, Environment.ProcessorCount));
        return builder;
    }

    public static WebApplication MapAdIntelJobsDashboard(this WebApplication app)
    {
        app.MapHangfireDashboard("/jobs", new DashboardOptions
        {
            Authorization = [new OwnerDashboardAuthorization()],
            DashboardTitle = "AdIntel jobs",
            AppPath = "/",
        }).RequireAuthorization(AuthServiceCollectionExtensions.Policies.Owner);
        return app;
    }

    /// <summary>Endpoint authorization already requires an owner; Hangfire's own filter just agrees.</summary>
    private sealed class OwnerDashboardAuthorization : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context) =>
            context.GetHttpContext().User.GetStoreRole() == Domain.StoreRole.Owner;
    }
}
