using System.Reflection;
using System.Runtime.Loader;
using AdIntel.Plugins.Abstractions;

namespace AdIntel.Web.Rules.Plugins;

/// <summary>
/// One plugin's assembly load context: its own dependencies come from its folder (through its deps.json), so plugins
/// can use different versions of a library than the host or each other. The contract assembly is the exception: the
/// host's copy is always used, otherwise the plugin's <see cref="IRulePlugin"/> would be a different type.
/// Assemblies are read into memory, not mapped from disk, so a rebuild can replace a plugin's files while the app runs.
/// </summary>
internal sealed class PluginLoadContext(string mainAssemblyPath) : AssemblyLoadContext(Path.GetFileNameWithoutExtension(mainAssemblyPath))
{
    private static readonly string ContractName = typeof(IRulePlugin).Assembly.GetName().Name!;

    private readonly AssemblyDependencyResolver _resolver = new(mainAssemblyPath);

    public Assembly LoadMain() => LoadFromFile(mainAssemblyPath);

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (string.Equals(assemblyName.Name, ContractName, StringComparison.Ordinal))
        {
            return null;
        }
        return _resolver.ResolveAssemblyToPath(assemblyName) is { } path ? LoadFromFile(path) : null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName) =>
        _resolver.ResolveUnmanagedDllToPath(unmanagedDllName) is { } path ? LoadUnmanagedDllFromPath(path) : IntPtr.Zero;

    private Assembly LoadFromFile(string path)
    {
        using var assembly = new MemoryStream(File.ReadAllBytes(path));
        var symbolsPath = Path.ChangeExtension(path, ".pdb");
        if (!File.Exists(symbolsPath))
        {
            return LoadFromStream(assembly);
        }
        using var symbols = new MemoryStream(File.ReadAllBytes(symbolsPath));
        return LoadFromStream(assembly, symbols);
    }
}
