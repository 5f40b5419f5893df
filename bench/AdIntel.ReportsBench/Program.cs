using System.Diagnostics;
using System.Globalization;
using AdIntel.Web.Demo;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Tenancy;
using AdIntel.Web.Metrics;
using AdIntel.Web.Reports;
using AdIntel.Web.Reports.Export;
using AdIntel.Web.Reports.Ltv;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

// Reports benchmarks (see bench/README.md), each beside a baseline measured in the same run:
//   1. BG/NBD + Gamma-Gamma maximum-likelihood fit on 30,000 simulated customers (known parameters), against one pass of
//      the log-likelihood over the same customers times the number of evaluations the fit used; the same on customers
//      whose dropout chance is the same for all (the boundary the demo store's fit runs to), and on the demo store;
//   2. 12-month exports of the 50k-order demo store (P&L by week, creative, cohorts) as PDF, XLSX and CSV through
//      ReportService.ExportAsync, against writing the same report's rows as plain CSV.
var customers = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 30_000;
var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
// Optional: a folder to keep the exported files in, to look at them.
var keep = args.Length > 2 ? Directory.CreateDirectory(args[2]).FullName : null;
Console.WriteLine($"AdIntel reports benchmark — {Environment.ProcessorCount} cores, .NET {Environment.Version}, {runs} runs each (median)");

// ---- 1. BTYD fit ----
var truth = new BgNbdModel(0.25, 4.0, 0.8, 2.5);
var summary = Simulate(truth, new GammaGammaModel(6, 4, 15), customers, weeks: 78, seed: 42);
Console.WriteLine($"\nBTYD fit on {summary.Count:N0} simulated customers ({summary.Count(c => c.Frequency > 0):N0} repeat buyers, 78 weeks):");
var (purchases, value, fitTime) = TimeFit(summary, runs);
var evaluations = (BgNbd: purchases.Evaluations, GammaGamma: CountGammaGammaEvaluations(summary));
var passTimes = new List<double>();
var groups = CustomerGroups.Of(summary);
for (var run = 0; run < runs; run++)
{
    var watch = Stopwatch.StartNew();
    for (var i = 0; i < evaluations.BgNbd; i++)
    {
        BgNbdModel.LogLikelihood(groups, 0.25 + i * 1e-9, 4.0, 0.8, 2.5);
    }
    var repeat = summary.Where(c => c.Frequency > 0).Select(c => (c.Frequency, c.MeanRepeatValue!.Value)).ToList();
    for (var i = 0; i < evaluations.GammaGamma; i++)
    {
        GammaGammaModel.LogLikelihood(repeat, 6 + i * 1e-9, 4, 15);
    }
    passTimes.Add(watch.Elapsed.TotalMilliseconds);
}
Console.WriteLine($"  fit (BG/NBD + Gamma-Gamma):                 {fitTime.Wall,8:F0} ms   (CPU {fitTime.Cpu:F0} ms; target < 1,000 ms)");
Console.WriteLine($"  baseline: {evaluations.BgNbd} + {evaluations.GammaGamma} log-likelihood passes: {Median(passTimes),8:F0} ms   fit / baseline = {fitTime.Wall / Median(passTimes):F2}");
Console.WriteLine($"  recovered r={purchases.Model.R:F3} α={purchases.Model.Alpha:F3} a={purchases.Model.A:F3} b={purchases.Model.B:F3} (true 0.25, 4, 0.8, 2.5); " +
    $"p={value.Model.P:F2} q={value.Model.Q:F2} v={value.Model.V:F2} (true 6, 4, 15)");

// The boundary: every customer drops out with the same chance (p = 0.45, no Beta spread), as on the demo store.
var homogeneous = Simulate(new BgNbdModel(0.25, 4.0, 0.45e9, 0.55e9), new GammaGammaModel(6, 4, 15), customers, weeks: 78, seed: 43);
var (atBoundary, _, boundaryTime) = TimeFit(homogeneous, runs);
Console.WriteLine($"\nBTYD fit on {homogeneous.Count:N0} simulated customers whose dropout chance is 45% for all (the boundary a, b → ∞):");
Console.WriteLine($"  fit (BG/NBD + Gamma-Gamma):                 {boundaryTime.Wall,8:F0} ms   (CPU {boundaryTime.Cpu:F0} ms; target < 1,000 ms), {atBoundary.Evaluations} BG/NBD evaluations");
Console.WriteLine($"  recovered r={atBoundary.Model.R:F3} α={atBoundary.Model.Alpha:F3} mean dropout={atBoundary.Model.MeanDropout:P1} (true 45%), at boundary: {atBoundary.Model.DropoutIsHomogeneous}");

// ---- 2. Exports of the demo store ----
var directory = Directory.CreateTempSubdirectory("adintel-reports-bench-").FullName;
Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_ADINTEL_WEB", Path.Combine(RepositoryRoot(), "AdIntel.Web"));
var seedWatch = Stopwatch.StartNew();
await using var app = new BenchApp(directory);
_ = app.Server;
Console.WriteLine($"\nDemo store seeded (50k orders) in {seedWatch.Elapsed.TotalSeconds:F1} s. 12-month exports through ReportService.ExportAsync:");
await using var scope = app.Services.CreateAsyncScope();
var db = scope.ServiceProvider.GetRequiredService<AdIntelDbContext>();
var storeId = await db.Stores.Where(s => s.IsDemo).Select(s => s.Id).SingleAsync();
scope.ServiceProvider.GetRequiredService<StoreContext>().Set(storeId);
var reports = scope.ServiceProvider.GetRequiredService<ReportService>();
var today = await scope.ServiceProvider.GetRequiredService<StoreClock>().GetTodayAsync(CancellationToken.None);

// The demo store's fit, as the background job runs it (orders read once and cached, then summary, fits and forecast).
var models = scope.ServiceProvider.GetRequiredService<LtvModelService>();
var demoSummary = (await models.FitNowAsync(today, BtydUnit.Week, _ => Task.CompletedTask, CancellationToken.None)).Summary;
var (demoPurchases, demoValue, demoFitTime) = TimeFit(demoSummary, runs);
var forecastTimes = new List<double>();
for (var run = 0; run < runs; run++)
{
    var watch = Stopwatch.StartNew();
    LtvForecast.From(await models.FitNowAsync(today, BtydUnit.Week, _ => Task.CompletedTask, CancellationToken.None));
    forecastTimes.Add(watch.Elapsed.TotalMilliseconds);
}
Console.WriteLine($"  BTYD fit on the demo store's {demoSummary.Count:N0} customers ({demoSummary.Count(c => c.Frequency > 0):N0} repeat buyers): " +
    $"{demoFitTime.Wall:F0} ms (CPU {demoFitTime.Cpu:F0} ms; target < 1,000 ms), {demoPurchases.Evaluations} BG/NBD evaluations; whole job (ledger cached, summary, fits, forecast): {Median(forecastTimes):F0} ms");
Console.WriteLine($"  {demoPurchases.Model.DropoutInWords} (at boundary: {demoPurchases.Model.DropoutIsHomogeneous}); r={demoPurchases.Model.R:F3} α={demoPurchases.Model.Alpha:F3}; " +
    $"p={demoValue.Model.P:F2} q={demoValue.Model.Q:F2} v={demoValue.Model.V:F2}");
var monthStart = new DateOnly(today.Year, today.Month, 1);
var year = new DateRange(monthStart.AddMonths(-12), monthStart.AddDays(-1));
Console.WriteLine($"  period {year}; times are build (database + metrics) + write, median of {runs} after a first (cold) PDF export, shown apart");
Console.WriteLine($"  {"report",-22} {"rows",6} {"cold PDF",9} {"CSV (baseline)",15} {"XLSX",9} {"PDF",9} {"XLSX/CSV",9} {"PDF/CSV",8}  {"sizes (CSV/XLSX/PDF)"}");
foreach (var (name, query) in new[]
{
    ("P&L by month", new ReportQuery(ReportNames.Summary, year, "custom", Granularity.Month)),
    ("P&L by week", new ReportQuery(ReportNames.Summary, year, "custom", Granularity.Week)),
    ("creative (per ad)", new ReportQuery(ReportNames.Creative, year, "custom")),
    ("cohorts", new ReportQuery(ReportNames.Cohorts, year, "custom")),
})
{
    var times = new Dictionary<string, List<double>> { ["csv"] = [], ["xlsx"] = [], ["pdf"] = [] };
    var sizes = new Dictionary<string, int>();
    var coldWatch = Stopwatch.StartNew();
    await reports.ExportAsync(query, "pdf", CancellationToken.None);
    var cold = coldWatch.Elapsed.TotalMilliseconds;
    for (var run = 0; run < runs; run++)
    {
        foreach (var format in times.Keys)
        {
            var watch = Stopwatch.StartNew();
            var file = await reports.ExportAsync(query, format, CancellationToken.None);
            times[format].Add(watch.Elapsed.TotalMilliseconds);
            sizes[format] = file.Content.Length;
            if (keep is not null && run == 0)
            {
                await File.WriteAllBytesAsync(Path.Combine(keep, name.Replace(' ', '-').Replace("&", "and", StringComparison.Ordinal) + "." + format), file.Content);
            }
        }
    }
    var document = await reports.DocumentAsync(query, CancellationToken.None);
    var rows = document.Sections.Sum(s => s.Rows.Count);
    double csv = Median(times["csv"]), xlsx = Median(times["xlsx"]), pdf = Median(times["pdf"]);
    Console.WriteLine($"  {name,-22} {rows,6} {cold,6:F0} ms {csv,12:F0} ms {xlsx,6:F0} ms {pdf,6:F0} ms {xlsx / csv,9:F2} {pdf / csv,8:F2}  {sizes["csv"] / 1024.0:F0}/{sizes["xlsx"] / 1024.0:F0}/{sizes["pdf"] / 1024.0:F0} KiB");
}
Console.WriteLine("  target: PDF and XLSX of each 12-month report under 2,000 ms");
try
{
    Directory.Delete(directory, recursive: true);
}
catch (IOException)
{
    // SQLite may still hold the file; the OS cleans its temp folder.
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

// The BG/NBD and Gamma-Gamma fits on a summary: median time of the timed runs after a first (JIT warm-up) fit.
// Wall time and this thread's CPU time (what the fit costs on a quiet machine, when the shared cores are busy).
static (BgNbdFit Purchases, (GammaGammaModel Model, double LogLikelihood, int Customers) Value, (double Wall, double Cpu) Milliseconds) TimeFit(
    IReadOnlyList<BtydCustomer> summary, int runs)
{
    var purchases = BgNbdModel.Fit(summary);
    var value = GammaGammaModel.Fit(summary);
    var times = new List<double>();
    var cpu = new List<double>();
    for (var run = 0; run < runs; run++)
    {
        var watch = Stopwatch.StartNew();
        var cpuStart = ThreadCpuMilliseconds();
        purchases = BgNbdModel.Fit(summary);
        value = GammaGammaModel.Fit(summary);
        cpu.Add(ThreadCpuMilliseconds() - cpuStart);
        times.Add(watch.Elapsed.TotalMilliseconds);
    }
    return (purchases, value, (Median(times), Median(cpu)));
}

// CPU time of the calling thread (Linux: utime + stime of /proc/thread-self/stat, in clock ticks of 10 ms): the fits run on
// it alone, so this leaves out the app's own background work and other processes on the shared cores.
static double ThreadCpuMilliseconds()
{
    var stat = File.ReadAllText("/proc/thread-self/stat");
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10.0;
}

// How many objective evaluations the Gamma-Gamma fit takes: counting calls of the same objective through NelderMead.
static int CountGammaGammaEvaluations(IReadOnlyList<BtydCustomer> summary)
{
    var repeat = summary.Where(c => c.Frequency > 0).Select(c => (c.Frequency, c.MeanRepeatValue!.Value)).ToList();
    var mean = repeat.Average(c => c.Item2);
    return NelderMead.Minimize(p => -GammaGammaModel.LogLikelihood(repeat, Math.Exp(p[0]), Math.Exp(p[1]), Math.Exp(p[2])) / repeat.Count,
        [0, 0, Math.Log(mean)]).Evaluations;
}

// Customers who each start at a random time in the first 12 weeks and then follow the BG/NBD story until the end of
// the window: Poisson purchases at λ ~ Gamma(r, α), dropping out after each with p ~ Beta(a, b); each customer's
// transaction values are Gamma(p, ν) with ν ~ Gamma(q, γ).
static List<BtydCustomer> Simulate(BgNbdModel model, GammaGammaModel spend, int count, double weeks, int seed)
{
    var random = new Random(seed);
    var result = new List<BtydCustomer>(count);
    for (var id = 0; id < count; id++)
    {
        var start = random.NextDouble() * 12;
        var age = weeks - start;
        var lambda = Gamma(random, model.R, 1 / model.Alpha);
        var x = Gamma(random, model.A, 1);
        var dropout = x / (x + Gamma(random, model.B, 1));
        var nu = Gamma(random, spend.Q, 1 / spend.V);
        double t = 0, last = 0, total = 0;
        var frequency = 0;
        while (true)
        {
            t += -Math.Log(1 - random.NextDouble()) / lambda;
            if (t > age)
            {
                break;
            }
            frequency++;
            last = t;
            total += Gamma(random, spend.P, 1 / nu);
            if (random.NextDouble() < dropout)
            {
                break;
            }
        }
        result.Add(new BtydCustomer(id, frequency, last, age, frequency == 0 ? null : total / frequency));
    }
    return result;
}

// Marsaglia–Tsang gamma sampler (shape k, scale θ), with the k < 1 boost.
static double Gamma(Random random, double shape, double scale)
{
    if (shape < 1)
    {
        return Gamma(random, shape + 1, scale) * Math.Pow(random.NextDouble(), 1 / shape);
    }
    var d = shape - 1.0 / 3;
    var c = 1 / Math.Sqrt(9 * d);
    while (true)
    {
        double z, v;
        do
        {
            var u1 = 1 - random.NextDouble();
            var u2 = random.NextDouble();
            z = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            v = 1 + c * z;
        }
        while (v <= 0);
        v = v * v * v;
        var u = random.NextDouble();
        if (Math.Log(u) < 0.5 * z * z + d - d * v + d * Math.Log(v))
        {
            return d * v * scale;
        }
    }
}

static string RepositoryRoot()
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

internal sealed class BenchApp(string directory) : WebApplicationFactory<DemoStoreSeeder>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("ConnectionStrings:AdIntel", $"Data Source={Path.Combine(directory, "bench.db")}");
        builder.UseSetting("Logging:Directory", Path.Combine(directory, "logs"));
        builder.UseSetting("Demo:Enabled", "true");
        builder.UseSetting("Demo:Orders", "50000");
    }
}
