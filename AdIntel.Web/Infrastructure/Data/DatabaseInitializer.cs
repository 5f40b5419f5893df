using System.Diagnostics;
using AdIntel.Web.Infrastructure.Options;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Infrastructure.Data;

public static class DatabaseInitializer
{
    /// <summary>
    /// The lock the start-up's database work runs under (<see cref="LockKind.Startup"/>): with several instances on one
    /// PostgreSQL database, one migrates and seeds while the others wait, so no two run the same migration.
    /// </summary>
    public static async Task<IAsyncDisposable> AcquireStartupLockAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        var locks = services.GetRequiredService<DatabaseLocks>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("AdIntel.Startup");
        if (!await locks.IsFreeAsync(LockKind.Startup, 0, cancellationToken))
        {
            logger.LogInformation("Another instance is preparing the database; waiting for it to finish");
        }
        var stopwatch = Stopwatch.StartNew();
        var held = await locks.AcquireAsync(LockKind.Startup, 0, cancellationToken);
        logger.LogInformation("Start-up lock taken after {ElapsedMs} ms", stopwatch.ElapsedMilliseconds);
        return held;
    }

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
