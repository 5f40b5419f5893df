using System.Globalization;
using AdIntel.Web.Rules.Expressions;
using NCalc;
using NCalc.Factories;
using NCalc.Handlers;
using NCalc.Visitors;

namespace AdIntel.Web.Tests.Rules.Expressions;

/// <summary>
/// NCalc's own evaluator, configured to mean what rule expressions mean, as the oracle of the differential tests.
/// </summary>
/// <remarks>
/// What NCalc does itself: parsing, precedence, number types and promotion, arithmetic, comparisons, and/or/not with
/// short-circuit, ternary and <c>if</c>, and its built-ins abs, min, max, floor, ceiling and round
/// (<see cref="ExpressionOptions.IgnoreCaseAtBuiltInFunctions"/>, <see cref="ExpressionOptions.RoundAwayFromZero"/>).
/// Parameters are given by name (case-insensitive dictionaries), numbers as double or null, in_learning as bool and
/// status as its word (<see cref="ExpressionOptions.CaseInsensitiveStringComparer"/>); integer literals are Int64
/// (<see cref="ExpressionOptions.LongAsDefault"/>) so literal products cannot wrap around as Int32 does.
/// Missing values are null with <see cref="ExpressionOptions.AllowNullParameter"/>, under which NCalc already makes
/// arithmetic with null null and &lt; &lt;= &gt; &gt;= with null false. Where NCalc's semantics differ from the
/// contract's, <see cref="ContractVisitor"/> layers the contract on top and otherwise defers to NCalc:
/// a division or remainder by zero is null (NCalc: ±∞ or NaN); == and != with a null are false (NCalc: null == null is
/// true, null != 1 is true); ** and the numeric built-ins with a null argument are null (NCalc: abs(null) = 0,
/// max(null, 1) = 1); a NaN result is null. The expressions' own functions (between, pct_change, coalesce, is_null)
/// are registered as NCalc custom functions, written here from their documented definitions.
/// </remarks>
internal static class NCalcReference
{
    private const ExpressionOptions Options = ExpressionOptions.AllowNullParameter | ExpressionOptions.IgnoreCaseAtBuiltInFunctions
        | ExpressionOptions.RoundAwayFromZero | ExpressionOptions.CaseInsensitiveStringComparer | ExpressionOptions.LongAsDefault
        | ExpressionOptions.NoCache;

    /// <summary>Evaluates <paramref name="expression"/> for a row: bool, double, string or null.</summary>
    public static object? Evaluate(string expression, double[] row)
    {
        var parameters = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (var variable in RuleVariableCatalogue.All)
        {
            var value = row[variable.Slot];
            parameters[variable.Name] = variable.Type switch
            {
                RuleValueType.Boolean => value != 0,
                RuleValueType.Text => RuleVariableCatalogue.StatusValues[(int)value - 1],
                _ => double.IsNaN(value) ? null : value,
            };
        }
        var functions = new Dictionary<string, ExpressionFunction>(StringComparer.OrdinalIgnoreCase)
        {
            ["between"] = args => Number(args.Evaluate(0)) is { } x && Number(args.Evaluate(1)) is { } low && Number(args.Evaluate(2)) is { } high
                && low <= x && x <= high,
            ["pct_change"] = args => Number(args.Evaluate(0)) is { } from && Number(args.Evaluate(1)) is { } to && from != 0
                ? (to - from) / from * 100 : null,
            ["coalesce"] = args => args.Evaluate(0) ?? args.Evaluate(1),
            ["is_null"] = args => Number(args.Evaluate(0)) is null,
        };
        var context = new ExpressionContext(parameters, null, functions, null, null);
        var ncalc = new Expression(expression, ExpressionConfiguration.FromOptions(Options), context, CultureInfo.InvariantCulture, new ContractVisitorFactory());
        return Normalize(ncalc.Evaluate(CancellationToken.None));
    }

    /// <summary>NCalc's numbers (int, long, double, decimal) as double; null and NaN as null.</summary>
    public static double? Number(object? value) => value switch
    {
        null => null,
        double d => double.IsNaN(d) ? null : d,
        IConvertible c when value is not bool and not string => c.ToDouble(CultureInfo.InvariantCulture) is var x && double.IsNaN(x) ? null : x,
        _ => null,
    };

    private static object? Normalize(object? value) => value switch
    {
        null or bool or string => value,
        _ => Number(value),
    };

    private static bool IsZero(object? value) => Number(value) == 0;

    private sealed class ContractVisitorFactory : IEvaluationVisitorFactory
    {
        public EvaluationVisitor CreateEvaluationVisitor(ExpressionContext context, ExpressionEvaluationOptions options, CultureInfo cultureInfo, CancellationToken cancellationToken) =>
            new ContractVisitor(context, options, cultureInfo, this, cancellationToken);

        // NCalc creates an async visitor alongside (for function arguments) even when evaluating synchronously; it is never used here.
        public AsyncEvaluationVisitor CreateAsyncEvaluationVisitor(ExpressionContext context, ExpressionEvaluationOptions options, CultureInfo cultureInfo, CancellationToken cancellationToken) =>
            new EvaluationVisitorFactory().CreateAsyncEvaluationVisitor(context, options, cultureInfo, cancellationToken);
    }

    private sealed class ContractVisitor(ExpressionContext context, ExpressionEvaluationOptions options, CultureInfo culture,
        IEvaluationVisitorFactory factory, CancellationToken cancellationToken)
        : EvaluationVisitor(context, options, culture, factory, cancellationToken)
    {
        private static readonly HashSet<string> NullPropagatingBuiltIns = new(StringComparer.OrdinalIgnoreCase) { "abs", "min", "max", "floor", "ceiling", "round" };

        public override object? Visit(BinaryExpression expression)
        {
            switch (expression.Type)
            {
                case BinaryExpressionType.Div or BinaryExpressionType.Modulo:
                    if (IsZero(expression.RightExpression.Accept(this)))
                    {
                        return null;
                    }
                    break;
                case BinaryExpressionType.Equal or BinaryExpressionType.NotEqual or BinaryExpressionType.Lesser or BinaryExpressionType.LesserOrEqual
                    or BinaryExpressionType.Greater or BinaryExpressionType.GreaterOrEqual:
                    if (IsNull(expression.LeftExpression.Accept(this)) || IsNull(expression.RightExpression.Accept(this)))
                    {
                        return false;
                    }
                    break;
                case BinaryExpressionType.Exponentiation:
                    if (IsNull(expression.LeftExpression.Accept(this)) || IsNull(expression.RightExpression.Accept(this)))
                    {
                        return null;
                    }
                    break;
            }
            return Normalize(base.Visit(expression));
        }

        public override object? Visit(Function function)
        {
            if (NullPropagatingBuiltIns.Contains(function.Identifier.Name) && function.Parameters.Any(p => IsNull(p.Accept(this))))
            {
                return null;
            }
            return Normalize(base.Visit(function));
        }

        public override object? Visit(UnaryExpression expression) => Normalize(base.Visit(expression));

        private static bool IsNull(object? value) => value is null || value is double d && double.IsNaN(d);
    }
}
