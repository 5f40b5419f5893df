using Npgsql;

/// <summary>
/// Where a benchmark's app keeps its data: a fresh SQLite file in the work directory, or — when ADINTEL_BENCH_POSTGRES
/// holds a connection string to a PostgreSQL server (e.g. <c>Host=127.0.0.1;Port=5432;Username=postgres;Database=postgres</c>)
/// — a fresh database created on that server for this run.
/// </summary>
internal sealed record BenchDatabase(string Provider, string ConnectionString)
{
    public string Label => Provider == "Postgres" ? "PostgreSQL" : "SQLite";

    public static async Task<BenchDatabase> CreateAsync(string directory)
    {
        var server = Environment.GetEnvironmentVariable("ADINTEL_BENCH_POSTGRES");
        if (string.IsNullOrWhiteSpace(server))
        {
            return new("Sqlite", $"Data Source={Path.Combine(directory, "bench.db")}");
        }
        var name = "adintel_bench_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        return new("Postgres", new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString);
    }

    /// <summary>
    /// CPU seconds the PostgreSQL server has used so far (its postmaster with every backend, live or ended), read from
    /// /proc when the server runs on this machine; null for SQLite or a server elsewhere. Beside the app's own CPU time it
    /// shows where a run's work went, which a shared machine's wall clock cannot.
    /// </summary>
    public async Task<double?> ServerCpuSecondsAsync()
    {
        if (Provider != "Postgres")
        {
            return null;
        }
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_backend_pid()", connection);
        var backend = (int)(await command.ExecuteScalarAsync())!;
        var postmaster = Stat(backend) is { } backendStat ? long.Parse(backendStat[3], System.Globalization.CultureInfo.InvariantCulture) : -1;
        if (Stat(postmaster) is not { } own)
        {
            return null;
        }
        // utime + stime + cutime + cstime: the children's part holds every backend that has ended.
        var ticks = Enumerable.Range(13, 4).Sum(i => long.Parse(own[i], System.Globalization.CultureInfo.InvariantCulture));
        foreach (var child in Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(d => d!.All(char.IsAsciiDigit)))
        {
            if (Stat(long.Parse(child!, System.Globalization.CultureInfo.InvariantCulture)) is { } stat && stat[3] == postmaster.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                ticks += long.Parse(stat[13], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(stat[14], System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        return ticks / 100.0; // USER_HZ

        static string[]? Stat(long pid)
        {
            try
            {
                // The command name (field 2) is in parentheses and may hold spaces: split after it.
                var text = File.ReadAllText($"/proc/{pid}/stat");
                return ["", "", .. text[(text.LastIndexOf(')') + 2)..].Split(' ')];
            }
            catch (IOException)
            {
                return null;
            }
            catch (UnauthorizedAccessException)
            {
                return null;
            }
        }
    }
}
