namespace AdIntel.Web.Rules.Expressions;

/// <summary>
/// A rule condition compiled to a delegate over snapshot rows (see <see cref="Snapshots.EntitySnapshot.Values"/>).
/// Immutable and thread-safe: one instance serves every entity of every run until the rule changes.
/// </summary>
public sealed class CompiledRuleCondition
{
    private readonly Func<double[], bool> _evaluate;

    internal CompiledRuleCondition(RuleExpressionCheck check, Func<double[], bool> evaluate)
    {
        Check = check;
        _evaluate = evaluate;
    }

    public RuleExpressionCheck Check { get; }

    public string Source => Check.Source;

    /// <summary>The variables the condition reads (what to show next to a match).</summary>
    public IReadOnlyList<RuleVariable> Variables => Check.Variables;

    /// <summary>The delegate itself, for loops that evaluate many rows.</summary>
    public Func<double[], bool> Delegate => _evaluate;

    /// <summary>Whether the condition holds for a row of <see cref="RuleVariableCatalogue.SlotCount"/> values (NaN = missing).</summary>
    public bool Evaluate(double[] row) => _evaluate(row);
}

/// <summary>An expression of any type compiled to a delegate; <see cref="Evaluate"/> returns bool, a nullable number or a status text.</summary>
public sealed class CompiledRuleExpression
{
    private readonly Func<double[], bool>? _condition;
    private readonly Func<double[], double>? _value;

    internal CompiledRuleExpression(RuleExpressionCheck check, Func<double[], bool>? condition, Func<double[], double>? value)
    {
        Check = check;
        _condition = condition;
        _value = value;
    }

    public RuleExpressionCheck Check { get; }

    public RuleValueType ResultType => Check.ResultType!.Value;

    /// <summary>true/false for conditions, a number or null for numbers, the status for text.</summary>
    public object? Evaluate(double[] row)
    {
        if (_condition is not null)
        {
            return _condition(row);
        }
        var value = _value!(row);
        if (ResultType == RuleValueType.Text)
        {
            var code = (int)value;
            return code >= 1 && code <= RuleVariableCatalogue.StatusValues.Count ? RuleVariableCatalogue.StatusValues[code - 1] : null;
        }
        return RuleOps.ToNullable(value);
    }
}
