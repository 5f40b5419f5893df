using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using NetArchTest.Rules;

namespace AdIntel.Web.Tests.Infrastructure;

/// <summary>
/// The folders of AdIntel.Web form layers: Domain at the bottom, Infrastructure above it, the engines (Metrics, Rules,
/// Reports, Integrations, …) above that, the screens (Pages/&lt;Feature&gt;) on top and Composition wiring them together.
/// These tests read the compiled assembly, so a dependency hidden in a fully qualified name counts too.
/// </summary>
public sealed class ArchitectureTests
{
    private const string Root = "AdIntel.Web";

    private static readonly Lazy<IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>>> Graph = new(BuildGraph);

    [Fact]
    public void No_cycle_between_top_level_folders_or_between_screens()
    {
        var graph = Graph.Value;
        var cycle = FindCycle(graph);
        Assert.True(cycle is null, cycle is null ? "" : DescribeCycle(graph, cycle));
    }

    [Fact]
    public void Domain_depends_on_no_other_folder()
    {
        var outgoing = Graph.Value["Domain"];
        Assert.True(outgoing.Count == 0, "Domain must not depend on " + Describe(outgoing));
    }

    [Fact]
    public void Infrastructure_depends_on_no_feature()
    {
        var features = Graph.Value["Infrastructure"].Where(edge => edge.Key != "Domain").ToDictionary();
        Assert.True(features.Count == 0, "Infrastructure must not depend on " + Describe(features));
    }

    [Fact]
    public void Only_composition_knows_every_feature()
    {
        var dependents = Graph.Value.Where(node => node.Value.ContainsKey("Composition")).Select(node => node.Key).ToList();
        Assert.True(dependents.Count == 0, "Nothing may depend on Composition, but " + string.Join(", ", dependents) + " do");
    }

    [Fact]
    public void The_graph_sees_real_dependencies()
    {
        // Guards the tests above against passing on an empty graph (a renamed root namespace, an empty assembly).
        var graph = Graph.Value;
        Assert.Contains("Metrics", graph["Reports"].Keys);
        Assert.Contains("Infrastructure", graph["Composition"].Keys);
        Assert.Contains("Pages.Overview", graph.Keys);
    }

    [Fact]
    public void Every_entity_configuration_is_applied()
    {
        // The DbContext applies a list (a scan of the assembly would load every type of the app at start): a
        // configuration left out of it would silently drop its entity's keys and indexes.
        var assembly = typeof(Program).Assembly;
        var configurations = assembly.GetTypes()
            .Where(type => !type.IsAbstract && type.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEntityTypeConfiguration<>)))
            .Select(type => type.FullName!)
            .Order()
            .ToList();
        Assert.True(configurations.Count > 40, $"only {configurations.Count} entity configurations found");
        var missing = configurations.Where(name => !Types.InAssembly(assembly).That().HaveName("EntityConfigurations")
            .Should().HaveDependencyOnAny(name).GetResult().IsSuccessful).ToList();
        Assert.True(missing.Count == 0, "Infrastructure/Data/Configurations/EntityConfigurations.cs does not apply " + string.Join(", ", missing));
    }

    /// <summary>Nodes are the top-level folders, with Pages split into one node per screen folder.</summary>
    private static IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>> BuildGraph()
    {
        var assembly = typeof(Program).Assembly;
        var nodes = assembly.GetTypes()
            .Select(type => type.Namespace)
            .OfType<string>()
            .Where(ns => ns.StartsWith(Root + ".", StringComparison.Ordinal))
            .Select(NodeOf)
            .Distinct()
            .Order()
            .ToList();
        var graph = new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>>();
        foreach (var from in nodes)
        {
            var edges = new Dictionary<string, IReadOnlyList<string>>();
            foreach (var to in nodes.Where(to => to != from))
            {
                var result = Types.InAssembly(assembly)
                    .That().ResideInNamespaceMatching(NamespacePattern(from))
                    .Should().NotHaveDependencyOnAny(DependencyNames(assembly, to))
                    .GetResult();
                if (!result.IsSuccessful)
                {
                    edges[to] = result.FailingTypes.Select(type => type.FullName).Order().ToList();
                }
            }
            graph[from] = edges;
        }
        return graph;
    }

    // "Pages" itself holds only the shared page types (the error page); each screen folder below it is a node of its own.
    private static string NamespacePattern(string node) =>
        node == "Pages" ? @"^AdIntel\.Web\.Pages$" : "^" + Regex.Escape($"{Root}.{node}") + @"(\..+)?$";

    private static string[] DependencyNames(System.Reflection.Assembly assembly, string node) => node == "Pages"
        ? [.. assembly.GetTypes().Where(type => type.Namespace == $"{Root}.Pages").Select(type => type.FullName!)]
        : [$"{Root}.{node}"];

    private static string NodeOf(string ns)
    {
        var parts = ns[(Root.Length + 1)..].Split('.');
        return parts[0] == "Pages" && parts.Length > 1 ? $"Pages.{parts[1]}" : parts[0];
    }

    private static List<string>? FindCycle(IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>> graph)
    {
        var state = new Dictionary<string, int>(); // 1 = on the path, 2 = done
        var path = new List<string>();
        List<string>? Visit(string node)
        {
            state[node] = 1;
            path.Add(node);
            foreach (var next in graph[node].Keys)
            {
                if (state.GetValueOrDefault(next) == 1)
                {
                    return [.. path.Skip(path.IndexOf(next)), next];
                }
                if (state.GetValueOrDefault(next) == 0 && Visit(next) is { } found)
                {
                    return found;
                }
            }
            path.RemoveAt(path.Count - 1);
            state[node] = 2;
            return null;
        }
        foreach (var node in graph.Keys)
        {
            if (state.GetValueOrDefault(node) == 0 && Visit(node) is { } cycle)
            {
                return cycle;
            }
        }
        return null;
    }

    private static string DescribeCycle(IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>> graph, List<string> cycle) =>
        "Cycle " + string.Join(" → ", cycle) + ":\n" + string.Join("\n", cycle.Zip(cycle.Skip(1),
            (from, to) => $"  {from} → {to} through {string.Join(", ", graph[from][to].Take(5))}"));

    private static string Describe(IReadOnlyDictionary<string, IReadOnlyList<string>> edges) =>
        string.Join("; ", edges.Select(edge => $"{edge.Key} (through {string.Join(", ", edge.Value.Take(5))})"));
}
