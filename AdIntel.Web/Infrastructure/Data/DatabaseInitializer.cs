using System.Diagnostics;
using AdIntel.Web.Infrastructure.Options;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Infrastructure.Data;

public static class DatabaseInitializer
{
    /// <summary>
    /// Applies migrations and marks what a stop without warning left running as interrupted (<see cref="CrashRecovery"/>).
    /// The features' own start-up work (facts, demo store) follows in Composition/StartupComposition.
    /// </summary>
    public static async Task InitializeDatabaseAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("AdIntel.Startup");
        var database = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        var db = services.GetRequiredService<AdIntelDbContext>();

        if (db.Database.IsSqlite())
        {
            // Persistent in the file: readers do not wait for writers (see SqliteConnectionSettings).
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
        if (database.MigrateOnStart)
        {
            var stopwatch = Stopwatch.StartNew();
            await db.Database.MigrateAsync(cancellationToken);
            logger.LogInformation("Database ({Provider}) migrated in {ElapsedMs} ms", database.Provider, stopwatch.ElapsedMilliseconds);
        }
        await services.GetRequiredService<CrashRecovery>().RecoverAsync(cancellationToken);
    }
}
