using System.Diagnostics;
using System.Globalization;
using AdIntel.ScaleBench;
using Npgsql;

// Many small stores on one PostgreSQL database (bench/README.md): generate N stores through the app's own schema, then
// let real app processes run every store's scheduled rule job for one 15-minute slot — first on one instance, then
// on two — and report rule runs per second, database time per run, lock waits, job latency and each process's CPU
// and memory. The slot is a real one: the app's `rules:dispatch` enqueues each store's job in its minute of the
// quarter hour (store id mod 15).
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
var stores = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
var instanceCounts = (args.Length > 1 ? args[1] : "1,2").Split(',').Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToList();
var window = TimeSpan.FromMinutes(args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 14);
var server = Environment.GetEnvironmentVariable("ADINTEL_BENCH_POSTGRES");
if (string.IsNullOrWhiteSpace(server))
{
    Console.Error.WriteLine("Set ADINTEL_BENCH_POSTGRES to a PostgreSQL server's connection string (the benchmark creates its database there).");
    return 2;
}
var reuse = Environment.GetEnvironmentVariable("ADINTEL_SCALE_DATABASE");
// The top of the hour also brings every store's hourly recommendation and anomaly jobs; skip it to time the rules alone.
var skipHour = Environment.GetEnvironmentVariable("ADINTEL_SCALE_SKIP_HOUR") == "1";
var directory = Directory.CreateTempSubdirectory("adintel-scale-").FullName;
Console.WriteLine($"AdIntel scale benchmark — {stores:N0} stores, instances {string.Join(" then ", instanceCounts)}, {Environment.ProcessorCount} cores, .NET {Environment.Version}, work dir {directory}");
Console.WriteLine($"Load average at start: {Load.Average()}");

string database;
long? emptySize = null;
if (!string.IsNullOrWhiteSpace(reuse))
{
    database = new NpgsqlConnectionStringBuilder(server) { Database = reuse }.ConnectionString;
    Console.WriteLine($"Reusing database {reuse} (generated before)");
}
else
{
    var created = await BenchDatabase.CreateAsync(directory);
    if (created.Provider != "Postgres")
    {
        throw new InvalidOperationException("The scale benchmark runs on PostgreSQL only.");
    }
    database = created.ConnectionString;
    var name = new NpgsqlConnectionStringBuilder(database).Database;
    Console.WriteLine($"Database {name} (set ADINTEL_SCALE_DATABASE={name} to run again on it without generating)");

    // The app's own migrations and Hangfire schema, made by a real instance on the empty database.
    var migrate = Stopwatch.StartNew();
    await using (var first = new AppInstance("migrate", database, directory))
    {
        first.Start();
        await first.WaitReadyAsync(TimeSpan.FromMinutes(10));
    }
    Console.WriteLine($"Migrated by a first start of the app in {migrate.Elapsed.TotalSeconds:F1} s");
    await using (var empty = new DatabaseProbe(database))
    {
        emptySize = await empty.SizeAsync();
    }

    var generate = Stopwatch.StartNew();
    Console.WriteLine($"Generating {stores:N0} stores ({StoreGenerator.AdsPerStore} ads each, {StoreGenerator.Days} days, {StoreGenerator.PresetKeys.Length} rules: {string.Join(", ", StoreGenerator.PresetKeys)}), load {Load.Average()}");
    await new StoreGenerator(database, stores, DateTime.UtcNow).GenerateAsync(Console.WriteLine);
    Console.WriteLine($"Generated in {generate.Elapsed.TotalSeconds:F1} s, load {Load.Average()}");
}
await using var probe = new DatabaseProbe(database);
var slotStores = await probe.StoreCountAsync();
await probe.PrintSizesAsync(slotStores, emptySize);

var instances = new List<AppInstance>();
try
{
    foreach (var count in instanceCounts.Where(c => c > 0))
    {
        while (instances.Count < count)
        {
            var instance = new AppInstance(((char)('A' + instances.Count)).ToString(), database, directory);
            var start = Stopwatch.StartNew();
            instance.Start();
            await instance.WaitReadyAsync(TimeSpan.FromMinutes(30));
            instances.Add(instance);
            Console.WriteLine($"Instance {instance} ready in {start.Elapsed.TotalSeconds:F1} s, {await probe.RecurringJobCountAsync("")} recurring jobs registered " +
                $"({await probe.RecurringJobCountAsync("rules:store-")} of them per-store rule jobs), load {Load.Average()}");
        }
        var result = await new SlotRun(probe, instances, slotStores, window, skipHour).RunAsync();
        result.Print();
    }
}
finally
{
    foreach (var instance in instances)
    {
        await instance.DisposeAsync();
    }
}
Console.WriteLine($"Load average at end: {Load.Average()}");
return 0;

internal static class Load
{
    public static string Average() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
