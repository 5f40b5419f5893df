using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AdIntel.Web.Infrastructure.Data;

/// <summary>
/// SQLite runs in write-ahead-log mode (set once per database at start, see <see cref="DatabaseInitializer"/>): readers
/// (the overview during an import) never wait for the writer. With WAL, <c>synchronous=NORMAL</c> — a per-connection
/// setting, hence this interceptor — stays safe against an app crash and spares every commit an fsync; only a power
/// loss can undo the last commits, never corrupt the file. Deleted data is overwritten with zeros (secure_delete).
/// </summary>
public sealed class SqliteConnectionSettings : DbConnectionInterceptor
{
    // Each connection has a page cache of its own, kept while it waits in the pool. Connections that read keep SQLite's
    // default (2 MiB): with 32 MiB on every connection, each one that once read a large table (the order ledger reads
    // every order and line) kept 32 MiB resident, which made the page cache the web process's largest native cost.
    // A bulk insert asks for 32 MiB on its own connection (BulkWriteCache): that keeps the indexes of a large import's
    // tables in memory; the next open of that connection (this interceptor) gives the pages back.
    // Checkpoints every ~40 MB of WAL instead of SQLite's 4 MB: an import batch writes several MB, so at 4 MB nearly
    // every commit copied its pages into the database and synced it, and the index pages every batch touches were
    // copied again each time (a 100k-order backfill's SQLite time measured 25 % lower, its commits 40 %).
    // secure_delete zeroes deleted content instead of leaving it in free space: a privacy redaction must erase the bytes,
    // not just unlink the rows (see ErasedData). Inserts, most of the write load, cost the same.
    private const string Pragmas = "PRAGMA synchronous=NORMAL; PRAGMA cache_size=-2000; PRAGMA wal_autocheckpoint=10000; PRAGMA secure_delete=ON;";

    /// <summary>The page cache of a connection doing a bulk insert (see <see cref="BulkWriter"/>).</summary>
    internal const string BulkWriteCache = "PRAGMA cache_size=-32768;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
