using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Playwright;

namespace AdIntel.E2E.Tests;

/// <summary>
/// The one fixture of the browser suite: the real app on a real socket (Kestrel on a free port, SQLite in a temp
/// folder, the demo store seeded small) and Debian's Chromium driven by Playwright. The browser is never downloaded:
/// <c>ADINTEL_CHROMIUM</c> (default /usr/bin/chromium) must point at an installed Chromium, and when it does not the
/// suite fails with a message saying so; it never skips.
/// Use: <c>[Collection(E2ECollection.Name)] public class XTests(E2EFixture app)</c>, then <c>await app.NewPageAsync()</c>.
/// </summary>
public sealed class E2EFixture : IAsyncLifetime
{
    public const string ChromiumVariable = "ADINTEL_CHROMIUM";

    /// <summary>Orders of the demo store: enough history for every preset to differ, small enough to seed in seconds.</summary>
    public const int DemoOrders = 4000;

    private readonly string _directory = Directory.CreateTempSubdirectory("adintel-e2e-").FullName;
    private E2EApp? _app;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public Uri BaseAddress { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var chromium = Environment.GetEnvironmentVariable(ChromiumVariable) is { Length: > 0 } configured ? configured : "/usr/bin/chromium";
        if (!File.Exists(chromium))
        {
            throw new InvalidOperationException(
                $"Chromium is not installed at {chromium}. Install Debian's package (apt-get install -y chromium) or set " +
                $"{ChromiumVariable} to a Chromium binary. The browser tests use the system browser and never download one.");
        }

        _app = new E2EApp(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["ConnectionStrings:AdIntel"] = $"Data Source={Path.Combine(_directory, "adintel.db")}",
            ["Demo:Enabled"] = "true",
            ["Demo:Orders"] = DemoOrders.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Auth:Mode"] = "Demo",
            ["Logging:Directory"] = Path.Combine(_directory, "logs"),
        });
        _app.UseKestrel(0);
        _app.StartServer();
        BaseAddress = _app.ClientOptions.BaseAddress;

        // The first swaps after start compile views and warm EF; allow for a slow CI machine.
        Assertions.SetDefaultExpectTimeout(10_000);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic",
            ],
        });
    }

    /// <summary>
    /// Another app on a real port and a fresh SQLite database, with <paramref name="settings"/> over the fixture's
    /// (no demo store unless asked); the caller disposes it. For flows that need their own mode, e.g. Auth:Mode=Local.
    /// </summary>
    public (IAsyncDisposable App, Uri BaseAddress) StartApp(IReadOnlyDictionary<string, string?> settings)
    {
        var name = "app-" + Guid.NewGuid().ToString("N")[..8];
        var all = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["ConnectionStrings:AdIntel"] = $"Data Source={Path.Combine(_directory, name + ".db")}",
            ["Demo:Enabled"] = "false",
            ["Logging:Directory"] = Path.Combine(_directory, "logs-" + name),
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }
        var app = new E2EApp(all);
        app.UseKestrel(0);
        app.StartServer();
        return (app, app.ClientOptions.BaseAddress);
    }

    /// <summary>A fresh browser context (own cookies and history) with one page, addressed relative to the app (or <paramref name="baseAddress"/>).</summary>
    /// <param name="bypassCsp">Lets the test inject its own scripts (axe-core) past the app's Content-Security-Policy, in this browser context only.</param>
    public async Task<IPage> NewPageAsync(int width = 1280, int height = 900, Uri? baseAddress = null, bool bypassCsp = false)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = (baseAddress ?? BaseAddress).ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "en-US",
            BypassCSP = bypassCsp,
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file for a moment; the OS cleans its temp folder.
        }
    }

    private sealed class E2EApp(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Testing");
            // Outside Development the host does not read the build's static web assets manifest, so the browser would
            // get no htmx and no scoped CSS bundle (it lives in obj/, not wwwroot/). A published app has them in wwwroot.
            builder.UseStaticWebAssets();
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class E2ECollection : ICollectionFixture<E2EFixture>
{
    public const string Name = "e2e";
}
