using System.Collections.Concurrent;

namespace AdIntel.Web.Rules.Scripting;

/// <summary>
/// Compiled C# scripts per rule version, so a script compiles once, not on every run. A new version unloads the old
/// one's assembly (each script lives in its own collectible load context).
/// </summary>
public sealed class CompiledScriptCache(CSharpRuleScriptCompiler compiler) : IDisposable
{
    private readonly ConcurrentDictionary<long, (int Version, string Source, Lazy<RuleScriptCompilation> Compiled)> _scripts = new();

    /// <summary>The rule version's compiled script.</summary>
    /// <exception cref="RuleScriptException">The script does not compile, or scripts are turned off.</exception>
    public CompiledRuleScript GetOrCompile(long ruleId, int version, string source)
    {
        while (true)
        {
            var existing = _scripts.GetValueOrDefault(ruleId);
            if (existing.Compiled is not null && existing.Version == version && existing.Source == source)
            {
                return Unwrap(existing.Compiled.Value);
            }
            var created = (version, source, new Lazy<RuleScriptCompilation>(() => compiler.Compile(source, CancellationToken.None)));
            var replaced = existing.Compiled is null ? _scripts.TryAdd(ruleId, created) : _scripts.TryUpdate(ruleId, created, existing);
            if (replaced)
            {
                Release(existing.Compiled);
                return Unwrap(created.Item3.Value);
            }
        }
    }

    /// <summary>Forgets (and unloads) a deleted rule's script.</summary>
    public void Remove(long ruleId)
    {
        if (_scripts.TryRemove(ruleId, out var removed))
        {
            Release(removed.Compiled);
        }
    }

    public void Dispose()
    {
        foreach (var id in _scripts.Keys)
        {
            Remove(id);
        }
    }

    private static CompiledRuleScript Unwrap(RuleScriptCompilation compilation) =>
        compilation.Script ?? throw new RuleScriptException("The script does not compile: " + (compilation.Errors.Count > 0 ? compilation.Errors[0].Message : "unknown error."));

    private static void Release(Lazy<RuleScriptCompilation>? compiled)
    {
        if (compiled is { IsValueCreated: true })
        {
            compiled.Value.Script?.Dispose();
        }
    }
}
