using System.Reflection;
using AdIntel.Plugins.Abstractions;
using AdIntel.Web.Rules.Expressions;

namespace AdIntel.Web.Rules.Plugins;

/// <summary>
/// Scans the plugins directory: each sub-folder is one plugin. Its manifest is checked first (readable, complete,
/// built for this contract version, id unique); then its assembly is loaded into a <see cref="PluginLoadContext"/> of
/// its own, the entry type is created and checked (implements <see cref="IRulePlugin"/> from the host's contract, id
/// matches, parameters sane, added functions free of clashes). Any failure refuses that plugin only.
/// </summary>
public static class PluginLoader
{
    public static PluginCatalog Load(string directory, ILogger logger)
    {
        var plugins = new List<LoadedPlugin>();
        var failures = new List<PluginLoadFailure>();
        if (!Directory.Exists(directory))
        {
            logger.LogInformation("No plugin folder at {Directory}; running without plugins.", directory);
            return new PluginCatalog(directory, false, plugins, failures);
        }

        foreach (var folder in Directory.GetDirectories(directory).Order(StringComparer.Ordinal))
        {
            var folderName = Path.GetFileName(folder);
            var result = LoadOne(folder, plugins);
            if (result.Plugin is { } plugin)
            {
                plugins.Add(plugin);
                logger.LogInformation("Loaded plugin {PluginId} {Version} from {Folder}.", plugin.Id, plugin.Manifest.Version, folder);
            }
            else
            {
                failures.Add(new PluginLoadFailure(folderName, result.PluginId, result.Problem!));
                logger.LogWarning("Plugin folder {Folder} was refused: {Reason}", folder, result.Problem);
            }
        }
        return new PluginCatalog(directory, true, plugins, failures);
    }

    private static (LoadedPlugin? Plugin, string? PluginId, string? Problem) LoadOne(string folder, IReadOnlyList<LoadedPlugin> accepted)
    {
        var manifest = PluginManifest.Read(folder, out var problem);
        if (manifest is null || problem is not null)
        {
            return (null, manifest?.Id, problem);
        }
        if (accepted.Any(p => p.Id == manifest.Id))
        {
            return (null, manifest.Id, $"Another folder already provides plugin {manifest.Id}.");
        }
        var assemblyPath = Path.Combine(folder, manifest.Assembly);
        if (!File.Exists(assemblyPath))
        {
            return (null, manifest.Id, $"The assembly {manifest.Assembly} named in {PluginManifest.FileName} is not in the folder.");
        }

        try
        {
            var assembly = new PluginLoadContext(assemblyPath).LoadMain();
            var entryType = assembly.GetType(manifest.EntryType, throwOnError: false);
            if (entryType is null)
            {
                return (null, manifest.Id, $"The assembly {manifest.Assembly} has no type {manifest.EntryType} (the manifest's entryType).");
            }
            if (!typeof(IRulePlugin).IsAssignableFrom(entryType))
            {
                var foreignContract = entryType.GetInterfaces().Any(i => i.FullName == typeof(IRulePlugin).FullName);
                return (null, manifest.Id, foreignContract
                    ? $"{manifest.EntryType} implements its own copy of {typeof(IRulePlugin).Assembly.GetName().Name}: reference it with Private=false and ExcludeAssets=runtime so the host's copy is used."
                    : $"{manifest.EntryType} does not implement {nameof(IRulePlugin)}.");
            }
            if (entryType.IsAbstract || entryType.GetConstructor(Type.EmptyTypes) is null)
            {
                return (null, manifest.Id, $"{manifest.EntryType} needs a public parameterless constructor.");
            }

            var instance = (IRulePlugin)Activator.CreateInstance(entryType)!;
            if (!string.Equals(instance.Id, manifest.Id, StringComparison.Ordinal))
            {
                return (null, manifest.Id, $"The plugin says its id is \"{instance.Id}\" but its manifest says \"{manifest.Id}\".");
            }
            if (CheckParameters(instance) is { } parameterProblem)
            {
                return (null, manifest.Id, parameterProblem);
            }
            var functions = instance is IRuleFunctionProvider provider ? provider.Functions : [];
            var taken = RuleFunctionRegistry.BuiltIn.All.Concat(new RuleFunctionRegistry(
                accepted.SelectMany(p => p.Functions.Select(f => new RuleFunctionRegistry.PluginFunction(p.Id, f)))).All).ToList();
            foreach (var function in functions)
            {
                if (RuleFunctionRegistry.Conflict(taken, function.Name) is { } clash)
                {
                    return (null, manifest.Id, $"Its {clash}");
                }
                if (function.Evaluate is null || function.ParameterNames is null)
                {
                    return (null, manifest.Id, $"Its function {function.Name} lacks parameter names or an implementation.");
                }
            }
            return (new LoadedPlugin(manifest, folder, instance, functions), manifest.Id, null);
        }
        // Plugin code runs here (constructor, Id, Parameters, Functions): whatever it throws refuses the plugin, never the app.
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            var cause = ex is TargetInvocationException { InnerException: { } inner } ? inner : ex;
            return (null, manifest.Id, $"Loading failed: {cause.GetType().Name}: {cause.Message}");
        }
    }

    private static string? CheckParameters(IRulePlugin plugin)
    {
        var parameters = plugin.Parameters ?? [];
        foreach (var group in parameters.GroupBy(p => p.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            return $"It declares the parameter {group.Key} twice.";
        }
        foreach (var parameter in parameters)
        {
            if (string.IsNullOrWhiteSpace(parameter.Name))
            {
                return "It declares a parameter without a name.";
            }
            if (parameter.DefaultValue < (parameter.Minimum ?? double.MinValue) || parameter.DefaultValue > (parameter.Maximum ?? double.MaxValue))
            {
                return $"The default of its parameter {parameter.Name} ({parameter.DefaultValue}) is outside its own range.";
            }
        }
        return null;
    }
}
