using System.Globalization;

// Memory of the real web process, two ways:
//   crawl                         SQLite demo store: RSS when ready, after crawling every page the app links to, after
//                                 downloading every report in every format, after the LTV page
//   soak [minutes=10] [clients=20] [think-ms=100]
//                                 two instances on one PostgreSQL database (ADINTEL_BENCH_POSTGRES), a bounded mix of
//                                 pages and API calls from N concurrent clients: errors, p50/p95 per route, RSS of each
//                                 instance after warm-up and at the end
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

var mode = args.Length > 0 ? args[0] : "crawl";
var appDll = Environment.GetEnvironmentVariable("ADINTEL_APP_DLL") is { Length: > 0 } dll ? dll : AppProcess.DefaultAppDll();
var workDirectory = Path.Combine(Path.GetTempPath(), "adintel-memorybench-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(workDirectory);
Console.WriteLine($"app: {appDll}");
Console.WriteLine($"work directory (databases, console logs): {workDirectory}");
Console.WriteLine($"runtime knobs passed on: {string.Join(' ', Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(k => k.StartsWith("DOTNET_GC", StringComparison.OrdinalIgnoreCase) || k.StartsWith("DOTNET_gc", StringComparison.Ordinal)).Order().Select(k => k + "=" + Environment.GetEnvironmentVariable(k)))}");

return mode switch
{
    "crawl" => await CrawlBench.RunAsync(appDll, workDirectory),
    "soak" => await SoakBench.RunAsync(appDll, workDirectory,
        minutes: args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 10,
        clients: args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20,
        thinkMilliseconds: args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 100),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: AdIntel.MemoryBench crawl | soak [minutes=10] [clients=20] [think-ms=100]");
    return 2;
}
