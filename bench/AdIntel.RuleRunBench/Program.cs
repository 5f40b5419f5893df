using System.Diagnostics;
using System.Globalization;
using AdIntel.Benchmarks;
using AdIntel.Web.Demo;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Tenancy;
using AdIntel.Web.Rules.Execution;
using AdIntel.Web.Rules.Expressions;
using AdIntel.Web.Rules.Snapshots;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

// One store's whole scheduled rule run (bench/README.md): the real RunStoreRulesJob over a store of 10,000 ads with
// 90 days of delivery and 100 rules — load the delivery, aggregate every window, evaluate every rule on every ad,
// pass the matches through the safety rails, write the run logs — beside the same run's evaluation alone (the
// compiled conditions over the snapshot already in memory).
var ads = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
var ruleCount = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100;
var runs = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5;
const int Days = 90;
var directory = Directory.CreateTempSubdirectory("adintel-rulerun-").FullName;
var database = await BenchDatabase.CreateAsync(directory);
Console.WriteLine($"AdIntel rule-run benchmark — {Environment.ProcessorCount} cores, .NET {Environment.Version}, {database.Label}, work dir {directory}");
Console.WriteLine($"Load average at start: {LoadAverage()}");

Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_ADINTEL_WEB", Path.Combine(RuleRunBenchApp.RepositoryRoot(), "AdIntel.Web"));
await using var app = new RuleRunBenchApp(directory, database);
_ = app.Server;

var generate = Stopwatch.StartNew();
var storeId = await app.CreateStoreAsync(ads, Days, ruleCount);
generate.Stop();
Console.WriteLine($"Store: {ads:N0} ads in {ads / 20:N0} ad sets and {Math.Max(1, ads / 200):N0} campaigns, {ads * Days:N0} insight rows ({Days} days), {ruleCount} rules (generated in {generate.Elapsed.TotalSeconds:F1} s)");

var wholeRuns = new List<double>();
var wholeCpu = new List<double>();
var evaluationRuns = new List<double>();
var conditionRuns = new List<double>();
var snapshotRuns = new List<double>();
long evaluated = 0, matched = 0, executed = 0, queued = 0, blocked = 0;
for (var run = 0; run <= runs; run++)
{
    // Each run is a new slot: the job finds every rule due, as at each quarter hour.
    app.Clock.Advance(TimeSpan.FromMinutes(15));
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var whole = Stopwatch.StartNew();
    await app.RunJobAsync(storeId);
    whole.Stop();
    var cpuUsed = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;

    var (snapshotMs, conditionsMs, evaluationMs) = await app.EvaluateOnlyAsync(storeId);
    var totals = await app.LastRunTotalsAsync(storeId, ruleCount);
    if (totals.Runs != ruleCount)
    {
        throw new InvalidOperationException($"The job ran {totals.Runs} of {ruleCount} rules in its slot.");
    }
    (evaluated, matched, executed, queued, blocked) = (totals.Evaluated, totals.Matched, totals.Executed, totals.Queued, totals.Blocked);
    var label = run == 0 ? "warm-up" : $"run {run}";
    Console.WriteLine($"  {label,-8} whole job {whole.Elapsed.TotalMilliseconds,7:F0} ms (CPU {cpuUsed,6:F0} ms) · alone: snapshot {snapshotMs,6:F0} ms, conditions {conditionsMs,5:F0} ms, evaluation with log values {evaluationMs,6:F0} ms");
    if (run > 0)
    {
        wholeRuns.Add(whole.Elapsed.TotalMilliseconds);
        wholeCpu.Add(cpuUsed);
        evaluationRuns.Add(evaluationMs);
        conditionRuns.Add(conditionsMs);
        snapshotRuns.Add(snapshotMs);
    }
}
Console.WriteLine($"\nEach run: {evaluated:N0} evaluations, {matched:N0} matches → {executed:N0} executed, {queued:N0} queued for approval, {blocked:N0} held by the rails");
Console.WriteLine($"Median of {runs} runs: whole job {Median(wholeRuns):F0} ms (CPU {Median(wholeCpu):F0} ms; target < 1,000 ms)");
Console.WriteLine($"  alone: snapshot (load + aggregate) {Median(snapshotRuns):F0} ms · bare conditions {Median(conditionRuns):F0} ms · evaluation with log values {Median(evaluationRuns):F0} ms");
Console.WriteLine($"  whole / bare conditions = {Median(wholeRuns) / Median(conditionRuns):F0}");
Console.WriteLine($"Load average at end: {LoadAverage()}");

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

internal sealed record RunTotals(int Runs, long Evaluated, long Matched, long Executed, long Queued, long Blocked);

/// <summary>A clock the benchmark moves a quarter hour per run; starts at the last generated day's noon (UTC).</summary>
internal sealed class BenchClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

internal sealed class RuleRunBenchApp(string directory, BenchDatabase database) : WebApplicationFactory<DemoStoreSeeder>
{
    public BenchClock Clock { get; } = new(new DateTimeOffset(DateTime.UtcNow.Date.AddHours(12), TimeSpan.Zero));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("Database:Provider", database.Provider);
        builder.UseSetting("ConnectionStrings:AdIntel", database.ConnectionString);
        builder.UseSetting("Logging:Directory", Path.Combine(directory, "logs"));
        builder.UseSetting("Demo:Enabled", "false");
        builder.ConfigureServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AdIntel.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Run the benchmark from inside the repository (AdIntel.sln not found above the working directory).");
    }

    /// <summary>
    /// A store of <paramref name="adCount"/> ads (20 per ad set, 10 ad sets per campaign) with a day of delivery for
    /// each ad and day, and <paramref name="ruleCount"/> ad rules built from the benchmark's condition templates, each
    /// notifying or pausing, created a day before the first run.
    /// </summary>
    public async Task<long> CreateStoreAsync(int adCount, int days, int ruleCount)
    {
        var now = Clock.GetUtcNow().UtcDateTime;
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AdIntelDbContext>();
        var store = new Store { Name = "Rule-run bench", ShopDomain = "rule-run-bench.myshopify.com", TimeZone = "UTC", CreatedAtUtc = now };
        db.Stores.Add(store);
        await db.SaveChangesAsync();
        scope.ServiceProvider.GetRequiredService<StoreContext>().Set(store.Id);
        db.StoreSettings.Add(new StoreSettings { UpdatedAtUtc = now, AutomationMode = "auto_low_risk" });
        var account = new AdAccount { ExternalId = "act_bench", Name = "Bench account" };
        db.AdAccounts.Add(account);
        await db.SaveChangesAsync();

        var random = new Random(42);
        var firstDay = DateOnly.FromDateTime(now).AddDays(-days + 1);
        var campaigns = Enumerable.Range(0, Math.Max(1, adCount / 200)).Select(c => new Campaign
        {
            AdAccountId = account.Id, ExternalId = $"c{c}", Name = $"Campaign {c}", DailyBudget = 100 + random.Next(900), StartDate = firstDay.AddDays(-30), UpdatedAtUtc = now,
        }).ToList();
        await BulkWriter.InsertAsync(db, campaigns, CancellationToken.None);
        var adSets = Enumerable.Range(0, Math.Max(1, adCount / 20)).Select(s => new AdSet
        {
            CampaignId = campaigns[s % campaigns.Count].Id, ExternalId = $"s{s}", Name = $"Ad set {s}", DailyBudget = 20 + random.Next(200),
            StartDate = firstDay.AddDays(-random.Next(60)), UpdatedAtUtc = now,
        }).ToList();
        await BulkWriter.InsertAsync(db, adSets, CancellationToken.None);
        var adRows = Enumerable.Range(0, adCount).Select(a => new Ad
        {
            AdSetId = adSets[a % adSets.Count].Id, CampaignId = adSets[a % adSets.Count].CampaignId, ExternalId = $"a{a}", Name = $"Ad {a}",
            StartDate = firstDay.AddDays(-random.Next(60)), UpdatedAtUtc = now,
        }).ToList();
        await BulkWriter.InsertAsync(db, adRows, CancellationToken.None);

        // Delivery: each ad has its own scale and conversion rate, days vary around them.
        var insights = new List<AdInsightDaily>(adCount);
        foreach (var ad in adRows)
        {
            var scale = 5 + random.NextDouble() * 95;
            var conversion = 0.005 + random.NextDouble() * 0.03;
            for (var day = 0; day < days; day++)
            {
                var spend = Math.Round((decimal)(scale * (0.5 + random.NextDouble())), 2);
                var impressions = (long)(spend * (60 + random.Next(60)));
                var clicks = (long)(impressions * (0.005 + random.NextDouble() * 0.02));
                var purchases = Math.Round((decimal)(clicks * conversion * (0.5 + random.NextDouble())));
                insights.Add(new AdInsightDaily
                {
                    AdId = ad.Id, Date = firstDay.AddDays(day), Spend = spend, Impressions = impressions, Reach = impressions * 7 / 10,
                    Frequency = 1.43m, LinkClicks = clicks, Purchases = purchases, PurchaseValue = purchases * (30 + random.Next(60)),
                });
            }
            if (insights.Count >= 100_000)
            {
                await BulkWriter.InsertAsync(db, insights, CancellationToken.None);
                insights.Clear();
            }
        }
        await BulkWriter.InsertAsync(db, insights, CancellationToken.None);

        // Real rules fire on a few entities per run, not on a quarter of the account: a condition that would match
        // more than 1 % of the ads gets a spend floor that leaves 20–100 of them (still evaluated on every ad).
        var snapshot = await scope.ServiceProvider.GetRequiredService<RuleSnapshotBuilder>().BuildAsync(null, CancellationToken.None);
        var adSnapshots = snapshot.Entities(RuleScope.Ad);
        var spend30 = RuleVariableCatalogue.Get("spend_30d").Slot;
        var rules = new List<Rule>(ruleCount);
        for (var r = 0; r < ruleCount; r++)
        {
            var expression = RuleTemplates.Create(r % RuleTemplates.Count, random).Expression;
            var condition = RuleExpressionCompiler.Default.CompileCondition(expression);
            var matching = adSnapshots.Where(a => condition.Evaluate(a.Values)).Select(a => a.Values[spend30]).OrderDescending().ToList();
            var wanted = 20 + random.Next(81);
            if (matching.Count > adCount / 100 && matching.Count > wanted)
            {
                expression = $"({expression}) and spend_30d > {matching[wanted].ToString("0.##", CultureInfo.InvariantCulture)}";
            }
            rules.Add(new Rule
            {
                Name = $"Bench rule {r}", Scope = "ad", Expression = expression,
                ActionsJson = r % 4 == 0 ? """[{"type":"pause"}]""" : """[{"type":"notify"}]""",
                ScheduleJson = """{"everyMinutes":15}""",
                CreatedAtUtc = now.AddDays(-1), UpdatedAtUtc = now.AddDays(-1),
            });
        }
        db.Rules.AddRange(rules);
        await db.SaveChangesAsync();
        return store.Id;
    }

    public async Task RunJobAsync(long storeId) =>
        await Services.GetRequiredService<RunStoreRulesJob>().RunAsync(storeId, CancellationToken.None);

    /// <summary>
    /// The same run's parts alone: the snapshot (load + aggregate); the bare compiled conditions over its ad rows (what
    /// bench/AdIntel.Benchmarks measures); every rule's evaluation as a run does it (filters, reasons and the values
    /// each entity's log line keeps).
    /// </summary>
    public async Task<(double SnapshotMs, double ConditionsMs, double EvaluationMs)> EvaluateOnlyAsync(long storeId)
    {
        await using var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<StoreContext>().Set(storeId);
        var db = scope.ServiceProvider.GetRequiredService<AdIntelDbContext>();
        var rules = await db.Rules.AsNoTracking().Where(r => r.Active).OrderBy(r => r.Id).ToListAsync();
        var preparer = scope.ServiceProvider.GetRequiredService<RulePreparer>();
        var prepared = rules.Select(preparer.Prepare).ToList();
        var watch = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var snapshot = await scope.ServiceProvider.GetRequiredService<RuleSnapshotBuilder>().BuildAsync(null, CancellationToken.None);
        var snapshotMs = watch.Elapsed.TotalMilliseconds;
        Console.WriteLine($"    snapshot alone: CPU {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds:F0} ms");
        var conditions = rules.Select(r => RuleExpressionCompiler.Default.CompileCondition(r.Expression)).ToList();
        var rows = snapshot.Entities(RuleScope.Ad).Select(a => a.Values).ToList();
        watch.Restart();
        var matches = 0;
        foreach (var row in rows)
        {
            foreach (var condition in conditions)
            {
                matches += condition.Evaluate(row) ? 1 : 0;
            }
        }
        var conditionsMs = watch.Elapsed.TotalMilliseconds;
        watch.Restart();
        var logged = 0;
        foreach (var rule in prepared)
        {
            foreach (var evaluation in rule.Evaluate(snapshot))
            {
                logged += evaluation.Matched ? 1 : 0;
            }
        }
        var evaluationMs = watch.Elapsed.TotalMilliseconds;
        if (logged != matches)
        {
            throw new InvalidOperationException($"The rules matched {logged} times, their bare conditions {matches}.");
        }
        return (snapshotMs, conditionsMs, evaluationMs);
    }

    public async Task<RunTotals> LastRunTotalsAsync(long storeId, int ruleCount)
    {
        await using var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<StoreContext>().Set(storeId);
        var db = scope.ServiceProvider.GetRequiredService<AdIntelDbContext>();
        var last = await db.RuleExecutions.AsNoTracking().OrderByDescending(e => e.Id).Take(ruleCount).ToListAsync();
        var slot = last[0].SlotStartUtc;
        var inSlot = last.Where(e => e.SlotStartUtc == slot && e.Status == RuleExecutionStatuses.Succeeded).ToList();
        return new RunTotals(inSlot.Count, inSlot.Sum(e => (long)e.Evaluated), inSlot.Sum(e => (long)e.Matched), inSlot.Sum(e => (long)e.ActionsExecuted),
            inSlot.Sum(e => (long)e.ActionsQueued), inSlot.Sum(e => (long)e.ActionsBlocked));
    }
}
