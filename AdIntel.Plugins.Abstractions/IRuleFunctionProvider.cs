namespace AdIntel.Plugins.Abstractions;

/// <summary>
/// Implemented by a plugin's entry type (next to <see cref="IRulePlugin"/>) to add functions to rule expressions.
/// A function name must not clash with a built-in function or with another plugin's; a clash rejects the plugin.
/// </summary>
public interface IRuleFunctionProvider
{
    /// <summary>The functions this plugin adds.</summary>
    IReadOnlyList<RuleFunction> Functions { get; }
}

/// <summary>A numeric function usable in rule expressions, e.g. <c>decay_pct(ctr_14d, ctr_3d) &gt; 30</c>.</summary>
/// <param name="Name">Lower-case name of letters, digits and underscores, starting with a letter. Expressions match it case-insensitively.</param>
/// <param name="Description">What it returns, shown in the editor's catalogue.</param>
/// <param name="ParameterNames">One name per argument, shown in the signature; the count is the function's arity.</param>
/// <param name="Evaluate">
/// Receives the arguments (null is a missing value, e.g. a ratio whose denominator is zero) and returns the result or
/// null. Called once per entity and rule, so keep it cheap and free of side effects.
/// </param>
public sealed record RuleFunction(string Name, string Description, IReadOnlyList<string> ParameterNames, Func<IReadOnlyList<double?>, double?> Evaluate);
