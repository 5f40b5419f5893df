using AdIntel.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Infrastructure.Data;

/// <summary>For stores that outgrow one machine; its migrations live in Migrations/Postgres.</summary>
public sealed class PostgresAdIntelDbContext(DbContextOptions<PostgresAdIntelDbContext> options, StoreContext storeContext)
    : AdIntelDbContext(options, storeContext);
