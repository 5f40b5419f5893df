using System.Globalization;
using Npgsql;

namespace AdIntel.ScaleBench;

/// <summary>What the benchmark reads from the database while and after the app works: sizes, progress, waits, statistics.</summary>
internal sealed class DatabaseProbe(string connectionString) : IAsyncDisposable
{
    private readonly NpgsqlDataSource _source = NpgsqlDataSource.Create(connectionString);

    /// <summary>The server's maintenance database, where pg_stat_statements is installed (it sees every database).</summary>
    private readonly NpgsqlDataSource _server = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres" }.ConnectionString);

    public string Name { get; } = new NpgsqlConnectionStringBuilder(connectionString).Database!;

    public Task<long> SizeAsync() => ScalarAsync<long>("SELECT pg_database_size(current_database())");

    /// <param name="emptySize">The migrated database's size before any store, when known.</param>
    public async Task PrintSizesAsync(long stores, long? emptySize)
    {
        var size = await SizeAsync();
        var data = size - (emptySize ?? 0);
        Console.WriteLine($"Database size: {size / 1048576.0:N0} MiB{(emptySize is { } e ? $" (empty schema {e / 1048576.0:N1} MiB)" : "")} = {data / 1024.0 / stores:N1} KiB per store ({stores:N0} stores)");
        await using var command = _source.CreateCommand("""
            SELECT c.relname, pg_total_relation_size(c.oid), pg_relation_size(c.oid), c.reltuples::bigint
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind = 'r' AND n.nspname IN ('public', 'hangfire') ORDER BY 2 DESC LIMIT 8
            """);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            Console.WriteLine($"  {reader.GetString(0),-24} {reader.GetInt64(1) / 1048576.0,9:N1} MiB with indexes ({reader.GetInt64(2) / 1048576.0:N1} MiB heap), ~{reader.GetInt64(3):N0} rows");
        }
    }

    public Task<long> StoreCountAsync() => ScalarAsync<long>("""SELECT count(*) FROM "Stores" """);

    public Task<long> RecurringJobCountAsync(string prefix) =>
        ScalarAsync<long>($"SELECT count(*) FROM hangfire.set WHERE key = 'recurring-jobs' AND value LIKE '{prefix}%'");

    /// <summary>Rule runs of the slot finished, and stores with every rule finished.</summary>
    public async Task<(long Runs, long Stores)> FinishedAsync(DateTime slot, int rulesPerStore)
    {
        await using var command = _source.CreateCommand("""
            /* scale-bench */ SELECT coalesce(sum(n), 0)::bigint, count(*) FILTER (WHERE n >= $2) FROM (
              SELECT "StoreId", count(*) AS n FROM "RuleExecutions"
              WHERE "SlotStartUtc" = $1 AND "Trigger" = 'schedule' AND "FinishedAtUtc" IS NOT NULL GROUP BY "StoreId") s
            """);
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = slot });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = rulesPerStore });
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>This database's sessions: all, active, and how many wait on a lock (advisory or other) right now.</summary>
    public async Task<ActivitySample> ActivityAsync()
    {
        await using var command = _source.CreateCommand("""
            /* scale-bench */ SELECT count(*), count(*) FILTER (WHERE state = 'active'),
                   count(*) FILTER (WHERE wait_event_type = 'Lock' AND wait_event = 'advisory'),
                   count(*) FILTER (WHERE wait_event_type = 'Lock' AND wait_event <> 'advisory'),
                   count(*) FILTER (WHERE wait_event_type IN ('LWLock', 'IO')),
                   (SELECT count(*) FROM hangfire.jobqueue WHERE fetchedat IS NULL)
            FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
            """);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5));
    }

    public async Task<Dictionary<string, long>> DatabaseCountersAsync()
    {
        await using var command = _source.CreateCommand("""
            SELECT xact_commit, xact_rollback, blks_read, blks_hit, tup_returned, tup_fetched, tup_inserted, tup_updated,
                   (blk_read_time * 1000)::bigint, (blk_write_time * 1000)::bigint, deadlocks
            FROM pg_stat_database WHERE datname = current_database()
            """);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        string[] names = ["commits", "rollbacks", "blocks read", "blocks hit", "rows returned", "rows fetched", "rows inserted", "rows updated", "read µs", "write µs", "deadlocks"];
        return names.Select((n, i) => (n, reader.GetInt64(i))).ToDictionary(p => p.n, p => p.Item2);
    }

    public async Task ResetStatementsAsync()
    {
        try
        {
            await using var command = _server.CreateCommand("SELECT pg_stat_statements_reset()");
            await command.ExecuteNonQueryAsync();
        }
        catch (PostgresException e) when (e.SqlState is "42883" or "55000")
        {
            // Not installed: StatementsAsync reports that.
        }
    }

    /// <summary>
    /// Statement totals for this database since the reset (pg_stat_statements, if the server preloads it), without the
    /// benchmark's own sampling (tagged <c>scale-bench</c>): calls and
    /// execution time overall, for the store lock (<c>pg_advisory_lock</c>: its time is the wait), and the top statements.
    /// </summary>
    public async Task<StatementTotals?> StatementsAsync(int top)
    {
        try
        {
            await using var command = _server.CreateCommand("""
                SELECT query, calls, total_exec_time, max_exec_time FROM pg_stat_statements
                WHERE dbid = (SELECT oid FROM pg_database WHERE datname = $1) AND query NOT LIKE '%scale-bench%'
                ORDER BY total_exec_time DESC
                """);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Name });
            var rows = new List<(string Query, long Calls, double TotalMs, double MaxMs)>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                rows.Add((reader.GetString(0), reader.GetInt64(1), reader.GetDouble(2), reader.GetDouble(3)));
            }
            var locks = rows.Where(r => r.Query.Contains("pg_advisory_lock(", StringComparison.Ordinal)).ToList();
            return new(rows.Sum(r => r.Calls), rows.Sum(r => r.TotalMs), locks.Sum(r => r.Calls), locks.Sum(r => r.TotalMs),
                locks.Count == 0 ? 0 : locks.Max(r => r.MaxMs), rows.Take(top).ToList());
        }
        catch (PostgresException e) when (e.SqlState is "42P01" or "55000")
        {
            // Not installed or not preloaded: the report says so and uses pg_stat_database alone.
            return null;
        }
    }

    /// <summary>Seconds from <paramref name="slot"/> to each store's first rule run's start, and to its last run's end.</summary>
    public Task<List<double[]>> StoreRunTimesAsync(DateTime slot) => RowsAsync($"""
        SELECT extract(epoch FROM min("StartedAtUtc") - '{slot:yyyy-MM-dd HH:mm:ss}+00'::timestamptz)::float8,
               extract(epoch FROM max("FinishedAtUtc") - '{slot:yyyy-MM-dd HH:mm:ss}+00'::timestamptz)::float8,
               extract(epoch FROM max("FinishedAtUtc") - min("StartedAtUtc"))::float8
        FROM "RuleExecutions" WHERE "SlotStartUtc" = '{slot:yyyy-MM-dd HH:mm:ss}+00' AND "Trigger" = 'schedule' AND "FinishedAtUtc" IS NOT NULL
        GROUP BY "StoreId"
        """, 3);

    /// <summary>
    /// For each Hangfire job of <paramref name="jobType"/> created from the slot on: seconds from the slot to its
    /// creation (the scheduler enqueuing it) and to the moment a worker took it (Processing).
    /// </summary>
    public Task<List<double[]>> JobTimesAsync(DateTime slot, string jobType) => RowsAsync($"""
        SELECT extract(epoch FROM j.createdat)::float8 - {Epoch(slot)},
               coalesce(extract(epoch FROM min(s.createdat) FILTER (WHERE s.name = 'Processing'))::float8 - {Epoch(slot)}, -1)
        FROM hangfire.job j LEFT JOIN hangfire.state s ON s.jobid = j.id
        WHERE extract(epoch FROM j.createdat) >= {Epoch(slot) - 60} AND j.invocationdata::text LIKE '%{jobType}%'
        GROUP BY j.id, j.createdat
        """, 2);

    /// <summary>Deletes jobs still waiting in Hangfire's queues (a slot the instances did not finish), returns how many.</summary>
    public Task<int> DropQueuedAsync() => ExecuteAsync("DELETE FROM hangfire.jobqueue WHERE fetchedat IS NULL");

    /// <summary>CPU seconds of the PostgreSQL server so far: the postmaster, its live children, and its exited ones.</summary>
    public async Task<double?> ServerCpuSecondsAsync()
    {
        try
        {
            var dataDirectory = await ScalarAsync<string>("SHOW data_directory");
            var postmaster = int.Parse(File.ReadLines(Path.Combine(dataDirectory, "postmaster.pid")).First(), CultureInfo.InvariantCulture);
            double ticks = 0;
            foreach (var stat in Directory.EnumerateDirectories("/proc").Select(d => Path.Combine(d, "stat")))
            {
                if (Path.GetFileName(Path.GetDirectoryName(stat)!).All(char.IsDigit) && TryReadStat(stat, out var pid, out var parent, out var own, out var children))
                {
                    if (pid == postmaster)
                    {
                        ticks += own + children;
                    }
                    else if (parent == postmaster)
                    {
                        ticks += own;
                    }
                }
            }
            return ticks / 100.0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PostgresException or FormatException)
        {
            return null;
        }
    }

    private static bool TryReadStat(string path, out int pid, out int parent, out long own, out long children)
    {
        (pid, parent, own, children) = (0, 0, 0, 0);
        try
        {
            var text = File.ReadAllText(path);
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            // After "pid (comm) ": state, ppid, ... utime (14th field overall), stime, cutime, cstime.
            pid = int.Parse(text[..text.IndexOf(' ')], CultureInfo.InvariantCulture);
            parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
            own = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            children = long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
            return true;
        }
        catch (Exception e) when (e is IOException or FormatException or ArgumentOutOfRangeException or IndexOutOfRangeException)
        {
            return false;
        }
    }

    private static long Epoch(DateTime utc) => new DateTimeOffset(utc, TimeSpan.Zero).ToUnixTimeSeconds();

    private async Task<List<double[]>> RowsAsync(string sql, int columns)
    {
        await using var command = _source.CreateCommand(sql);
        command.CommandTimeout = 0;
        var rows = new List<double[]>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(Enumerable.Range(0, columns).Select(reader.GetDouble).ToArray());
        }
        return rows;
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var command = _source.CreateCommand(sql);
        command.CommandTimeout = 0;
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private async Task<int> ExecuteAsync(string sql)
    {
        await using var command = _source.CreateCommand(sql);
        command.CommandTimeout = 0;
        return await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _source.DisposeAsync();
        await _server.DisposeAsync();
    }
}

internal sealed record ActivitySample(long Sessions, long Active, long AdvisoryWaits, long OtherLockWaits, long LwLockOrIo, long Queued);

internal sealed record StatementTotals(long Calls, double TotalMs, long LockCalls, double LockTotalMs, double LockMaxMs,
    List<(string Query, long Calls, double TotalMs, double MaxMs)> Top);
