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
            Authorization = [new AdministratorDashboardAuthorization()],
            DashboardTitle = "AdIntel jobs",
            AppPath = "/",
        }).RequireAuthorization(AuthServiceCollectionExtensions.Policies.Administrator);
        return app;
    }

    /// <summary>
    /// Endpoint authorization already requires the installation's administrator (the dashboard shows every store's
    /// jobs); Hangfire's own filter just agrees.
    /// </summary>
    private sealed class AdministratorDashboardAuthorization : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context)
        {
            var user = context.GetHttpContext().User;
            return user.GetStoreRole() == Domain.StoreRole.Owner && user.HasClaim(AdIntelClaims.Administrator, "true");
        }
    }
}
