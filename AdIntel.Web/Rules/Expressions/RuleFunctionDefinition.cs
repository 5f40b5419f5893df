using System.Linq.Expressions;

namespace AdIntel.Web.Rules.Expressions;

/// <summary>A function expressions can call: a built-in one or one a plugin added.</summary>
public sealed class RuleFunctionDefinition
{
    public required string Name { get; init; }
    public required IReadOnlyList<string> ParameterNames { get; init; }

    /// <summary>Types of the arguments; for <c>if</c> the 2nd and 3rd take the type of the call (see <see cref="IsConditional"/>).</summary>
    public required IReadOnlyList<RuleValueType> ParameterTypes { get; init; }

    public required RuleValueType ResultType { get; init; }
    public required string Description { get; init; }

    /// <summary>The plugin that added the function; null for built-ins.</summary>
    public string? PluginId { get; init; }

    /// <summary><c>if(condition, then, else)</c>: its result type is its branches' type.</summary>
    public bool IsConditional { get; init; }

    /// <summary>Arguments that must be whole-number literals in a range (round's digits), by position.</summary>
    public IReadOnlyDictionary<int, (int Min, int Max)> LiteralArguments { get; init; } = new Dictionary<int, (int, int)>();

    /// <summary>Builds the call over already-compiled arguments (numbers as double with NaN = missing, conditions as bool).</summary>
    public required Func<IReadOnlyList<Expression>, Expression> Emit { get; init; }

    public string Signature => $"{Name}({string.Join(", ", ParameterNames)})";
}
