using AdIntel.Plugins.Abstractions;

namespace AdIntel.Web.Rules.Plugins;

/// <summary>
/// The plugins found at start: those loaded and those refused, with the reason. Shown on Settings → Plugins and by
/// the "plugins" readiness check. A refused plugin never stops the app.
/// </summary>
public sealed class PluginCatalog(string directory, bool directoryExists, IReadOnlyList<LoadedPlugin> plugins, IReadOnlyList<PluginLoadFailure> failures)
{
    /// <summary>The folder that was scanned.</summary>
    public string Directory { get; } = directory;

    public bool DirectoryExists { get; } = directoryExists;

    /// <summary>Loaded plugins, by id.</summary>
    public IReadOnlyList<LoadedPlugin> Plugins { get; } = plugins;

    /// <summary>Plugins that were refused: broken folder, unreadable or incompatible manifest, missing entry type, failing constructor...</summary>
    public IReadOnlyList<PluginLoadFailure> Failures { get; } = failures;

    public LoadedPlugin? Find(string id) => Plugins.FirstOrDefault(p => string.Equals(p.Id, id, StringComparison.Ordinal));
}

/// <summary>A plugin ready to use.</summary>
public sealed class LoadedPlugin(PluginManifest manifest, string folder, IRulePlugin instance, IReadOnlyList<RuleFunction> functions)
{
    public PluginManifest Manifest { get; } = manifest;
    public string Folder { get; } = folder;
    public IRulePlugin Instance { get; } = instance;

    /// <summary>Functions the plugin adds to expressions (empty unless it implements <see cref="IRuleFunctionProvider"/>).</summary>
    public IReadOnlyList<RuleFunction> Functions { get; } = functions;

    public string Id => Manifest.Id;
    public string Name => Manifest.Name;
    public string? Description => Manifest.Description;
}

/// <summary>Why a plugin folder was refused.</summary>
/// <param name="Folder">The plugin's folder name (relative to the plugins directory).</param>
/// <param name="PluginId">The manifest's id when it could be read.</param>
/// <param name="Reason">A sentence for the operator.</param>
public sealed record PluginLoadFailure(string Folder, string? PluginId, string Reason);
