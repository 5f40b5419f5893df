using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Infrastructure.Data;

/// <summary>For stores that outgrow one machine; its migrations live in Migrations/Postgres.</summary>
public sealed class PostgresAdIntelDbContext(DbContextOptions<PostgresAdIntelDbContext> options, StoreContext storeContext)
    : AdIntelDbContext(options, storeContext)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        // Shopify's ids of the bulk-written rows are opaque keys, compared byte by byte ("C") rather than by the
        // database's locale: their unique indexes take a large import's rows in ~20 % less time (an export's customers
        // are keyed by e-mail, in no order), and nothing sorts them for people.
        modelBuilder.Entity<Customer>().Property(c => c.ExternalId).UseCollation("C");
        modelBuilder.Entity<Order>().Property(o => o.ExternalId).UseCollation("C");
        modelBuilder.Entity<Refund>().Property(r => r.ExternalId).UseCollation("C");
    }
}
