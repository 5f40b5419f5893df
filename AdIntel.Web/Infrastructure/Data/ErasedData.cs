using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace AdIntel.Web.Infrastructure.Data;

/// <summary>
/// Personal data deleted for a privacy request must not linger on disk. On SQLite every connection runs with
/// <c>secure_delete</c> (<see cref="SqliteConnectionSettings"/>), which zeroes deleted content in the pages it frees,
/// but the write-ahead log still holds earlier versions of those pages until a checkpoint: a TRUNCATE checkpoint copies
/// the current pages into the database file and empties the log. PostgreSQL keeps deleted and updated rows as dead
/// tuples until VACUUM (autovacuum gets to them within minutes), and only VACUUM FULL rewrites the table files; that is
/// left to the operator (see the README), as a vacuum of the large tables could outlast Shopify's 5-second webhook answer.
/// </summary>
public static class ErasedData
{
    /// <summary>Call after the erasing transaction has committed.</summary>
    public static async Task PurgeFromDiskAsync(this DatabaseFacade database, ILogger logger, CancellationToken cancellationToken)
    {
        if (!database.IsSqlite())
        {
            return;
        }
        await database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = database.GetDbConnection().CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            // The first column is 1 when a reader on an older snapshot kept the checkpoint from finishing.
            if (await reader.ReadAsync(cancellationToken) && reader.GetInt64(0) != 0)
            {
                logger.LogWarning("The WAL checkpoint after a privacy erasure could not finish (a reader was busy); the erased data leaves the log at the next checkpoint");
            }
        }
        finally
        {
            await database.CloseConnectionAsync();
        }
    }
}
