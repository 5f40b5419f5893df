using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using AdIntel.Web.Rules.Scripting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace AdIntel.Web.Tests.Rules.Scripting;

/// <summary>Measures the process's managed heap, so nothing else may run beside it.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasurementCollection
{
    public const string Name = "memory-measurement";
}

[Collection(MemoryMeasurementCollection.Name)]
public sealed class CompiledScriptMemoryTests(ITestOutputHelper output)
{
    private const int WarmUpCycles = 30;
    private const int Cycles = 500;

    [Fact]
    public void Compiling_running_and_unloading_500_scripts_gives_the_memory_back()
    {
        var compiler = new CSharpRuleScriptCompiler(Options.Create(new CSharpScriptOptions { Enabled = true }), NullLogger<CSharpRuleScriptCompiler>.Instance);
        for (var i = 0; i < WarmUpCycles; i++)
        {
            CompileRunAndUnload(compiler, i);
        }
        var before = SettledManagedMemory();
        var workingSetBefore = Environment.WorkingSet;
        var started = System.Diagnostics.Stopwatch.StartNew();

        for (var i = WarmUpCycles; i < WarmUpCycles + Cycles; i++)
        {
            CompileRunAndUnload(compiler, i);
        }
        var after = SettledManagedMemory();
        var workingSetGrowth = Environment.WorkingSet - workingSetBefore;

        var scriptContexts = AssemblyLoadContext.All.Count(c => c.Name?.StartsWith("AdIntel.RuleScript.", StringComparison.Ordinal) == true);
        output.WriteLine($"{Cycles} cycles in {started.Elapsed.TotalSeconds:0.0} s; managed memory {before / 1024.0 / 1024:0.0} MiB after warm-up, "
            + $"{after / 1024.0 / 1024:0.0} MiB after ({(after - before) * 100.0 / before:+0.0;-0.0} %); script load contexts still alive: {scriptContexts}; "
            + $"working set {workingSetBefore / 1024 / 1024} MiB after warm-up, {Environment.WorkingSet / 1024 / 1024} MiB after");
        Assert.True(after <= before * 1.10, $"Managed memory grew from {before:N0} to {after:N0} bytes over {Cycles} scripts.");
        Assert.True(scriptContexts <= 2, $"{scriptContexts} script load contexts were not unloaded.");
        // Native memory too: metadata the compiler read per script once stayed with the process (about 12 MiB a script).
        Assert.True(workingSetGrowth < 256L * 1024 * 1024, $"The working set grew by {workingSetGrowth / 1024 / 1024} MiB over {Cycles} scripts.");
    }

    /// <summary>A distinct script each time (nothing cached), run once, then unloaded; no reference survives the call.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CompileRunAndUnload(CSharpRuleScriptCompiler compiler, int i)
    {
        using var script = compiler.Compile($"spend_7d > {i} && roas_7d < {i}.5", CancellationToken.None).Script!;
        Assert.Equal(i < 100, script.Evaluate(RuleRows.With(("spend_7d", 100.0), ("roas_7d", 0.1))));
    }

    private static long SettledManagedMemory()
    {
        // A collectible context is freed over several collections (its loader allocator is finalized first).
        for (var i = 0; i < 10; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
