using System.Collections.Concurrent;

namespace AdIntel.Web.Rules.Expressions;

/// <summary>
/// Compiled conditions per rule version (<see cref="Domain.Rule.Version"/> is bumped on every edit), so a run over
/// thousands of entities, and every later run, compiles each rule once. A new version replaces the old one.
/// </summary>
public sealed class CompiledRuleCache(RuleExpressionCompiler compiler)
{
    private readonly ConcurrentDictionary<long, (int Version, string Expression, Lazy<CompiledRuleCondition> Compiled)> _rules = new();

    /// <summary>The compiled condition of a rule version.</summary>
    /// <exception cref="RuleExpressionException">The stored expression no longer compiles (e.g. a plugin function is gone).</exception>
    public CompiledRuleCondition GetOrCompile(long ruleId, int version, string expression)
    {
        var entry = _rules.AddOrUpdate(ruleId,
            _ => Create(version, expression),
            (_, existing) => existing.Version == version && existing.Expression == expression ? existing : Create(version, expression));
        return entry.Compiled.Value;
    }

    /// <summary>Forgets a deleted rule.</summary>
    public void Remove(long ruleId) => _rules.TryRemove(ruleId, out _);

    private (int, string, Lazy<CompiledRuleCondition>) Create(int version, string expression) =>
        (version, expression, new Lazy<CompiledRuleCondition>(() => compiler.CompileCondition(expression)));
}
