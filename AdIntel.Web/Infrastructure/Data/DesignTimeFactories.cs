using AdIntel.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace AdIntel.Web.Infrastructure.Data;

/// <summary>Used by `dotnet ef migrations add` only (see scripts/add-migration.sh).</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteAdIntelDbContext>
{
    public SqliteAdIntelDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteAdIntelDbContext>().UseSqlite("Data Source=design-time.db").Options, new StoreContext());
}

/// <summary>Used by `dotnet ef migrations add` only; no server is contacted.</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresAdIntelDbContext>
{
    public PostgresAdIntelDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresAdIntelDbContext>()
            .UseNpgsql("Host=127.0.0.1;Port=5544;Database=adintel_design", o => o.MigrationsHistoryTable("__ef_migrations_history")).Options,
            new StoreContext());
}
