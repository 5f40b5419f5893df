using System.Net;
using System.Text.Json;

namespace AdIntel.Web.Tests.Rules.Plugins;

[Collection(AppCollection.Name)]
public sealed class PluginsHealthTests(AppFixture fixture)
{
    [Fact]
    public async Task Ready_lists_the_bundled_plugins_as_healthy()
    {
        var checks = await ReadyChecksAsync(fixture.SqliteApp);

        var plugins = checks.GetProperty("plugins");
        Assert.Equal("healthy", plugins.GetProperty("status").GetString());
        Assert.Contains("adintel.creative-fatigue", plugins.GetProperty("description").GetString());
        Assert.Contains("adintel.learning-phase-guard", plugins.GetProperty("description").GetString());
    }

    [Fact]
    public async Task Refused_plugin_shows_as_degraded_readiness_and_on_settings_and_the_app_keeps_serving()
    {
        using var folders = new PluginFolders(PluginFolders.LearningPhaseGuard);
        folders.AddFolder("broken-plugin", "{ not json");
        await using var app = new AdIntelApp(new Dictionary<string, string?>
        {
            ["Database:Provider"] = AppFixture.Sqlite,
            ["ConnectionStrings:AdIntel"] = $"Data Source={Path.Combine(fixture.TempDirectory, "plugins-health.db")}",
            // A tiny demo store: demo mode signs the browser in as its owner, which Settings → Plugins needs.
            ["Demo:Enabled"] = "true",
            ["Demo:Months"] = "1",
            ["Demo:Orders"] = "100",
            ["Logging:Directory"] = Path.Combine(fixture.TempDirectory, "logs-plugins-health"),
            ["Plugins:Directory"] = folders.Directory,
        });

        var checks = await ReadyChecksAsync(app);

        var plugins = checks.GetProperty("plugins");
        Assert.Equal("degraded", plugins.GetProperty("status").GetString());
        var description = plugins.GetProperty("description").GetString();
        Assert.Contains("1 loaded: adintel.learning-phase-guard", description);
        Assert.Contains("broken-plugin: plugin.json is not valid JSON", description);
        Assert.Equal("healthy", checks.GetProperty("database").GetProperty("status").GetString());

        var page = await app.CreateClient().GetStringAsync("/settings/plugins");
        Assert.Contains("Learning-phase guard", page);
        Assert.Contains("broken-plugin", page);
        Assert.Contains("plugin.json is not valid JSON", page);
    }

    private static async Task<JsonElement> ReadyChecksAsync(AdIntelApp app)
    {
        var response = await app.CreateClient().GetAsync("/api/health/ready");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("data").GetProperty("checks").Clone();
    }
}
