using System.Runtime.CompilerServices;

namespace AdIntel.Web.Tests.Rules.Plugins;

/// <summary>
/// Copies of the bundled plugins' build output (artifacts/plugins/, built with the app) in a temp folder of a test's
/// own, where it can break them at will.
/// </summary>
internal sealed class PluginFolders : IDisposable
{
    public const string CreativeFatigue = "AdIntel.Plugins.CreativeFatigue";
    public const string LearningPhaseGuard = "AdIntel.Plugins.LearningPhaseGuard";

    public PluginFolders(params string[] bundled)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("adintel-plugins-").FullName;
        foreach (var name in bundled)
        {
            var source = Path.Combine(BuiltPluginsDirectory(), name);
            if (!System.IO.Directory.Exists(source))
            {
                throw new InvalidOperationException($"The bundled plugin {name} is not built at {source}; build AdIntel.Web (it builds the plugins).");
            }
            var target = System.IO.Directory.CreateDirectory(Path.Combine(Directory, name)).FullName;
            foreach (var file in System.IO.Directory.GetFiles(source))
            {
                File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
            }
        }
    }

    public string Directory { get; }

    public string PathOf(string plugin, string file) => Path.Combine(Directory, plugin, file);

    /// <summary>Edits a copied plugin's manifest text.</summary>
    public void EditManifest(string plugin, string from, string to)
    {
        var path = PathOf(plugin, "plugin.json");
        var text = File.ReadAllText(path);
        if (!text.Contains(from, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{path} does not contain {from}.");
        }
        File.WriteAllText(path, text.Replace(from, to, StringComparison.Ordinal));
    }

    public string AddFolder(string name, string? manifest = null)
    {
        var folder = System.IO.Directory.CreateDirectory(Path.Combine(Directory, name)).FullName;
        if (manifest is not null)
        {
            File.WriteAllText(Path.Combine(folder, "plugin.json"), manifest);
        }
        return folder;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean: a loaded plugin's files are read into memory, so this is rare.
        }
    }

    /// <summary>artifacts/plugins at the repository root, found from this source file's location.</summary>
    public static string BuiltPluginsDirectory([CallerFilePath] string sourceFile = "")
    {
        var folder = Path.GetDirectoryName(sourceFile);
        while (folder is not null && !File.Exists(Path.Combine(folder, "AdIntel.sln")))
        {
            folder = Path.GetDirectoryName(folder);
        }
        return Path.Combine(folder ?? throw new InvalidOperationException("AdIntel.sln not found above " + sourceFile), "artifacts", "plugins");
    }
}
