using AdIntel.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Infrastructure.Data;

/// <summary>The embedded default; its migrations live in Migrations/Sqlite.</summary>
public sealed class SqliteAdIntelDbContext(DbContextOptions<SqliteAdIntelDbContext> options, StoreContext storeContext)
    : AdIntelDbContext(options, storeContext);
