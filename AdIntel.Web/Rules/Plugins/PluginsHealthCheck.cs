using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AdIntel.Web.Rules.Plugins;

/// <summary>Readiness "plugins": healthy with the loaded plugins listed, degraded (the app still serves) when a plugin was refused.</summary>
public sealed class PluginsHealthCheck(PluginCatalog catalog) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var loaded = catalog.Plugins.Count == 0
            ? catalog.DirectoryExists ? "no plugins" : $"no plugins (no folder at {catalog.Directory})"
            : $"{catalog.Plugins.Count} loaded: {string.Join(", ", catalog.Plugins.Select(p => $"{p.Id} {p.Manifest.Version}"))}";
        if (catalog.Failures.Count == 0)
        {
            return Task.FromResult(HealthCheckResult.Healthy(loaded));
        }
        var failed = string.Join("; ", catalog.Failures.Select(f => $"{f.PluginId ?? f.Folder}: {f.Reason}"));
        return Task.FromResult(HealthCheckResult.Degraded($"{loaded}; {catalog.Failures.Count} refused: {failed}"));
    }
}
