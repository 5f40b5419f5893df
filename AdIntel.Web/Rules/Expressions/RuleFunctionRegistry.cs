using System.Collections.Frozen;
using System.Linq.Expressions;
using System.Text.RegularExpressions;
using AdIntel.Plugins.Abstractions;

namespace AdIntel.Web.Rules.Expressions;

/// <summary>
/// The functions of rule expressions: the built-ins below plus those plugins add (see
/// <see cref="IRuleFunctionProvider"/>). Names are lower case and matched case-insensitively.
/// </summary>
public sealed partial class RuleFunctionRegistry
{
    /// <summary>Built-in functions only (tests, benchmarks, and apps without plugins).</summary>
    public static RuleFunctionRegistry BuiltIn { get; } = new([]);

    private readonly FrozenDictionary<string, RuleFunctionDefinition> _byName;

    public RuleFunctionRegistry(IEnumerable<PluginFunction> pluginFunctions)
    {
        var all = new List<RuleFunctionDefinition>(BuiltInDefinitions());
        foreach (var added in pluginFunctions)
        {
            if (Conflict(all, added.Function.Name) is { } problem)
            {
                throw new ArgumentException($"Plugin {added.PluginId}: {problem}", nameof(pluginFunctions));
            }
            all.Add(FromPlugin(added));
        }
        All = all;
        _byName = all.ToFrozenDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyList<RuleFunctionDefinition> All { get; }

    public RuleFunctionDefinition? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>Why a plugin function named <paramref name="name"/> cannot be added next to <paramref name="existing"/>; null when it can.</summary>
    public static string? Conflict(IEnumerable<RuleFunctionDefinition> existing, string name)
    {
        if (!ValidName().IsMatch(name))
        {
            return $"function name \"{name}\" must be lower-case letters, digits and underscores, starting with a letter.";
        }
        if (RuleVariableCatalogue.Find(name) is not null)
        {
            return $"function name \"{name}\" is a rule variable.";
        }
        if (existing.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase)) is { } taken)
        {
            return taken.PluginId is null
                ? $"function \"{name}\" is a built-in function."
                : $"function \"{name}\" is already added by plugin {taken.PluginId}.";
        }
        return null;
    }

    /// <summary>A plugin function to register, with the id of the plugin that adds it.</summary>
    public sealed record PluginFunction(string PluginId, RuleFunction Function);

    [GeneratedRegex("^[a-z][a-z0-9_]{0,63}$")]
    private static partial Regex ValidName();

    private static RuleFunctionDefinition FromPlugin(PluginFunction added)
    {
        var function = added.Function;
        return new RuleFunctionDefinition
        {
            Name = function.Name,
            ParameterNames = function.ParameterNames,
            ParameterTypes = [.. function.ParameterNames.Select(_ => RuleValueType.Number)],
            ResultType = RuleValueType.Number,
            Description = function.Description,
            PluginId = added.PluginId,
            Emit = args => Expression.Call(typeof(RuleOps), nameof(RuleOps.CallPlugin), null,
                Expression.Constant(function.Evaluate), Expression.NewArrayInit(typeof(double), args)),
        };
    }

    private static IEnumerable<RuleFunctionDefinition> BuiltInDefinitions()
    {
        const RuleValueType N = RuleValueType.Number, B = RuleValueType.Boolean;
        yield return Number("abs", ["x"], "The value without its sign.", a => Math(nameof(System.Math.Abs), a));
        yield return Number("min", ["a", "b"], "The smaller of a and b (missing when either is).", a => Math(nameof(System.Math.Min), a));
        yield return Number("max", ["a", "b"], "The larger of a and b (missing when either is).", a => Math(nameof(System.Math.Max), a));
        yield return Number("floor", ["x"], "x rounded down to a whole number.", a => Math(nameof(System.Math.Floor), a));
        yield return Number("ceiling", ["x"], "x rounded up to a whole number.", a => Math(nameof(System.Math.Ceiling), a));
        yield return new RuleFunctionDefinition
        {
            Name = "round", ParameterNames = ["x", "digits"], ParameterTypes = [N, N], ResultType = N,
            Description = "x rounded to digits decimals (0 to 10, a literal), halves away from zero: round(2.345, 2) = 2.35.",
            LiteralArguments = new Dictionary<int, (int, int)> { [1] = (0, 10) },
            Emit = a => Expression.Call(typeof(RuleOps), nameof(RuleOps.Round), null, a[0], Expression.Convert(a[1], typeof(int))),
        };
        yield return Number("pct_change", ["from", "to"], "Change from 'from' to 'to' in percent of 'from': pct_change(roas_7d, roas_3d) < -20 means ROAS fell by more than a fifth. Missing when 'from' is 0.",
            a => Ops(nameof(RuleOps.PercentChange), a));
        yield return Number("coalesce", ["x", "fallback"], "x, or fallback when x is missing: coalesce(roas_7d, 0).", a => Ops(nameof(RuleOps.Coalesce), a));
        yield return new RuleFunctionDefinition
        {
            Name = "is_null", ParameterNames = ["x"], ParameterTypes = [N], ResultType = B,
            Description = "True when x is missing, e.g. a ratio whose denominator is zero.",
            Emit = a => Ops(nameof(RuleOps.IsMissing), a),
        };
        yield return new RuleFunctionDefinition
        {
            Name = "between", ParameterNames = ["x", "low", "high"], ParameterTypes = [N, N, N], ResultType = B,
            Description = "True when low ≤ x ≤ high (false when any is missing).",
            Emit = a => Ops(nameof(RuleOps.Between), a),
        };
        yield return new RuleFunctionDefinition
        {
            Name = "if", ParameterNames = ["condition", "then", "else"], ParameterTypes = [B, N, N], ResultType = N, IsConditional = true,
            Description = "'then' when the condition is true, else 'else'; both the same type. Same as condition ? then : else.",
            Emit = a => Expression.Condition(a[0], a[1], a[2]),
        };
    }

    private static RuleFunctionDefinition Number(string name, string[] parameters, string description, Func<IReadOnlyList<Expression>, Expression> emit) => new()
    {
        Name = name,
        ParameterNames = parameters,
        ParameterTypes = [.. parameters.Select(_ => RuleValueType.Number)],
        ResultType = RuleValueType.Number,
        Description = description,
        Emit = emit,
    };

    private static MethodCallExpression Math(string method, IReadOnlyList<Expression> args) =>
        Expression.Call(typeof(Math).GetMethod(method, [.. args.Select(_ => typeof(double))])!, args);

    private static MethodCallExpression Ops(string method, IReadOnlyList<Expression> args) =>
        Expression.Call(typeof(RuleOps), method, null, [.. args]);
}
