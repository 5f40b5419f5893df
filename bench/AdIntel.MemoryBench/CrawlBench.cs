using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;

/// <summary>
/// One instance on a fresh SQLite demo store: RSS when ready, then after each phase — every page the app links to
/// (same-origin <c>href</c> and <c>hx-get</c>, breadth first), every report in every format, the LTV page.
/// </summary>
internal static partial class CrawlBench
{
    /// <summary>Pages reached through links, at most; a path shape (ids replaced) is visited with at most this many queries.</summary>
    private const int MaxPages = 600;
    private const int MaxPerShape = 4;

    public static async Task<int> RunAsync(string appDll, string workDirectory)
    {
        var settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = Environment.GetEnvironmentVariable("ADINTEL_BENCH_ENVIRONMENT") ?? "Production",
            ["Database__Provider"] = "Sqlite",
            ["ConnectionStrings__AdIntel"] = $"Data Source={Path.Combine(workDirectory, "demo.db")}",
            ["Demo__Enabled"] = "true",
            ["Auth__Mode"] = "Demo",
        };
        await using var app = AppProcess.Start("app", appDll, settings, workDirectory);
        var started = await app.WaitReadyAsync(TimeSpan.FromMinutes(5));
        Console.WriteLine($"ready after {started.TotalSeconds:F1} s (migrate + seed the demo store)");
        var report = new PhaseReport(app, workDirectory);
        await report.PrintAsync("ready");

        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = true, CookieContainer = new CookieContainer() })
        {
            BaseAddress = app.BaseAddress,
            Timeout = TimeSpan.FromMinutes(3),
        };

        var crawl = await CrawlAsync(client, app.BaseAddress);
        Console.WriteLine($"crawled {crawl.Visited} pages and fragments in {crawl.Elapsed.TotalSeconds:F1} s; {crawl.Failures.Count} failed");
        foreach (var failure in crawl.Failures.Take(20))
        {
            Console.WriteLine($"  {failure}");
        }
        await report.PrintAsync("after every page");

        var downloads = await DownloadReportsAsync(client);
        await report.PrintAsync("after every report download");

        var ltv = Stopwatch.StartNew();
        using (var response = await client.GetAsync("/reports/ltv"))
        {
            await response.Content.ReadAsByteArrayAsync();
            Console.WriteLine($"LTV page: {(int)response.StatusCode} in {ltv.ElapsedMilliseconds} ms");
        }
        await report.PrintAsync("after the LTV page");

        // A second round of everything: memory that still grows on the repeat is held, not a one-off.
        await CrawlAsync(client, app.BaseAddress);
        downloads += await DownloadReportsAsync(client);
        await report.PrintAsync("after a second round of pages and downloads");

        Console.WriteLine();
        Console.WriteLine("largest mappings now (/proc/PID/smaps, by RSS):");
        foreach (var mapping in app.LargestMappings(12))
        {
            Console.WriteLine("  " + mapping);
        }
        foreach (var line in await app.HeapByTypeAsync(workDirectory, 45))
        {
            Console.WriteLine("  " + line);
        }
        Console.WriteLine($"highest RSS after any phase: {report.Highest:F0} MB (target < 300 MB: {(report.Highest < 300 ? "met" : "NOT met")}); "
            + $"peak RSS of the whole run, seeding included (VmHWM): {app.PeakResidentMegabytes():F0} MB");
        return crawl.Failures.Count == 0 && downloads == 0 ? 0 : 1;
    }

    private sealed record CrawlResult(int Visited, TimeSpan Elapsed, List<string> Failures);

    private static async Task<CrawlResult> CrawlAsync(HttpClient client, Uri baseAddress)
    {
        var clock = Stopwatch.StartNew();
        var seen = new HashSet<string>(StringComparer.Ordinal) { "/" };
        var perShape = new Dictionary<string, int>(StringComparer.Ordinal);
        var queue = new Queue<string>();
        queue.Enqueue("/");
        var failures = new List<string>();
        var visited = 0;
        while (queue.Count > 0 && visited < MaxPages)
        {
            var url = queue.Dequeue();
            visited++;
            string body;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                using var response = await client.SendAsync(request);
                var bytes = await response.Content.ReadAsByteArrayAsync();
                if (!response.IsSuccessStatusCode)
                {
                    failures.Add($"{(int)response.StatusCode} GET {url}");
                    continue;
                }
                if (response.Content.Headers.ContentType?.MediaType != "text/html")
                {
                    continue;
                }
                body = System.Text.Encoding.UTF8.GetString(bytes);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                failures.Add($"{e.GetType().Name} GET {url}: {e.Message}");
                continue;
            }
            foreach (Match link in Link().Matches(body))
            {
                if (Normalize(WebUtility.HtmlDecode(link.Groups["url"].Value), baseAddress) is not { } next || !seen.Add(next))
                {
                    continue;
                }
                var shape = Shape(next);
                perShape.TryGetValue(shape, out var count);
                if (count >= MaxPerShape)
                {
                    continue;
                }
                perShape[shape] = count + 1;
                queue.Enqueue(next);
            }
        }
        return new CrawlResult(visited, clock.Elapsed, failures);
    }

    /// <summary>
    /// A same-origin path with its query, or null for what is not a page to read: other sites, assets, sign-out, and the
    /// links that start an OAuth flow with Meta or Shopify (on an install without their apps they answer 404 by design).
    /// </summary>
    private static string? Normalize(string href, Uri baseAddress)
    {
        if (href.Length == 0 || href.StartsWith('#') || href.StartsWith("javascript:", StringComparison.OrdinalIgnoreCase)
            || href.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        if (!Uri.TryCreate(baseAddress, href, out var absolute) || absolute.Authority != baseAddress.Authority)
        {
            return null;
        }
        var path = absolute.AbsolutePath;
        if (path.StartsWith("/lib/", StringComparison.Ordinal) || path.StartsWith("/css/", StringComparison.Ordinal)
            || path.StartsWith("/js/", StringComparison.Ordinal) || path.StartsWith("/hangfire", StringComparison.Ordinal)
            || path.StartsWith("/account/sign-out", StringComparison.Ordinal) || path.StartsWith("/integrations/", StringComparison.Ordinal) || path.EndsWith(".css", StringComparison.Ordinal)
            || path.EndsWith(".js", StringComparison.Ordinal) || path.EndsWith(".ico", StringComparison.Ordinal))
        {
            return null;
        }
        return path + absolute.Query;
    }

    private static string Shape(string url)
    {
        var path = url.Split('?')[0];
        return Digits().Replace(path, "{n}") + (url.Contains('?') ? "?" : "");
    }

    /// <summary>Every report in every format through the export API (the page's download button calls the same export).</summary>
    private static async Task<int> DownloadReportsAsync(HttpClient client)
    {
        string[] reports = ["summary", "creative", "benchmarks", "cohorts", "ltv"];
        string[] formats = ["csv", "xlsx", "pdf"];
        var failures = 0;
        foreach (var report in reports)
        {
            foreach (var format in formats)
            {
                // The LTV report takes no period; the others for the last 30 days and for the last 12 months.
                foreach (var months in report == "ltv" ? [0] : new[] { 1, 12 })
                {
                    var to = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);
                    var from = months == 1 ? to.AddDays(-29) : to.AddMonths(-12).AddDays(1);
                    var period = months == 0 ? "-" : months == 1 ? "30 days" : "12 months";
                    var clock = Stopwatch.StartNew();
                    using var response = await client.PostAsJsonAsync("/api/reports/export", months == 0
                        ? (object)new { report, format }
                        : new { report, format, from = from.ToString("yyyy-MM-dd"), to = to.ToString("yyyy-MM-dd") });
                    var bytes = await response.Content.ReadAsByteArrayAsync();
                    Console.WriteLine($"  export {report,-10} {format,-4} {period,-9}: {(int)response.StatusCode} {bytes.Length / 1024.0,8:F1} KB in {clock.ElapsedMilliseconds,5} ms");
                    if (!response.IsSuccessStatusCode)
                    {
                        failures++;
                        Console.WriteLine("    " + System.Text.Encoding.UTF8.GetString(bytes[..Math.Min(bytes.Length, 400)]));
                    }
                }
            }
        }
        using (var variants = await client.GetAsync("/api/creatives/variants/export.csv"))
        {
            var bytes = await variants.Content.ReadAsByteArrayAsync();
            Console.WriteLine($"  export creative variants csv: {(int)variants.StatusCode} {bytes.Length / 1024.0:F1} KB");
            failures += variants.IsSuccessStatusCode ? 0 : 1;
        }
        return failures;
    }

    [GeneratedRegex("(?:href|hx-get)\\s*=\\s*\"(?<url>[^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex Link();

    [GeneratedRegex("[0-9]+")]
    private static partial Regex Digits();
}

/// <summary>Prints RSS (and the GC's own figures when dotnet-counters is given) after each phase.</summary>
internal sealed class PhaseReport(AppProcess app, string workDirectory)
{
    public double Highest { get; private set; }

    public async Task PrintAsync(string phase)
    {
        var rss = app.ResidentMegabytes();
        Highest = Math.Max(Highest, rss);
        var gc = await app.GcFiguresAsync(workDirectory);
        Console.WriteLine($"RSS {phase,-45} {rss,6:F0} MB   cpu {app.ProcessorTime().TotalSeconds,5:F1} s{(gc is null ? "" : "   " + gc)}");
    }
}
