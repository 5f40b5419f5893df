using System.Globalization;
using NCalc;

namespace AdIntel.Web.Rules.Expressions;

/// <summary>Writes a parsed expression back as text with lower-case names: the canonical form, and the text of error messages.</summary>
internal static class RuleExpressionFormatter
{
    public static string Format(LogicalExpression node) => node switch
    {
        Identifier identifier => identifier.Name.ToLowerInvariant(),
        ValueExpression value => FormatValue(value),
        UnaryExpression unary => unary.Type switch
        {
            UnaryExpressionType.Not => "not " + Operand(unary.Expression),
            UnaryExpressionType.Negate => "-" + Operand(unary.Expression),
            UnaryExpressionType.Positive => "+" + Operand(unary.Expression),
            UnaryExpressionType.BitwiseNot => "~" + Operand(unary.Expression),
            _ => Operand(unary.Expression) + "!",
        },
        BinaryExpression binary => $"{Operand(binary.LeftExpression)} {Operator(binary.Type)} {Operand(binary.RightExpression)}",
        TernaryExpression ternary => $"{Operand(ternary.LeftExpression)} ? {Operand(ternary.MiddleExpression)} : {Operand(ternary.RightExpression)}",
        Function function => $"{function.Identifier.Name.ToLowerInvariant()}({string.Join(", ", function.Parameters.Select(Format))})",
        LogicalExpressionList list => $"({string.Join(", ", list.Select(Format))})",
        _ => node.ToString() ?? "",
    };

    public static string Operator(BinaryExpressionType type) => type switch
    {
        BinaryExpressionType.And => "and",
        BinaryExpressionType.Or => "or",
        BinaryExpressionType.NotEqual => "!=",
        BinaryExpressionType.LesserOrEqual => "<=",
        BinaryExpressionType.GreaterOrEqual => ">=",
        BinaryExpressionType.Lesser => "<",
        BinaryExpressionType.Greater => ">",
        BinaryExpressionType.Equal => "==",
        BinaryExpressionType.Minus => "-",
        BinaryExpressionType.Plus => "+",
        BinaryExpressionType.Modulo => "%",
        BinaryExpressionType.Div => "/",
        BinaryExpressionType.Times => "*",
        BinaryExpressionType.BitwiseOr => "|",
        BinaryExpressionType.BitwiseAnd => "&",
        BinaryExpressionType.BitwiseXOr => "^",
        BinaryExpressionType.LeftShift => "<<",
        BinaryExpressionType.RightShift => ">>",
        BinaryExpressionType.Exponentiation => "**",
        BinaryExpressionType.In => "in",
        BinaryExpressionType.NotIn => "not in",
        BinaryExpressionType.Like => "like",
        BinaryExpressionType.NotLike => "not like",
        BinaryExpressionType.Coalesce => "??",
        _ => "?",
    };

    private static string Operand(LogicalExpression node) =>
        node is BinaryExpression or TernaryExpression ? "(" + Format(node) + ")" : Format(node);

    private static string FormatValue(ValueExpression value) => value.Value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        string s => "'" + s + "'",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        var other => other.ToString() ?? "",
    };
}
