using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace AdIntel.Web.Tests.Infrastructure;

/// <summary>
/// The model as code builds it must be the model of the latest migration, for each provider: any difference is a
/// migration someone forgot (or a refactoring of the model that was not one).
/// </summary>
public sealed class ModelSnapshotTests
{
    [Fact]
    public void Sqlite_model_matches_the_latest_migration()
    {
        using var db = new SqliteAdIntelDbContext(
            new DbContextOptionsBuilder<SqliteAdIntelDbContext>().UseSqlite("Data Source=:memory:").Options, new StoreContext());

        Assert.False(db.Database.HasPendingModelChanges(), "The SQLite model differs from its latest migration snapshot.");
        AssertStoreConventions(db);
    }

    [Fact]
    public void Postgres_model_matches_the_latest_migration()
    {
        // The model is compared without connecting; the connection string only has to name the test server.
        var server = Environment.GetEnvironmentVariable("ADINTEL_TEST_POSTGRES")
            ?? throw new InvalidOperationException("ADINTEL_TEST_POSTGRES is not set: run the suite through ./test.sh, which starts PostgreSQL.");
        using var db = new PostgresAdIntelDbContext(
            new DbContextOptionsBuilder<PostgresAdIntelDbContext>().UseNpgsql(server).Options, new StoreContext());

        Assert.False(db.Database.HasPendingModelChanges(), "The PostgreSQL model differs from its latest migration snapshot.");
        AssertStoreConventions(db);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public void The_app_applies_the_migrations_and_snapshot_that_EF_Core_finds_by_loading_every_type(string provider)
    {
        // Neither context connects: the lookup only reads the assembly.
        using var scanning = Context(provider, listed: false);
        using var listing = Context(provider, listed: true);
        var everyType = scanning.GetService<IMigrationsAssembly>();
        var listed = listing.GetService<IMigrationsAssembly>();

        Assert.IsType<ListedMigrationsAssembly>(listed);
        Assert.True(everyType.Migrations.Count > 1);
        Assert.Equal(everyType.Migrations.ToList(), listed.Migrations.ToList());
        Assert.Equal(everyType.ModelSnapshot!.GetType(), listed.ModelSnapshot!.GetType());
    }

    private static AdIntelDbContext Context(string provider, bool listed)
    {
        if (provider == "Sqlite")
        {
            var sqlite = new DbContextOptionsBuilder<SqliteAdIntelDbContext>().UseSqlite("Data Source=:memory:");
            return new SqliteAdIntelDbContext(listed ? DataServiceCollectionExtensions.WithListedMigrations(sqlite).Options : sqlite.Options, new StoreContext());
        }
        var postgres = new DbContextOptionsBuilder<PostgresAdIntelDbContext>().UseNpgsql("Host=127.0.0.1;Database=unused");
        return new PostgresAdIntelDbContext(listed ? DataServiceCollectionExtensions.WithListedMigrations(postgres).Options : postgres.Options, new StoreContext());
    }

    /// <summary>
    /// Query filters are not in a migration snapshot: check every store-owned entity keeps its filter, and its cascade
    /// from the store unless it is one of the bulk-loaded tables, which have no foreign keys at all (nothing may point at
    /// them either: their rows are deleted without cascades).
    /// </summary>
    private static void AssertStoreConventions(AdIntelDbContext db)
    {
        var storeOwned = db.Model.GetEntityTypes().Where(e => typeof(IStoreOwned).IsAssignableFrom(e.ClrType)).ToList();
        Assert.NotEmpty(storeOwned);
        Assert.Equal([typeof(Customer), typeof(Order), typeof(OrderLine), typeof(Refund)],
            storeOwned.Select(e => e.ClrType).Where(AdIntelDbContext.IsBulkLoaded).OrderBy(t => t.Name));
        Assert.All(storeOwned, entity =>
        {
            Assert.NotEmpty(entity.GetDeclaredQueryFilters());
            if (AdIntelDbContext.IsBulkLoaded(entity.ClrType))
            {
                Assert.Empty(entity.GetForeignKeys());
                Assert.Empty(entity.GetReferencingForeignKeys());
                return;
            }
            var toStore = Assert.Single(entity.GetForeignKeys(), fk => fk.PrincipalEntityType.ClrType == typeof(Store));
            Assert.Equal(nameof(IStoreOwned.StoreId), Assert.Single(toStore.Properties).Name);
            Assert.Equal(DeleteBehavior.Cascade, toStore.DeleteBehavior);
        });
    }
}
