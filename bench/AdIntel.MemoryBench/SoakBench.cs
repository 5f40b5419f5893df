using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;

/// <summary>
/// Two instances on one PostgreSQL database with the demo store (demo sign-in: every request acts as the demo store's
/// owner on either instance), N concurrent clients each walking a fixed mix of pages, fragments and API calls, with a
/// pause between requests, alternating between the instances. Form posts carry an antiforgery token issued by the
/// other instance (the key ring is in the database). Warm-up first (a fifth of the run, at most 2 minutes), then
/// the measured run.
/// </summary>
internal static partial class SoakBench
{
    private sealed record Call(string Route, HttpMethod Method, string Path, Func<HttpContent>? Body = null, bool FormPost = false);

    private static IReadOnlyList<Call> Mix()
    {
        var to = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);
        var from = to.AddDays(-29).ToString("yyyy-MM-dd");
        var until = to.ToString("yyyy-MM-dd");
        return
        [
            new("GET /", HttpMethod.Get, "/"),
            new("GET / (htmx 90d)", HttpMethod.Get, "/?preset=90d"),
            new("GET /campaigns", HttpMethod.Get, "/campaigns"),
            new("GET /campaigns/{id}", HttpMethod.Get, "/campaigns/{campaign}"),
            new("GET /rules", HttpMethod.Get, "/rules"),
            new("GET /rules/approvals", HttpMethod.Get, "/rules/approvals"),
            new("GET /alerts", HttpMethod.Get, "/alerts"),
            new("GET /creatives", HttpMethod.Get, "/creatives"),
            new("GET /reports", HttpMethod.Get, "/reports"),
            new("GET /reports/creative", HttpMethod.Get, "/reports/creative"),
            new("GET /reports/cohorts", HttpMethod.Get, "/reports/cohorts"),
            new("GET /reports/ltv", HttpMethod.Get, "/reports/ltv"),
            new("GET /planner", HttpMethod.Get, "/planner"),
            new("GET /tracking", HttpMethod.Get, "/tracking"),
            new("GET /costs", HttpMethod.Get, "/costs"),
            new("GET /api/overview", HttpMethod.Get, "/api/overview?preset=30d"),
            new("GET /api/overview/timeseries", HttpMethod.Get, "/api/overview/timeseries?preset=90d"),
            new("GET /api/overview/recommendations", HttpMethod.Get, "/api/overview/recommendations"),
            new("GET /api/campaigns", HttpMethod.Get, "/api/campaigns"),
            new("GET /api/campaigns/{id}/adsets", HttpMethod.Get, "/api/campaigns/{campaign}/adsets"),
            new("GET /api/rules", HttpMethod.Get, "/api/rules"),
            new("GET /api/alerts", HttpMethod.Get, "/api/alerts"),
            new("GET /api/creatives/variants", HttpMethod.Get, "/api/creatives/variants"),
            new("GET /api/reports/summary", HttpMethod.Get, "/api/reports/summary?preset=90d&granularity=week"),
            new("GET /api/reports/cohorts", HttpMethod.Get, "/api/reports/cohorts"),
            new("POST /api/reports/export (pdf)", HttpMethod.Post, "/api/reports/export",
                () => JsonContent.Create(new { report = "summary", format = "pdf", from, to = until })),
            new("POST /api/reports/export (xlsx)", HttpMethod.Post, "/api/reports/export",
                () => JsonContent.Create(new { report = "creative", format = "xlsx", from, to = until })),
            new("POST /api/rules/preview", HttpMethod.Post, "/api/rules/preview",
                () => JsonContent.Create(new { name = "Soak preview", scope = "ad", expression = "roas_7d < 1.2 and spend_7d > 50" })),
            new("POST /api/creatives/compliance-check", HttpMethod.Post, "/api/creatives/compliance-check",
                () => JsonContent.Create(new { primaryText = "Lose 10 pounds in a week with our guaranteed cure", headline = "Try it" })),
            new("POST /reports/export (form, csv)", HttpMethod.Post, "/reports/export",
                () => new FormUrlEncodedContent(new Dictionary<string, string> { ["report"] = "cohorts", ["format"] = "csv" }), FormPost: true),
        ];
    }

    public static async Task<int> RunAsync(string appDll, string workDirectory, double minutes, int clients, int thinkMilliseconds)
    {
        var database = await BenchDatabase.CreateAsync(workDirectory);
        if (database.Provider != "Postgres")
        {
            Console.Error.WriteLine("The soak runs two instances, which needs PostgreSQL: set ADINTEL_BENCH_POSTGRES to a server's connection string.");
            return 2;
        }
        var settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = Environment.GetEnvironmentVariable("ADINTEL_BENCH_ENVIRONMENT") ?? "Production",
            ["Database__Provider"] = "Postgres",
            ["ConnectionStrings__AdIntel"] = database.ConnectionString,
            ["Demo__Enabled"] = "true",
            ["Auth__Mode"] = "Demo",
            // Every client is the one demo user: at this rate they would share, and exceed, one person's API allowance
            // (Security:ApiPermitsPerMinute, per instance), and the soak would measure 429s instead of the app.
            ["Security__ApiPermitsPerMinute"] = "100000",
        };
        await using var first = AppProcess.Start("instance-a", appDll, settings, workDirectory);
        await using var second = AppProcess.Start("instance-b", appDll, settings, workDirectory);
        var ready = await Task.WhenAll(first.WaitReadyAsync(TimeSpan.FromMinutes(10)), second.WaitReadyAsync(TimeSpan.FromMinutes(10)));
        Console.WriteLine($"both instances ready (started together; one seeded the demo store): {ready[0].TotalSeconds:F1} s, {ready[1].TotalSeconds:F1} s");
        AppProcess[] instances = [first, second];
        foreach (var instance in instances)
        {
            Console.WriteLine($"RSS {instance.Name} when ready: {instance.ResidentMegabytes():F0} MB");
        }

        var mix = await ResolveAsync(Mix(), first.BaseAddress);
        var total = TimeSpan.FromMinutes(minutes);
        var warmUp = TimeSpan.FromTicks(Math.Min(total.Ticks / 5, TimeSpan.FromMinutes(2).Ticks));
        Console.WriteLine($"{clients} clients, {mix.Count} routes, {thinkMilliseconds} ms between a client's requests; warm-up {warmUp.TotalSeconds:F0} s, then {total.TotalMinutes:F1} min measured");

        await RunClientsAsync(instances, mix, clients, thinkMilliseconds, warmUp, measured: null);
        var afterWarmUp = await SampleAsync(instances);
        foreach (var instance in instances)
        {
            Console.WriteLine($"RSS {instance.Name} after warm-up: {afterWarmUp[instance.Name]:F0} MB{await GcAsync(instance, workDirectory)}");
        }

        var results = new ConcurrentBag<(string Route, double Milliseconds, bool Ok, string? Error)>();
        var rssTrace = new List<string>();
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            var clock = Stopwatch.StartNew();
            while (!sampling.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(60), sampling.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                lock (rssTrace)
                {
                    rssTrace.Add($"{clock.Elapsed.TotalMinutes:F0} min: " + string.Join(", ", instances.Select(i => $"{i.Name} {i.ResidentMegabytes():F0} MB")));
                }
            }
        });
        var run = Stopwatch.StartNew();
        await RunClientsAsync(instances, mix, clients, thinkMilliseconds, total, results);
        run.Stop();
        await sampling.CancelAsync();
        await sampler;
        var atEnd = await SampleAsync(instances);

        Console.WriteLine();
        Console.WriteLine($"{results.Count} requests in {run.Elapsed.TotalMinutes:F1} min ({results.Count / run.Elapsed.TotalSeconds:F1}/s), "
            + $"errors: {results.Count(r => !r.Ok)}");
        foreach (var error in results.Where(r => !r.Ok).GroupBy(r => r.Route + " " + r.Error).Take(20))
        {
            Console.WriteLine($"  {error.Count()} × {error.Key}");
        }
        Console.WriteLine();
        Console.WriteLine($"| {"route",-40} | {"requests",8} | {"p50 ms",7} | {"p95 ms",7} | {"errors",6} |");
        Console.WriteLine($"| {new string('-', 40)} | {new string('-', 8)} | {new string('-', 7)} | {new string('-', 7)} | {new string('-', 6)} |");
        foreach (var route in mix.Select(c => c.Route))
        {
            var times = results.Where(r => r.Route == route).Select(r => r.Milliseconds).Order().ToArray();
            Console.WriteLine($"| {route,-40} | {times.Length,8} | {Percentile(times, 0.50),7:F0} | {Percentile(times, 0.95),7:F0} | {results.Count(r => r.Route == route && !r.Ok),6} |");
        }
        Console.WriteLine();
        lock (rssTrace)
        {
            foreach (var line in rssTrace)
            {
                Console.WriteLine("RSS at " + line);
            }
        }
        var within = true;
        foreach (var instance in instances)
        {
            var change = (atEnd[instance.Name] - afterWarmUp[instance.Name]) / afterWarmUp[instance.Name];
            within &= Math.Abs(change) <= 0.10;
            Console.WriteLine($"RSS {instance.Name}: after warm-up {afterWarmUp[instance.Name]:F0} MB, at the end {atEnd[instance.Name]:F0} MB ({change:+0.0%;-0.0%}){await GcAsync(instance, workDirectory)}");
        }
        var errors = results.Count(r => !r.Ok);
        Console.WriteLine($"errors 0: {(errors == 0 ? "met" : "NOT met")}; memory within 10 % of warm-up: {(within ? "met" : "NOT met")}");
        return errors == 0 && within ? 0 : 1;
    }

    private static async Task<string> GcAsync(AppProcess instance, string workDirectory) =>
        await instance.GcFiguresAsync(workDirectory) is { } gc ? "   " + gc : "";

    /// <summary>RSS as the median of five readings a second apart (one reading may fall just before a collection).</summary>
    private static async Task<Dictionary<string, double>> SampleAsync(AppProcess[] instances)
    {
        var readings = instances.ToDictionary(i => i.Name, _ => new List<double>());
        for (var i = 0; i < 5; i++)
        {
            foreach (var instance in instances)
            {
                readings[instance.Name].Add(instance.ResidentMegabytes());
            }
            await Task.Delay(1000);
        }
        return readings.ToDictionary(r => r.Key, r => r.Value.Order().ElementAt(2));
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    /// <summary>Fills in a campaign id of the demo store.</summary>
    private static async Task<IReadOnlyList<Call>> ResolveAsync(IReadOnlyList<Call> mix, Uri baseAddress)
    {
        using var client = new HttpClient { BaseAddress = baseAddress };
        var campaigns = await client.GetStringAsync("/api/campaigns");
        var id = CampaignId().Match(campaigns) is { Success: true } match ? match.Groups[1].Value
            : throw new InvalidOperationException("no campaign in /api/campaigns: " + campaigns[..Math.Min(300, campaigns.Length)]);
        return mix.Select(c => c with { Path = c.Path.Replace("{campaign}", id, StringComparison.Ordinal) }).ToList();
    }

    private static async Task RunClientsAsync(AppProcess[] instances, IReadOnlyList<Call> mix, int clients, int thinkMilliseconds, TimeSpan duration,
        ConcurrentBag<(string, double, bool, string?)>? measured)
    {
        var until = DateTime.UtcNow + duration;
        await Task.WhenAll(Enumerable.Range(0, clients).Select(number => Task.Run(async () =>
        {
            var cookies = new CookieContainer();
            var handler = new SocketsHttpHandler { CookieContainer = cookies, AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(2) };
            using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };
            var step = number * 7;
            while (DateTime.UtcNow < until)
            {
                var call = mix[step % mix.Count];
                var instance = instances[step % instances.Length];
                step++;
                var clock = Stopwatch.StartNew();
                string? error = null;
                try
                {
                    using var request = new HttpRequestMessage(call.Method, new Uri(instance.BaseAddress, call.Path)) { Content = call.Body?.Invoke() };
                    if (call.FormPost)
                    {
                        // The form's token comes from the other instance: sessions and forms move between instances.
                        var other = instances[(step + 1) % instances.Length];
                        var page = await http.GetStringAsync(new Uri(other.BaseAddress, "/reports/cohorts"));
                        var token = Token().Match(page);
                        request.Content = new FormUrlEncodedContent(new Dictionary<string, string>
                        {
                            ["report"] = "cohorts", ["format"] = "csv", ["__RequestVerificationToken"] = token.Groups[1].Value,
                        });
                        clock.Restart();
                    }
                    if (call.Path.Contains("preset=90d", StringComparison.Ordinal) && !call.Path.StartsWith("/api", StringComparison.Ordinal))
                    {
                        request.Headers.Add("HX-Request", "true");
                    }
                    using var response = await http.SendAsync(request);
                    var body = await response.Content.ReadAsByteArrayAsync();
                    if (!response.IsSuccessStatusCode)
                    {
                        error = $"{(int)response.StatusCode} {Encoding.UTF8.GetString(body[..Math.Min(200, body.Length)])}";
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    error = e.GetType().Name + ": " + e.Message;
                }
                measured?.Add((call.Route, clock.Elapsed.TotalMilliseconds, error is null, error));
                if (thinkMilliseconds > 0)
                {
                    await Task.Delay(thinkMilliseconds);
                }
            }
        })));
    }

    [GeneratedRegex("\"id\"\\s*:\\s*([0-9]+)")]
    private static partial Regex CampaignId();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
