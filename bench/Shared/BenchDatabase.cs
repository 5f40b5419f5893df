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
}
