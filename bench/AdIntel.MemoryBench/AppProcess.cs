using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

/// <summary>
/// The real app as its own process (<c>dotnet AdIntel.Web.dll</c> from the Release build output) on a loopback port, so
/// its resident memory is the app's alone. The benchmark's own environment is inherited: <c>DOTNET_gcServer=0</c> or
/// any other runtime knob given to the benchmark reaches the app.
/// </summary>
internal sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private AppProcess(string name, Process process, StreamWriter log, Uri baseAddress)
    {
        Name = name;
        _process = process;
        _log = log;
        BaseAddress = baseAddress;
    }

    public string Name { get; }

    public Uri BaseAddress { get; }

    public int Id => _process.Id;

    public static string DefaultAppDll()
    {
        // The repository around the working directory, else around the benchmark's build output.
        var directory = RepositoryAbove(Environment.CurrentDirectory) ?? RepositoryAbove(AppContext.BaseDirectory);
        if (directory is null)
        {
            throw new InvalidOperationException("Run the benchmark from inside the repository (AdIntel.sln not found above it), or set ADINTEL_APP_DLL.");
        }
        return Path.Combine(directory.FullName, "AdIntel.Web", "bin", "Release", "net10.0", "AdIntel.Web.dll");
    }

    private static DirectoryInfo? RepositoryAbove(string path)
    {
        var directory = new DirectoryInfo(path);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "AdIntel.sln")))
        {
            directory = directory.Parent;
        }
        return directory;
    }

    public static AppProcess Start(string name, string appDll, IReadOnlyDictionary<string, string> settings, string workDirectory)
    {
        if (!File.Exists(appDll))
        {
            throw new FileNotFoundException($"Build the app first (dotnet build AdIntel.sln -c Release): {appDll} is missing.");
        }
        var port = FreeLoopbackPort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(appDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(appDll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }
        start.Environment["Logging__Directory"] = Path.Combine(workDirectory, "logs-" + name);
        var log = new StreamWriter(Path.Combine(workDirectory, name + ".console.log")) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        process.OutputDataReceived += (_, e) => WriteLine(log, e.Data);
        process.ErrorDataReceived += (_, e) => WriteLine(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new AppProcess(name, process, log, new Uri($"http://127.0.0.1:{port}"));
    }

    private static void WriteLine(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (log)
        {
            log.WriteLine(line);
        }
    }

    public async Task<TimeSpan> WaitReadyAsync(TimeSpan limit)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} before it was ready; see its console log.");
            }
            try
            {
                using var response = await client.GetAsync("/api/health/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return clock.Elapsed;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"{Name} was not ready after {limit}.");
    }

    /// <summary>Resident set size in MB, from /proc (what the operating system charges the process).</summary>
    public double ResidentMegabytes() => ReadStatusKilobytes("VmRSS") / 1024.0;

    public double PeakResidentMegabytes() => ReadStatusKilobytes("VmHWM") / 1024.0;

    /// <summary>CPU time the app has used so far, all threads: on a shared machine it follows others' load less than the clock.</summary>
    public TimeSpan ProcessorTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    private long ReadStatusKilobytes(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }
        throw new InvalidOperationException($"/proc/{_process.Id}/status has no {field}");
    }

    /// <summary>
    /// The managed heap after the app's last collection and the memory the GC has committed, from the runtime's own
    /// counters read for a few seconds with dotnet-counters (when ADINTEL_DOTNET_COUNTERS names the tool); null without it.
    /// </summary>
    public async Task<string?> GcFiguresAsync(string workDirectory)
    {
        var tool = Environment.GetEnvironmentVariable("ADINTEL_DOTNET_COUNTERS");
        if (string.IsNullOrWhiteSpace(tool))
        {
            return null;
        }
        var output = Path.Combine(workDirectory, $"counters-{Name}-{Guid.NewGuid():N}.json");
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "collect", "-p", Id.ToString(CultureInfo.InvariantCulture), "--counters", "System.Runtime", "--format", "json",
                     "-o", output, "--duration", "00:00:00:04" })
        {
            start.ArgumentList.Add(argument);
        }
        using (var counters = Process.Start(start)!)
        {
            await counters.StandardOutput.ReadToEndAsync();
            await counters.WaitForExitAsync();
        }
        if (!File.Exists(output))
        {
            return "(dotnet-counters wrote nothing)";
        }
        // The JSON lists every reading; the last of each series is the current one. Heap sizes come per generation.
        var latest = new Dictionary<string, double>();
        using (var document = JsonDocument.Parse(await File.ReadAllTextAsync(output)))
        {
            foreach (var reading in document.RootElement.GetProperty("Events").EnumerateArray())
            {
                var name = reading.GetProperty("name").GetString() ?? "";
                var tags = reading.TryGetProperty("tags", out var t) ? t.GetString() ?? "" : "";
                latest[name + "|" + tags] = reading.GetProperty("value").GetDouble();
            }
        }
        File.Delete(output);
        double Sum(string prefix) => latest.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal)).Sum(p => p.Value);
        const double Mb = 1024 * 1024;
        return string.Create(CultureInfo.InvariantCulture,
            $"managed heap after last GC {Sum("dotnet.gc.last_collection.heap.size (By)|") / Mb:F0} MB (LOH {latest.Where(p => p.Key.StartsWith("dotnet.gc.last_collection.heap.size (By)|", StringComparison.Ordinal) && p.Key.Contains("loh", StringComparison.Ordinal)).Sum(p => p.Value) / Mb:F0}), "
            + $"fragmentation {Sum("dotnet.gc.last_collection.heap.fragmentation.size (By)|") / Mb:F0} MB, GC committed {Sum("dotnet.gc.last_collection.memory.committed_size (By)|") / Mb:F0} MB");
    }

    /// <summary>
    /// The live managed objects by type (dotnet-gcdump, when ADINTEL_DOTNET_GCDUMP names the tool): its report's first
    /// lines, largest total size first. Taking the dump collects the heap, so it comes last.
    /// </summary>
    public async Task<IReadOnlyList<string>> HeapByTypeAsync(string workDirectory, int lines)
    {
        var tool = Environment.GetEnvironmentVariable("ADINTEL_DOTNET_GCDUMP");
        if (string.IsNullOrWhiteSpace(tool))
        {
            return [];
        }
        var dump = Path.Combine(workDirectory, $"{Name}.gcdump");
        await RunToolAsync(tool, "collect", "-p", Id.ToString(CultureInfo.InvariantCulture), "-o", dump);
        var report = await RunToolAsync(tool, "report", dump);
        return report.Split('\n').Take(lines).ToList();
    }

    private static async Task<string> RunToolAsync(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output;
    }

    /// <summary>Where the resident memory is: the largest mappings of /proc/PID/smaps by RSS, anonymous ones together.</summary>
    public IEnumerable<string> LargestMappings(int count)
    {
        var byPath = new Dictionary<string, (long Kilobytes, int Mappings)>();
        var path = "";
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/smaps"))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 5 && fields[0].Contains('-', StringComparison.Ordinal) && !fields[0].EndsWith(':'))
            {
                path = fields.Length >= 6 ? string.Join(' ', fields[5..]) : "[anonymous]";
            }
            else if (fields.Length >= 2 && fields[0] == "Rss:")
            {
                byPath.TryGetValue(path, out var sum);
                byPath[path] = (sum.Kilobytes + long.Parse(fields[1], CultureInfo.InvariantCulture), sum.Mappings + 1);
            }
        }
        return byPath.OrderByDescending(p => p.Value.Kilobytes).Take(count)
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Value.Kilobytes / 1024.0,7:F1} MB in {p.Value.Mappings,4} mappings  {p.Key}"));
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
        _process.Dispose();
        lock (_log)
        {
            _log.Dispose();
        }
    }
}
