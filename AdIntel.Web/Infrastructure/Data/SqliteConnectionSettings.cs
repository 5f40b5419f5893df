using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AdIntel.Web.Infrastructure.Data;

/// <summary>
/// SQLite runs in write-ahead-log mode (set once per database at start, see <see cref="DatabaseInitializer"/>): readers
/// (the overview during an import) never wait for the writer. With WAL, <c>synchronous=NORMAL</c> — a per-connection
/// setting, hence this interceptor — stays safe against an app crash and spares every commit an fsync; only a power
/// loss can undo the last commits, never corrupt the file.
/// </summary>
public sealed class SqliteConnectionSettings : DbConnectionInterceptor
{
    // 32 MiB of page cache (the default is 2 MiB) keeps the indexes of a large import's tables in memory.
    private const string Pragmas = "PRAGMA synchronous=NORMAL; PRAGMA cache_size=-32768;";

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
