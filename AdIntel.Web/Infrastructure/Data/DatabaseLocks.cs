using System.Collections.Concurrent;
using Npgsql;

namespace AdIntel.Web.Infrastructure.Data;

/// <summary>
/// Named locks every instance on the database respects: on PostgreSQL a session-level advisory lock
/// (<c>pg_advisory_lock(kind, id)</c>) held on a connection of its own until disposed, so it spans transactions and
/// is released by the server if the holding process dies; on SQLite (one instance) a lock in this process. Used for the
/// start-up's migrations and seeding and for work on a store that must not overlap (a rule run, an hourly job).
/// </summary>
public sealed class DatabaseLocks(string connectionString, bool isPostgres)
{
    private readonly ConcurrentDictionary<(int Kind, int Id), SemaphoreSlim> _local = new();

    /// <summary>Waits for the lock <paramref name="kind"/>/<paramref name="id"/>; dispose the result to release it.</summary>
    public async Task<IAsyncDisposable> AcquireAsync(LockKind kind, long id, CancellationToken cancellationToken)
    {
        if (!isPostgres)
        {
            var semaphore = _local.GetOrAdd(((int)kind, Key(id)), _ => new SemaphoreSlim(1, 1));
            await semaphore.WaitAsync(cancellationToken);
            return new LocalLock(semaphore);
        }
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await ExecuteAsync(connection, "SELECT pg_advisory_lock($1, $2)", kind, id, cancellationToken);
            return new AdvisoryLock(connection, kind, Key(id));
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>True when nobody holds the lock now (checked by taking it and letting it go at once).</summary>
    public async Task<bool> IsFreeAsync(LockKind kind, long id, CancellationToken cancellationToken)
    {
        if (!isPostgres)
        {
            return !_local.TryGetValue(((int)kind, Key(id)), out var semaphore) || semaphore.CurrentCount > 0;
        }
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        if (await ExecuteAsync(connection, "SELECT pg_try_advisory_lock($1, $2)", kind, id, cancellationToken) is not true)
        {
            return false;
        }
        await ExecuteAsync(connection, "SELECT pg_advisory_unlock($1, $2)", kind, id, cancellationToken);
        return true;
    }

    /// <summary>Ids beyond 32 bits share a lock with another id: harmless, one waits a little longer.</summary>
    private static int Key(long id) => unchecked((int)id);

    private static async Task<object?> ExecuteAsync(NpgsqlConnection connection, string sql, LockKind kind, long id, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = (int)kind });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = Key(id) });
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    private sealed class LocalLock(SemaphoreSlim semaphore) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            semaphore.Release();
            return ValueTask.CompletedTask;
        }
    }

    private sealed class AdvisoryLock(NpgsqlConnection connection, LockKind kind, int id) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                // Released explicitly: the pooled connection outlives this lock, and a session lock would go with it.
                await ExecuteAsync(connection, "SELECT pg_advisory_unlock($1, $2)", kind, id, CancellationToken.None);
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
            {
                // A broken connection is not returned to the pool; the server released the lock with its session.
                NpgsqlConnection.ClearPool(connection);
            }
            await connection.DisposeAsync();
        }
    }
}

/// <summary>What a <see cref="DatabaseLocks"/> lock guards; the number is the first key of the PostgreSQL advisory lock.</summary>
public enum LockKind
{
    /// <summary>Migrations, crash recovery, the demo seed and Hangfire's schema: one instance at a time.</summary>
    Startup = 417_001,

    /// <summary>A store's rule runs (and the actions they take).</summary>
    StoreRules = 417_002,

    /// <summary>A store's recommendation computation.</summary>
    StoreRecommendations = 417_003,

    /// <summary>A store's anomaly scan.</summary>
    StoreAnomalies = 417_004,
}
