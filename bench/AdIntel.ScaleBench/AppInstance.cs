using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AdIntel.ScaleBench;

/// <summary>
/// One real app process (<c>dotnet AdIntel.Web.dll</c> from AdIntel.Web's Release build output) on a loopback port,
/// with PostgreSQL and Hangfire's PostgreSQL storage: what a deployed instance runs.
/// </summary>
internal sealed class AppInstance : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly HttpClient _health = new() { Timeout = TimeSpan.FromSeconds(5) };
    private TimeSpan _cpuAtMark;

    public AppInstance(string name, string connectionString, string logDirectory)
    {
        Name = name;
        Port = FreePort();
        var directory = Path.Combine(RepositoryRoot(), "AdIntel.Web", "bin", "Release", "net10.0");
        if (!File.Exists(Path.Combine(directory, "AdIntel.Web.dll")))
        {
            throw new InvalidOperationException($"AdIntel.Web.dll is not built in {directory}: run `dotnet build AdIntel.sln -c Release` first.");
        }
        var start = new ProcessStartInfo("dotnet", [Path.Combine(directory, "AdIntel.Web.dll")])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Urls"] = $"http://127.0.0.1:{Port}";
        start.Environment["Database__Provider"] = "Postgres";
        start.Environment["ConnectionStrings__AdIntel"] = connectionString;
        start.Environment["Demo__Enabled"] = "false";
        start.Environment["Logging__Directory"] = Path.Combine(logDirectory, name);
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
    }

    public string Name { get; }

    public int Port { get; }

    public int ProcessId => _process.Id;

    public long PeakRssBytes { get; private set; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public void Start()
    {
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Waits for <c>/api/health/ready</c>; throws with the process's output if it exits or times out.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Instance {Name} exited with code {_process.ExitCode}:{Environment.NewLine}{Output}");
            }
            try
            {
                using var response = await _health.GetAsync(new Uri($"http://127.0.0.1:{Port}/api/health/ready"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            await Task.Delay(500);
        }
        throw new TimeoutException($"Instance {Name} not ready after {timeout}:{Environment.NewLine}{Output}");
    }

    /// <summary>Starts counting CPU time (all threads) from now.</summary>
    public void MarkCpu()
    {
        _process.Refresh();
        _cpuAtMark = _process.TotalProcessorTime;
        PeakRssBytes = _process.WorkingSet64;
    }

    /// <summary>CPU time since <see cref="MarkCpu"/>, and the resident set now (also kept as the peak seen).</summary>
    public (TimeSpan Cpu, long RssBytes) Sample()
    {
        _process.Refresh();
        var rss = _process.WorkingSet64;
        PeakRssBytes = Math.Max(PeakRssBytes, rss);
        return (_process.TotalProcessorTime - _cpuAtMark, rss);
    }

    /// <summary>Lines of the process's output containing <paramref name="text"/>.</summary>
    public int CountOutput(string text) =>
        Output.Split('\n').Count(l => l.Contains(text, StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        _health.Dispose();
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }
        _process.Dispose();
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AdIntel.sln")))
            {
                return dir.FullName;
            }
        }
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AdIntel.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Run the benchmark from inside the repository (AdIntel.sln not found above it).");
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            // Keep the tail only: 10,000 stores log a line per rule run.
            if (_output.Length > 4_000_000)
            {
                _output.Remove(0, 2_000_000);
            }
            _output.AppendLine(line);
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} (pid {ProcessId}, port {Port})");
}
