namespace AdIntel.Web.Rules.Expressions;

/// <summary>The outcome of checking an expression: its errors, or its type and the names it uses.</summary>
public sealed class RuleExpressionCheck
{
    public required string Source { get; init; }
    public required IReadOnlyList<RuleExpressionError> Errors { get; init; }

    public bool IsValid => Errors.Count == 0;

    /// <summary>Type of the whole expression; null when it has errors.</summary>
    public RuleValueType? ResultType { get; init; }

    /// <summary>The expression re-written from its parsed form with lower-case names (null when it did not parse).</summary>
    public string? NormalizedText { get; init; }

    /// <summary>The catalogue variables the expression reads, in slot order: the values a dry run shows for a match.</summary>
    public IReadOnlyList<RuleVariable> Variables { get; init; } = [];

    /// <summary>The functions the expression calls.</summary>
    public IReadOnlyList<RuleFunctionDefinition> FunctionsUsed { get; init; } = [];
}
