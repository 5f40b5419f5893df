using AdIntel.Web.Infrastructure.Options;
using AdIntel.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;

namespace AdIntel.Web.Infrastructure.Data;

public static class DataServiceCollectionExtensions
{
    /// <summary>Registers the DbContext of the configured provider, also as <see cref="AdIntelDbContext"/>.</summary>
    public static WebApplicationBuilder AddAdIntelData(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<StoreContext>();
        builder.Services.AddScoped<CrashRecovery>();

        var database = builder.Configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var connectionString = ResolveConnectionString(builder.Configuration, builder.Environment, database);
        builder.Services.AddSingleton(new DatabaseLocks(connectionString, database.IsPostgres));

        if (database.IsPostgres)
        {
            builder.Services.AddDbContext<PostgresAdIntelDbContext>(o => o.UseNpgsql(connectionString,
                npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history")).WithListedMigrations());
            builder.Services.AddScoped<AdIntelDbContext>(sp => sp.GetRequiredService<PostgresAdIntelDbContext>());
        }
        else
        {
            builder.Services.AddDbContext<SqliteAdIntelDbContext>(o => o.UseSqlite(connectionString).AddInterceptors(new SqliteConnectionSettings()).WithListedMigrations());
            builder.Services.AddScoped<AdIntelDbContext>(sp => sp.GetRequiredService<SqliteAdIntelDbContext>());
        }
        return builder;
    }

    /// <summary>
    /// ConnectionStrings:AdIntel when set; otherwise SQLite at data/adintel.db under the content root's parent
    /// when the app runs from the repository (so `dotnet run --project AdIntel.Web` writes ./data/adintel.db).
    /// </summary>
    public static string ResolveConnectionString(IConfiguration configuration, IHostEnvironment environment, DatabaseOptions database)
    {
        var configured = configuration.GetConnectionString("AdIntel");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }
        if (database.IsPostgres)
        {
            throw new InvalidOperationException("Database:Provider is Postgres but ConnectionStrings:AdIntel is not set.");
        }
        var dataDirectory = Path.Combine(RepositoryRoot(environment.ContentRootPath), "data");
        Directory.CreateDirectory(dataDirectory);
        return $"Data Source={Path.Combine(dataDirectory, "adintel.db")}";
    }

    /// <summary>The folder holding AdIntel.sln when running from a checkout, else the content root.</summary>
    public static string RepositoryRoot(string contentRoot)
    {
        var parent = Directory.GetParent(contentRoot)?.FullName;
        return parent is not null && File.Exists(Path.Combine(parent, "AdIntel.sln")) ? parent : contentRoot;
    }

    /// <summary>Migrations found without loading every type of the app (<see cref="ListedMigrationsAssembly"/>).</summary>
    public static TBuilder WithListedMigrations<TBuilder>(this TBuilder options) where TBuilder : DbContextOptionsBuilder
    {
        options.ReplaceService<IMigrationsAssembly, ListedMigrationsAssembly>();
        return options;
    }
}
