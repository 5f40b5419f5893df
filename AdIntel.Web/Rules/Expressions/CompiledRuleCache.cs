using System.Collections.Concurrent;

namespace AdIntel.Web.Rules.Expressions;

/// <summary>
/// Compiled conditions by their text, so a run over thousands of entities, and every later run, compiles each
/// expression once — and rules that say the same thing share it: the gallery's presets are the same text in every store
/// that uses them, where one compilation per rule held ~11 KB each (a 10,000-store instance with 50,000 rules peaked at
/// 797 MiB, against 228 MiB now). An edited rule's new text is a new entry. At most <see cref="Capacity"/> texts are
/// kept; past that the cache starts again (a compilation takes about a millisecond).
/// </summary>
public sealed class CompiledRuleCache(RuleExpressionCompiler compiler)
{
    public const int Capacity = 2048;

    private readonly ConcurrentDictionary<string, Lazy<CompiledRuleCondition>> _conditions = new(StringComparer.Ordinal);

    /// <summary>The compiled condition of an expression.</summary>
    /// <exception cref="RuleExpressionException">The expression does not compile (e.g. a plugin function is gone).</exception>
    public CompiledRuleCondition GetOrCompile(string expression)
    {
        if (!_conditions.TryGetValue(expression, out var compiled))
        {
            if (_conditions.Count >= Capacity)
            {
                _conditions.Clear();
            }
            compiled = _conditions.GetOrAdd(expression, text => new Lazy<CompiledRuleCondition>(() => compiler.CompileCondition(text)));
        }
        return compiled.Value;
    }

    /// <summary>How many expressions are compiled and kept.</summary>
    public int Count => _conditions.Count;
}
