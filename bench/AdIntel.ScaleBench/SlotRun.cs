using System.Globalization;
using System.Text;

namespace AdIntel.ScaleBench;

/// <summary>
/// One real 15-minute slot on the running instances: waits for the next quarter hour, from which the app's
/// <c>rules:dispatch</c> enqueues each store's rule job in the store's minute (id mod 15), then samples the database and the processes until every store's
/// rules have run in that slot or the window ends, and gathers the figures.
/// </summary>
internal sealed class SlotRun(DatabaseProbe probe, List<AppInstance> instances, long stores, TimeSpan window, bool skipHour)
{
    private static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(2);

    public async Task<SlotResult> RunAsync()
    {
        var slot = NextQuarter(DateTime.UtcNow.AddSeconds(20));
        if (skipHour && slot.Minute == 0)
        {
            slot = slot.AddMinutes(15);
        }
        Console.WriteLine($"\n=== {instances.Count} instance(s): waiting {(slot - DateTime.UtcNow).TotalSeconds:F0} s for the slot {slot:HH:mm} UTC ===");
        await Task.Delay(Max(TimeSpan.Zero, slot.AddSeconds(-3) - DateTime.UtcNow));
        await probe.ResetStatementsAsync();
        var countersBefore = await probe.DatabaseCountersAsync();
        var serverCpuBefore = await probe.ServerCpuSecondsAsync();
        instances.ForEach(i => i.MarkCpu());
        var loadAtStart = Load.Average();
        await Task.Delay(Max(TimeSpan.Zero, slot - DateTime.UtcNow));

        var samples = new List<ActivitySample>();
        var loads = new List<double>();
        var nextPrint = DateTime.UtcNow.AddSeconds(30);
        (long Runs, long Stores) finished = (0, 0);
        while (DateTime.UtcNow < slot + window)
        {
            await Task.Delay(SampleEvery);
            samples.Add(await probe.ActivityAsync());
            instances.ForEach(i => i.Sample());
            loads.Add(double.Parse(Load.Average().Split(' ')[0], CultureInfo.InvariantCulture));
            if (samples.Count % 5 == 0 || DateTime.UtcNow >= nextPrint)
            {
                // Counting the slot's runs scans the run log: every 10 s, so the sampler stays a small part of the server's work.
                finished = await probe.FinishedAsync(slot, StoreGenerator.PresetKeys.Length);
            }
            if (DateTime.UtcNow >= nextPrint)
            {
                var last = samples[^1];
                Console.WriteLine($"  +{(DateTime.UtcNow - slot).TotalSeconds,4:F0} s: {finished.Stores,6:N0} stores done ({finished.Runs:N0} rule runs), {last.Queued:N0} jobs queued, " +
                    $"{last.Sessions} sessions ({last.Active} active, {last.AdvisoryWaits} waiting on a store lock), load {Load.Average()}");
                nextPrint = DateTime.UtcNow.AddSeconds(30);
            }
            if (finished.Stores >= stores)
            {
                break;
            }
        }
        var ended = DateTime.UtcNow;
        var cpu = instances.Select(i => (i.Name, Cpu: i.Sample().Cpu, i.PeakRssBytes)).ToList();
        var serverCpuAfter = await probe.ServerCpuSecondsAsync();
        var countersAfter = await probe.DatabaseCountersAsync();
        var statements = await probe.StatementsAsync(8);
        var storeTimes = await probe.StoreRunTimesAsync(slot);
        var ruleJobs = await probe.JobTimesAsync(slot, "RunStoreRulesJob");
        var hourlyJobs = (await probe.JobTimesAsync(slot, "DetectAnomaliesJob")).Count + (await probe.JobTimesAsync(slot, "RecomputeRecommendationsJob")).Count;
        var dropped = finished.Stores >= stores ? 0 : await probe.DropQueuedAsync();
        return new SlotResult(instances.Count, slot, ended, stores, finished.Runs, finished.Stores, storeTimes, ruleJobs, hourlyJobs, samples,
            countersAfter.ToDictionary(c => c.Key, c => c.Value - countersBefore[c.Key]), statements,
            serverCpuAfter - serverCpuBefore, cpu, loadAtStart, Load.Average(), loads, dropped);
    }

    private static DateTime NextQuarter(DateTime utc)
    {
        var start = new DateTime(utc.Year, utc.Month, utc.Day, utc.Hour, utc.Minute / 15 * 15, 0, DateTimeKind.Utc);
        return start < utc ? start.AddMinutes(15) : start;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}

internal sealed record SlotResult(
    int Instances, DateTime Slot, DateTime Ended, long Stores, long RuleRuns, long StoresDone,
    List<double[]> StoreTimes, List<double[]> RuleJobs, int HourlyJobs, List<ActivitySample> Samples,
    Dictionary<string, long> Counters, StatementTotals? Statements, double? ServerCpuSeconds,
    List<(string Name, TimeSpan Cpu, long PeakRss)> InstanceCpu, string LoadAtStart, string LoadAtEnd, List<double> Loads, int Dropped)
{
    public void Print()
    {
        var output = new StringBuilder();
        var elapsed = (Ended - Slot).TotalSeconds;
        var lastFinish = StoreTimes.Count == 0 ? elapsed : StoreTimes.Max(t => t[1]);
        var storeRuns = Math.Max(1, StoresDone);
        output.AppendLine(CultureInfo.InvariantCulture, $"--- {Instances} instance(s), slot {Slot:HH:mm} UTC: load average {LoadAtStart} at the slot, {LoadAtEnd} at the end " +
            $"(1-minute load during it: min {Loads.DefaultIfEmpty().Min():F1}, median {Percentile(Loads, 50):F1}, max {Loads.DefaultIfEmpty().Max():F1}) ---");
        output.AppendLine(CultureInfo.InvariantCulture, $"Stores whose {StoreGenerator.PresetKeys.Length} rules all ran: {StoresDone:N0} of {Stores:N0} in {lastFinish:F0} s " +
            $"({(StoresDone >= Stores ? "all" : $"window ended at {elapsed:F0} s; {Dropped:N0} queued jobs dropped")})");
        output.AppendLine(CultureInfo.InvariantCulture, $"Throughput: {RuleRuns / lastFinish:F1} rule runs/s, {StoresDone / lastFinish:F2} store jobs/s " +
            $"(a 15-minute cadence needs stores / 900 s: this rate serves {StoresDone / lastFinish * 900:N0} stores)");
        if (RuleJobs.Count > 0)
        {
            var created = RuleJobs.Select(j => j[0]).ToList();
            var taken = RuleJobs.Where(j => j[1] >= 0).Select(j => j[1]).ToList();
            output.AppendLine(CultureInfo.InvariantCulture, $"Hangfire: {RuleJobs.Count:N0} rule jobs enqueued from +{created.Min():F1} s to +{created.Max():F1} s; " +
                $"a worker took them at p50 +{Percentile(taken, 50):F0} s, p95 +{Percentile(taken, 95):F0} s, max +{taken.DefaultIfEmpty(-1).Max():F0} s ({taken.Count:N0} taken)");
        }
        if (HourlyJobs > 0)
        {
            output.AppendLine(CultureInfo.InvariantCulture, $"  beside them {HourlyJobs:N0} hourly recommendation/anomaly jobs (top of the hour)");
        }
        if (StoreTimes.Count > 0)
        {
            var starts = StoreTimes.Select(t => t[0]).ToList();
            var durations = StoreTimes.Select(t => t[2] * 1000).ToList();
            output.AppendLine(CultureInfo.InvariantCulture, $"Job latency (first rule run's start − slot start): p50 {Percentile(starts, 50):F0} s, p95 {Percentile(starts, 95):F0} s, max {starts.Max():F0} s; " +
                $"one store's rules from first start to last finish: p50 {Percentile(durations, 50):F0} ms, p95 {Percentile(durations, 95):F0} ms");
        }
        if (Statements is { } s)
        {
            output.AppendLine(CultureInfo.InvariantCulture, $"Database time (pg_stat_statements, execution): {s.TotalMs / 1000:F1} s in {s.Calls:N0} statements = " +
                $"{s.TotalMs / storeRuns:F1} ms and {s.Calls / (double)storeRuns:F0} statements per store job ({s.TotalMs / Math.Max(1, RuleRuns):F1} ms per rule run)");
            output.AppendLine(CultureInfo.InvariantCulture, $"Store lock (pg_advisory_lock): {s.LockCalls:N0} acquisitions, {s.LockTotalMs:F0} ms waited in all, longest {s.LockMaxMs:F1} ms");
            foreach (var (query, calls, totalMs, maxMs) in s.Top)
            {
                output.AppendLine(CultureInfo.InvariantCulture, $"  {totalMs / 1000,7:F1} s {calls,9:N0}× mean {totalMs / Math.Max(1, calls),7:F2} ms max {maxMs,8:F1} ms  {Shorten(query)}");
            }
        }
        else
        {
            output.AppendLine("Database time: pg_stat_statements is not available (preload it: shared_preload_libraries=pg_stat_statements, CREATE EXTENSION in the postgres database)");
        }
        output.AppendLine(CultureInfo.InvariantCulture, $"pg_stat_database: {Counters["commits"] / (double)storeRuns:F1} commits, {Counters["rows returned"] / (double)storeRuns:N0} rows returned, " +
            $"{Counters["blocks read"] / (double)storeRuns:F1} blocks read ({Counters["read µs"] / 1000.0 / storeRuns:F2} ms reading), {Counters["blocks hit"] / (double)storeRuns:N0} hit per store job; {Counters["deadlocks"]} deadlocks");
        if (ServerCpuSeconds is { } server)
        {
            output.AppendLine(CultureInfo.InvariantCulture, $"PostgreSQL server CPU: {server:F1} s = {server * 1000 / storeRuns:F1} ms per store job ({server / lastFinish * 100:F0} % of a core)");
        }
        foreach (var (name, cpu, rss) in InstanceCpu)
        {
            output.AppendLine(CultureInfo.InvariantCulture, $"Instance {name}: CPU {cpu.TotalSeconds:F1} s ({cpu.TotalSeconds / elapsed * 100:F0} % of a core), peak RSS {rss / 1048576.0:N0} MiB");
        }
        var appCpu = InstanceCpu.Sum(c => c.Cpu.TotalSeconds);
        output.AppendLine(CultureInfo.InvariantCulture, $"App CPU per store job: {appCpu * 1000 / storeRuns:F1} ms (all instances)");
        if (Samples.Count > 0)
        {
            output.AppendLine(CultureInfo.InvariantCulture, $"Sessions on the database: max {Samples.Max(a => a.Sessions)} ({Samples.Max(a => a.Active)} active); waiting on a store lock: max {Samples.Max(a => a.AdvisoryWaits)}, " +
                $"mean {Samples.Average(a => a.AdvisoryWaits):F2}; on other locks: max {Samples.Max(a => a.OtherLockWaits)}; LWLock/IO waits: mean {Samples.Average(a => a.LwLockOrIo):F2}; " +
                $"jobs queued: max {Samples.Max(a => a.Queued):N0}");
        }
        Console.Write(output.ToString());
    }

    private static string Shorten(string query)
    {
        var flat = string.Join(' ', query.Split((char[])['\n', '\r', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
        return flat.Length > 110 ? flat[..110] + "…" : flat;
    }

    private static double Percentile(IReadOnlyCollection<double> values, double percent)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(percent / 100 * sorted.Count) - 1)];
    }
}
