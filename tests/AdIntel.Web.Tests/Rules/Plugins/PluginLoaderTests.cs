using System.Runtime.Loader;
using AdIntel.Plugins.Abstractions;
using AdIntel.Web.Rules.Expressions;
using AdIntel.Web.Rules.Plugins;
using Microsoft.Extensions.Logging.Abstractions;

namespace AdIntel.Web.Tests.Rules.Plugins;

public sealed class PluginLoaderTests
{
    [Fact]
    public void Load_bundled_plugins_loads_each_into_a_context_of_its_own()
    {
        using var folders = new PluginFolders(PluginFolders.CreativeFatigue, PluginFolders.LearningPhaseGuard);

        var catalog = PluginLoader.Load(folders.Directory, NullLogger.Instance);

        Assert.Empty(catalog.Failures);
        Assert.Equal(["adintel.creative-fatigue", "adintel.learning-phase-guard"], catalog.Plugins.Select(p => p.Id));
        var contexts = catalog.Plugins.Select(p => AssemblyLoadContext.GetLoadContext(p.Instance.GetType().Assembly)).ToList();
        Assert.All(contexts, c => Assert.NotSame(AssemblyLoadContext.Default, c));
        Assert.NotSame(contexts[0], contexts[1]);
        // The contract is shared: the plugin's IRulePlugin is the host's.
        Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(typeof(IRulePlugin).Assembly));
    }

    [Fact]
    public void Load_plugin_functions_become_usable_in_expressions()
    {
        using var folders = new PluginFolders(PluginFolders.CreativeFatigue);
        var catalog = PluginLoader.Load(folders.Directory, NullLogger.Instance);
        var registry = new RuleFunctionRegistry(catalog.Plugins.SelectMany(p => p.Functions.Select(f => new RuleFunctionRegistry.PluginFunction(p.Id, f))));
        var compiler = new RuleExpressionCompiler(registry);

        var condition = compiler.CompileCondition("DECAY_PCT(ctr_14d, ctr_3d) > 30");

        Assert.Equal("adintel.creative-fatigue", registry.Find("decay_pct")!.PluginId);
        Assert.True(condition.Evaluate(RuleRows.With(("ctr_14d", 0.02), ("ctr_3d", 0.012))));
        Assert.False(condition.Evaluate(RuleRows.With(("ctr_14d", 0.02), ("ctr_3d", 0.018))));
        Assert.False(condition.Evaluate(RuleRows.With(("ctr_14d", 0.0), ("ctr_3d", 0.018))));
        Assert.Equal(RuleExpressionErrorCodes.UnknownFunction, Assert.Single(RuleExpressionCompiler.Default.Check("decay_pct(ctr_14d, ctr_3d) > 30").Errors).Code);
    }

    [Fact]
    public void Load_name_and_description_come_from_the_manifest_alone()
    {
        using var folders = new PluginFolders(PluginFolders.LearningPhaseGuard);
        folders.EditManifest(PluginFolders.LearningPhaseGuard, "\"name\": \"Learning-phase guard\"", "\"name\": \"Budget freeze\"");
        folders.EditManifest(PluginFolders.LearningPhaseGuard, "\"description\": \"Blocks budget edits", "\"description\": \"Renamed. Blocks budget edits");

        var plugin = Assert.Single(PluginLoader.Load(folders.Directory, NullLogger.Instance).Plugins);

        Assert.Equal("Budget freeze", plugin.Name);
        Assert.StartsWith("Renamed. Blocks budget edits", plugin.Description, StringComparison.Ordinal);
        Assert.Null(plugin.Instance.GetType().GetProperty("Name"));
    }

    [Fact]
    public void Load_broken_plugin_folders_are_refused_and_the_others_still_load()
    {
        using var folders = new PluginFolders(PluginFolders.LearningPhaseGuard);
        folders.AddFolder("no-manifest");
        folders.AddFolder("bad-json", "{ \"id\": \"acme.broken\", ");
        folders.AddFolder("incomplete", """{ "id": "acme.incomplete", "name": "Incomplete" }""");
        folders.AddFolder("no-assembly", """
            { "id": "acme.ghost", "name": "Ghost", "version": "1.0.0", "assembly": "Acme.Ghost.dll", "entryType": "Acme.Ghost", "abstractionsVersions": [1] }
            """);
        File.WriteAllBytes(Path.Combine(folders.AddFolder("corrupt", """
            { "id": "acme.corrupt", "name": "Corrupt", "version": "1.0.0", "assembly": "Acme.Corrupt.dll", "entryType": "Acme.Corrupt", "abstractionsVersions": [1] }
            """), "Acme.Corrupt.dll"), [0x4d, 0x5a, 0x00, 0x01, 0x02]);

        var catalog = PluginLoader.Load(folders.Directory, NullLogger.Instance);

        Assert.Equal("adintel.learning-phase-guard", Assert.Single(catalog.Plugins).Id);
        var reasons = catalog.Failures.ToDictionary(f => f.Folder, f => f.Reason);
        Assert.Contains("has no plugin.json", reasons["no-manifest"]);
        Assert.Contains("not valid JSON", reasons["bad-json"]);
        Assert.Contains("lacks version, assembly, entryType, abstractionsVersions", reasons["incomplete"]);
        Assert.Contains("Acme.Ghost.dll named in plugin.json is not in the folder", reasons["no-assembly"]);
        Assert.Contains("BadImageFormatException", reasons["corrupt"]);
        Assert.Equal("acme.corrupt", catalog.Failures.Single(f => f.Folder == "corrupt").PluginId);
    }

    [Fact]
    public void Load_manifest_for_another_contract_version_is_refused_as_incompatible()
    {
        using var folders = new PluginFolders(PluginFolders.CreativeFatigue);
        folders.EditManifest(PluginFolders.CreativeFatigue, "\"abstractionsVersions\": [1]", "\"abstractionsVersions\": [2, 3]");

        var catalog = PluginLoader.Load(folders.Directory, NullLogger.Instance);

        Assert.Empty(catalog.Plugins);
        var failure = Assert.Single(catalog.Failures);
        Assert.Equal("adintel.creative-fatigue", failure.PluginId);
        Assert.StartsWith("Incompatible: built for plugin contract version 2 or 3", failure.Reason);
    }

    [Fact]
    public void Load_assembly_without_the_entry_type_is_refused()
    {
        using var folders = new PluginFolders(PluginFolders.CreativeFatigue);
        folders.EditManifest(PluginFolders.CreativeFatigue, "CreativeFatigue.CreativeFatiguePlugin", "CreativeFatigue.NoSuchPlugin");

        var catalog = PluginLoader.Load(folders.Directory, NullLogger.Instance);

        Assert.Empty(catalog.Plugins);
        Assert.Contains("has no type AdIntel.Plugins.CreativeFatigue.NoSuchPlugin", Assert.Single(catalog.Failures).Reason);
    }

    [Fact]
    public void Load_second_folder_with_the_same_plugin_id_is_refused()
    {
        using var folders = new PluginFolders(PluginFolders.CreativeFatigue);
        var copy = folders.AddFolder("z-copy");
        foreach (var file in Directory.GetFiles(Path.Combine(folders.Directory, PluginFolders.CreativeFatigue)))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        var catalog = PluginLoader.Load(folders.Directory, NullLogger.Instance);

        Assert.Single(catalog.Plugins);
        Assert.Contains("already provides plugin adintel.creative-fatigue", Assert.Single(catalog.Failures).Reason);
    }

    [Fact]
    public void Load_missing_directory_runs_without_plugins()
    {
        var catalog = PluginLoader.Load(Path.Combine(Path.GetTempPath(), "adintel-no-such-" + Guid.NewGuid().ToString("N")), NullLogger.Instance);

        Assert.False(catalog.DirectoryExists);
        Assert.Empty(catalog.Plugins);
        Assert.Empty(catalog.Failures);
    }
}
