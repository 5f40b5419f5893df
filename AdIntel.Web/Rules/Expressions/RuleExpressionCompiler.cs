using System.Globalization;
using NCalc;
using NCalc.Exceptions;
using LinqExpression = System.Linq.Expressions.Expression;

namespace AdIntel.Web.Rules.Expressions;

/// <summary>
/// Checks and compiles rule expressions. NCalc parses the text; this class resolves names against
/// <see cref="RuleVariableCatalogue"/> and <see cref="RuleFunctionRegistry"/> (case-insensitively), checks types, and
/// turns NCalc's tree into a <see cref="System.Linq.Expressions"/> lambda over a snapshot row (<c>double[]</c>, one slot
/// per catalogue variable, NaN = missing), compiled to a delegate. Semantics: see <see cref="RuleOps"/>.
/// Thread-safe; compiling costs about a millisecond, so cache the result (<see cref="CompiledRuleCache"/>).
/// </summary>
public sealed class RuleExpressionCompiler(RuleFunctionRegistry functions)
{
    /// <summary>Longest expression accepted, in characters.</summary>
    public const int MaxLength = 1000;

    /// <summary>Deepest nesting accepted: parentheses, function calls and mixed operators (a chain of the same operator counts once).</summary>
    public const int MaxDepth = 24;

    /// <summary>A compiler knowing the built-in functions only.</summary>
    public static RuleExpressionCompiler Default { get; } = new(RuleFunctionRegistry.BuiltIn);

    private static readonly System.Linq.Expressions.ParameterExpression Row = LinqExpression.Parameter(typeof(double[]), "row");
    private static readonly LogicalExpressionParserOptions ParserOptions = new();

    public RuleFunctionRegistry Functions => functions;

    /// <summary>Validates without compiling to a delegate: what the editor calls on each change and the API on save.</summary>
    public RuleExpressionCheck Check(string? source) => Bind(source).Check;

    /// <summary>Like <see cref="Check"/>, and the expression must be a condition (what a rule's expression is).</summary>
    public RuleExpressionCheck CheckCondition(string? source) => Bind(source, requireCondition: true).Check;

    /// <summary>Compiles a rule condition (an expression that is true or false).</summary>
    /// <exception cref="RuleExpressionException">The expression has errors or is not a condition.</exception>
    public CompiledRuleCondition CompileCondition(string? source)
    {
        var bound = Bind(source, requireCondition: true);
        if (!bound.Check.IsValid)
        {
            throw new RuleExpressionException(bound.Check.Errors);
        }
        var lambda = LinqExpression.Lambda<Func<double[], bool>>(bound.Body!, "rule_condition", [Row]);
        return new CompiledRuleCondition(bound.Check, lambda.Compile());
    }

    /// <summary>Compiles an expression of any type (numbers, conditions, text), e.g. to show a computed value.</summary>
    /// <exception cref="RuleExpressionException">The expression has errors.</exception>
    public CompiledRuleExpression Compile(string? source)
    {
        var bound = Bind(source);
        if (!bound.Check.IsValid)
        {
            throw new RuleExpressionException(bound.Check.Errors);
        }
        return bound.Check.ResultType == RuleValueType.Boolean
            ? new CompiledRuleExpression(bound.Check, LinqExpression.Lambda<Func<double[], bool>>(bound.Body!, [Row]).Compile(), null)
            : new CompiledRuleExpression(bound.Check, null, LinqExpression.Lambda<Func<double[], double>>(bound.Body!, [Row]).Compile());
    }

    private (RuleExpressionCheck Check, LinqExpression? Body) Bind(string? source, bool requireCondition = false)
    {
        var text = source ?? "";
        if (string.IsNullOrWhiteSpace(text))
        {
            return Fail(text, new RuleExpressionError(RuleExpressionErrorCodes.Empty, "Write a condition, e.g. roas_7d < 1.5 and spend_7d > 100."));
        }
        if (text.Length > MaxLength)
        {
            return Fail(text, new RuleExpressionError(RuleExpressionErrorCodes.TooLong,
                $"The expression has {text.Length} characters; at most {MaxLength} are allowed."));
        }
        var scan = new ExpressionSource(text);
        if (scan.MaxParenthesisDepth > MaxDepth)
        {
            return Fail(text, TooDeep());
        }

        LogicalExpression tree;
        try
        {
            tree = LogicalExpressionParser.Parse(text, ParserOptions, CultureInfo.InvariantCulture, CancellationToken.None);
        }
        catch (Exception ex) when (ex is NCalcParserException or InvalidOperationException or FormatException or OverflowException)
        {
            return Fail(text, SyntaxError(ex, scan));
        }
        if (Depth(tree, null) > MaxDepth)
        {
            return Fail(text, TooDeep());
        }

        var binder = new Binder(functions, scan);
        var result = binder.Bind(tree);
        if (result.Ok && requireCondition && result.Type != RuleValueType.Boolean)
        {
            binder.Errors.Add(new RuleExpressionError(RuleExpressionErrorCodes.NotACondition,
                $"A rule needs a condition that is true or false, e.g. {RuleExpressionFormatter.Format(tree)} > 2; this expression gives {Describe(result.Type)}."));
        }
        var check = new RuleExpressionCheck
        {
            Source = text,
            Errors = binder.Errors,
            ResultType = result.Ok ? result.Type : null,
            NormalizedText = RuleExpressionFormatter.Format(tree),
            Variables = [.. binder.Variables.OrderBy(v => v.Slot)],
            FunctionsUsed = [.. binder.FunctionsUsed],
        };
        return (check, check.IsValid ? result.Linq : null);
    }

    private static (RuleExpressionCheck, LinqExpression?) Fail(string text, RuleExpressionError error) =>
        (new RuleExpressionCheck { Source = text, Errors = [error] }, null);

    private static RuleExpressionError TooDeep() => new(RuleExpressionErrorCodes.TooDeep,
        $"The expression nests more than {MaxDepth} levels deep; split it into simpler conditions.");

    private static RuleExpressionError SyntaxError(Exception ex, ExpressionSource scan)
    {
        // NCalc wraps the parser's message ("Invalid token in expression at position (1:9)") in its InnerException.
        var detail = ex.InnerException?.Message ?? ex.Message;
        SourcePosition? position = null;
        var marker = detail.LastIndexOf("at position (", StringComparison.Ordinal);
        if (marker >= 0)
        {
            var inner = detail[(marker + "at position (".Length)..].TrimEnd(')', '.', ' ');
            var parts = inner.Split(':');
            if (parts.Length == 2 && int.TryParse(parts[0], CultureInfo.InvariantCulture, out var line) && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var column))
            {
                position = scan.AtLineColumn(line, column);
            }
            detail = detail[..marker].TrimEnd();
        }
        if (detail.StartsWith("Unknown operator sequence", StringComparison.Ordinal))
        {
            position ??= scan.FindInvalidOperator();
            detail = "Two operators in a row, or an operator that does not exist";
        }
        var where = position is null ? "" : $" at line {position.Line}, column {position.Column}";
        var message = detail.TrimEnd('.') switch
        {
            "Parenthesis not closed" => $"A parenthesis is not closed{where}.",
            "Invalid token in expression" => $"Unexpected text{where}: check for a missing operator, value or quote.",
            var other => $"{other}{where}.",
        };
        return new RuleExpressionError(RuleExpressionErrorCodes.Syntax, message, position);
    }

    /// <summary>Nesting depth: each node adds a level, except a binary operator continuing a chain of the same operator.</summary>
    private static int Depth(LogicalExpression node, BinaryExpressionType? parent) => node switch
    {
        BinaryExpression b => (b.Type == parent ? 0 : 1) + Math.Max(Depth(b.LeftExpression, b.Type), Depth(b.RightExpression, b.Type)),
        UnaryExpression u => 1 + Depth(u.Expression, null),
        TernaryExpression t => 1 + Math.Max(Depth(t.LeftExpression, null), Math.Max(Depth(t.MiddleExpression, null), Depth(t.RightExpression, null))),
        Function f => 1 + (f.Parameters.Count == 0 ? 0 : f.Parameters.Max(p => Depth(p, null))),
        LogicalExpressionList l => 1 + (l.Count == 0 ? 0 : l.Max(p => Depth(p, null))),
        _ => 1,
    };

    private static string Describe(RuleValueType type) => type switch
    {
        RuleValueType.Number => "a number",
        RuleValueType.Boolean => "true or false",
        _ => "text",
    };

    /// <summary>One expression's name resolution, type check and code generation; collects every error it finds.</summary>
    private sealed class Binder(RuleFunctionRegistry functions, ExpressionSource scan)
    {
        public List<RuleExpressionError> Errors { get; } = [];
        public HashSet<RuleVariable> Variables { get; } = [];
        public List<RuleFunctionDefinition> FunctionsUsed { get; } = [];

        private readonly record struct Bound(LinqExpression? Linq, RuleValueType Type)
        {
            public bool Ok => Linq is not null;
        }

        private static readonly Bound Invalid = new(null, RuleValueType.Number);

        public (LinqExpression? Linq, RuleValueType Type, bool Ok) Bind(LogicalExpression tree)
        {
            var bound = Visit(tree);
            return (bound.Linq, bound.Type, bound.Ok && Errors.Count == 0);
        }

        private Bound Visit(LogicalExpression node) => node switch
        {
            Identifier identifier => VisitIdentifier(identifier),
            ValueExpression value => VisitValue(value),
            UnaryExpression unary => VisitUnary(unary),
            BinaryExpression binary => VisitBinary(binary),
            TernaryExpression ternary => VisitConditional(ternary.LeftExpression, ternary.MiddleExpression, ternary.RightExpression, node),
            Function function => VisitFunction(function),
            _ => Error(RuleExpressionErrorCodes.Syntax, $"\"{RuleExpressionFormatter.Format(node)}\" is not allowed here: a list needs a function before it."),
        };

        private Bound VisitIdentifier(Identifier identifier)
        {
            var name = identifier.Name;
            var variable = RuleVariableCatalogue.Find(name);
            if (variable is null)
            {
                if (string.Equals(name, "null", StringComparison.OrdinalIgnoreCase))
                {
                    return Error(RuleExpressionErrorCodes.UnknownVariable, "There is no null literal: test for a missing value with is_null(x), or replace it with coalesce(x, 0).", scan.FindName(name));
                }
                var suggestion = NameSuggester.Suggest(name, RuleVariableCatalogue.All.Select(v => v.Name));
                var hint = suggestion is null ? " See the catalogue of variables." : $" Did you mean {suggestion}?";
                return Error(RuleExpressionErrorCodes.UnknownVariable, $"Unknown variable \"{name}\".{hint}", scan.FindName(name), suggestion);
            }
            Variables.Add(variable);
            LinqExpression value = LinqExpression.ArrayIndex(Row, LinqExpression.Constant(variable.Slot));
            if (variable.Type == RuleValueType.Boolean)
            {
                value = LinqExpression.NotEqual(value, LinqExpression.Constant(0.0));
            }
            return new Bound(value, variable.Type);
        }

        private Bound VisitValue(ValueExpression value)
        {
            switch (value.Value)
            {
                case bool b:
                    return new Bound(LinqExpression.Constant(b), RuleValueType.Boolean);
                case int or long or double or decimal or float:
                    var number = Convert.ToDouble(value.Value, CultureInfo.InvariantCulture);
                    if (!double.IsFinite(number))
                    {
                        return Error(RuleExpressionErrorCodes.InvalidArgument, $"The number {RuleExpressionFormatter.Format(value)} is too large.");
                    }
                    return new Bound(LinqExpression.Constant(number), RuleValueType.Number);
                case string text:
                    var code = RuleVariableCatalogue.StatusCode(text);
                    if (code == 0)
                    {
                        var allowed = string.Join(", ", RuleVariableCatalogue.StatusValues.Select(s => $"'{s}'"));
                        var suggestion = NameSuggester.Suggest(text, RuleVariableCatalogue.StatusValues);
                        var hint = suggestion is null ? "" : $" Did you mean '{suggestion}'?";
                        return Error(RuleExpressionErrorCodes.UnknownValue, $"'{text}' is not a status; the statuses are {allowed}.{hint}", null, suggestion);
                    }
                    return new Bound(LinqExpression.Constant(code), RuleValueType.Text);
                default:
                    return Error(RuleExpressionErrorCodes.InvalidArgument,
                        $"{RuleExpressionFormatter.Format(value)} is not supported: use numbers, true/false and quoted statuses.");
            }
        }

        private Bound VisitUnary(UnaryExpression unary)
        {
            var operand = Visit(unary.Expression);
            if (!operand.Ok)
            {
                return Invalid;
            }
            switch (unary.Type)
            {
                case UnaryExpressionType.Not:
                    if (operand.Type != RuleValueType.Boolean)
                    {
                        return TypeError($"\"not\" applies to the condition right after it, and \"{RuleExpressionFormatter.Format(unary.Expression)}\" is {Describe(operand.Type)}: write not (a > b), with the parentheses.");
                    }
                    return new Bound(LinqExpression.Not(operand.Linq!), RuleValueType.Boolean);
                case UnaryExpressionType.Negate or UnaryExpressionType.Positive:
                    if (operand.Type != RuleValueType.Number)
                    {
                        return TypeError($"A sign needs a number, and \"{RuleExpressionFormatter.Format(unary.Expression)}\" is {Describe(operand.Type)}.");
                    }
                    return unary.Type == UnaryExpressionType.Negate ? new Bound(LinqExpression.Negate(operand.Linq!), RuleValueType.Number) : operand;
                default:
                    return Error(RuleExpressionErrorCodes.UnsupportedOperator,
                        $"The operator in \"{RuleExpressionFormatter.Format(unary)}\" is not supported in rules.");
            }
        }

        private Bound VisitBinary(BinaryExpression binary)
        {
            var op = RuleExpressionFormatter.Operator(binary.Type);
            if (binary.Type is BinaryExpressionType.BitwiseAnd or BinaryExpressionType.BitwiseOr or BinaryExpressionType.BitwiseXOr
                or BinaryExpressionType.LeftShift or BinaryExpressionType.RightShift or BinaryExpressionType.In or BinaryExpressionType.NotIn
                or BinaryExpressionType.Like or BinaryExpressionType.NotLike or BinaryExpressionType.Unknown)
            {
                var hint = binary.Type switch
                {
                    BinaryExpressionType.BitwiseAnd => " Use \"and\" (or &&) to join conditions.",
                    BinaryExpressionType.BitwiseOr => " Use \"or\" (or ||) to join conditions.",
                    _ => "",
                };
                return Error(RuleExpressionErrorCodes.UnsupportedOperator, $"The operator {op} is not supported in rules.{hint}");
            }

            var left = Visit(binary.LeftExpression);
            var right = Visit(binary.RightExpression);
            if (!left.Ok || !right.Ok)
            {
                return Invalid;
            }
            var text = RuleExpressionFormatter.Format(binary);
            switch (binary.Type)
            {
                case BinaryExpressionType.And or BinaryExpressionType.Or:
                    if (left.Type != RuleValueType.Boolean || right.Type != RuleValueType.Boolean)
                    {
                        var culprit = left.Type != RuleValueType.Boolean ? binary.LeftExpression : binary.RightExpression;
                        return TypeError($"\"{op}\" joins conditions, and \"{RuleExpressionFormatter.Format(culprit)}\" is {Describe(left.Type != RuleValueType.Boolean ? left.Type : right.Type)}: compare it, e.g. {RuleExpressionFormatter.Format(culprit)} > 0.");
                    }
                    return new Bound(binary.Type == BinaryExpressionType.And
                        ? LinqExpression.AndAlso(left.Linq!, right.Linq!)
                        : LinqExpression.OrElse(left.Linq!, right.Linq!), RuleValueType.Boolean);

                case BinaryExpressionType.Equal or BinaryExpressionType.NotEqual:
                    if (left.Type != right.Type)
                    {
                        return TypeError($"\"{text}\" compares {Describe(left.Type)} with {Describe(right.Type)}.");
                    }
                    var equal = binary.Type == BinaryExpressionType.Equal;
                    if (left.Type == RuleValueType.Number)
                    {
                        return new Bound(equal
                            ? LinqExpression.Equal(left.Linq!, right.Linq!)
                            : LinqExpression.Call(typeof(RuleOps), nameof(RuleOps.NotEqual), null, left.Linq!, right.Linq!), RuleValueType.Boolean);
                    }
                    return new Bound(equal ? LinqExpression.Equal(left.Linq!, right.Linq!) : LinqExpression.NotEqual(left.Linq!, right.Linq!), RuleValueType.Boolean);

                case BinaryExpressionType.Lesser or BinaryExpressionType.LesserOrEqual or BinaryExpressionType.Greater or BinaryExpressionType.GreaterOrEqual:
                    if (left.Type != RuleValueType.Number || right.Type != RuleValueType.Number)
                    {
                        return TypeError($"\"{text}\": {op} compares numbers; {(left.Type != RuleValueType.Number ? RuleExpressionFormatter.Format(binary.LeftExpression) : RuleExpressionFormatter.Format(binary.RightExpression))} is {Describe(left.Type != RuleValueType.Number ? left.Type : right.Type)}.");
                    }
                    return new Bound(binary.Type switch
                    {
                        BinaryExpressionType.Lesser => LinqExpression.LessThan(left.Linq!, right.Linq!),
                        BinaryExpressionType.LesserOrEqual => LinqExpression.LessThanOrEqual(left.Linq!, right.Linq!),
                        BinaryExpressionType.Greater => LinqExpression.GreaterThan(left.Linq!, right.Linq!),
                        _ => LinqExpression.GreaterThanOrEqual(left.Linq!, right.Linq!),
                    }, RuleValueType.Boolean);

                default:
                    if (left.Type != RuleValueType.Number || right.Type != RuleValueType.Number)
                    {
                        return TypeError($"\"{text}\": {op} needs numbers on both sides; {(left.Type != RuleValueType.Number ? RuleExpressionFormatter.Format(binary.LeftExpression) : RuleExpressionFormatter.Format(binary.RightExpression))} is {Describe(left.Type != RuleValueType.Number ? left.Type : right.Type)}.");
                    }
                    return new Bound(binary.Type switch
                    {
                        BinaryExpressionType.Plus => LinqExpression.Add(left.Linq!, right.Linq!),
                        BinaryExpressionType.Minus => LinqExpression.Subtract(left.Linq!, right.Linq!),
                        BinaryExpressionType.Times => LinqExpression.Multiply(left.Linq!, right.Linq!),
                        BinaryExpressionType.Div => LinqExpression.Call(typeof(RuleOps), nameof(RuleOps.Divide), null, left.Linq!, right.Linq!),
                        BinaryExpressionType.Modulo => LinqExpression.Call(typeof(RuleOps), nameof(RuleOps.Remainder), null, left.Linq!, right.Linq!),
                        BinaryExpressionType.Exponentiation => LinqExpression.Call(typeof(RuleOps), nameof(RuleOps.Power), null, left.Linq!, right.Linq!),
                        _ => LinqExpression.Call(typeof(RuleOps), nameof(RuleOps.Coalesce), null, left.Linq!, right.Linq!),
                    }, RuleValueType.Number);
            }
        }

        private Bound VisitConditional(LogicalExpression condition, LogicalExpression whenTrue, LogicalExpression whenFalse, LogicalExpression node)
        {
            var test = Visit(condition);
            var yes = Visit(whenTrue);
            var no = Visit(whenFalse);
            if (!test.Ok || !yes.Ok || !no.Ok)
            {
                return Invalid;
            }
            if (test.Type != RuleValueType.Boolean)
            {
                return TypeError($"The condition of \"{RuleExpressionFormatter.Format(node)}\" must be true or false, and \"{RuleExpressionFormatter.Format(condition)}\" is {Describe(test.Type)}.");
            }
            if (yes.Type != no.Type)
            {
                return TypeError($"Both outcomes of \"{RuleExpressionFormatter.Format(node)}\" must be of one type; here they are {Describe(yes.Type)} and {Describe(no.Type)}.");
            }
            return new Bound(LinqExpression.Condition(test.Linq!, yes.Linq!, no.Linq!), yes.Type);
        }

        private Bound VisitFunction(Function call)
        {
            var name = call.Identifier.Name;
            var definition = functions.Find(name);
            if (definition is null)
            {
                var suggestion = NameSuggester.Suggest(name, functions.All.Select(f => f.Name));
                var hint = suggestion is null ? $" The functions are {string.Join(", ", functions.All.Select(f => f.Name))}." : $" Did you mean {suggestion}?";
                var isVariable = RuleVariableCatalogue.Find(name) is not null;
                return Error(RuleExpressionErrorCodes.UnknownFunction,
                    isVariable ? $"{name.ToLowerInvariant()} is a variable, not a function: remove the parentheses after it." : $"Unknown function \"{name}\".{hint}",
                    scan.FindName(name), suggestion);
            }
            if (!FunctionsUsed.Contains(definition))
            {
                FunctionsUsed.Add(definition);
            }
            var arguments = call.Parameters;
            if (arguments.Count != definition.ParameterNames.Count)
            {
                return Error(RuleExpressionErrorCodes.ArgumentCount,
                    $"{definition.Name} takes {definition.ParameterNames.Count} argument{(definition.ParameterNames.Count == 1 ? "" : "s")} ({definition.Signature}); it was given {arguments.Count}.",
                    scan.FindName(name));
            }
            if (definition.IsConditional)
            {
                return VisitConditional(arguments[0], arguments[1], arguments[2], call);
            }

            var compiled = new LinqExpression[arguments.Count];
            var ok = true;
            for (var i = 0; i < arguments.Count; i++)
            {
                var argument = Visit(arguments[i]);
                if (!argument.Ok)
                {
                    ok = false;
                    continue;
                }
                if (argument.Type != definition.ParameterTypes[i])
                {
                    TypeError($"Argument {definition.ParameterNames[i]} of {definition.Signature} must be {Describe(definition.ParameterTypes[i])}, and \"{RuleExpressionFormatter.Format(arguments[i])}\" is {Describe(argument.Type)}.");
                    ok = false;
                    continue;
                }
                if (definition.LiteralArguments.TryGetValue(i, out var range) && !IsWholeLiteral(arguments[i], range))
                {
                    Error(RuleExpressionErrorCodes.InvalidArgument,
                        $"Argument {definition.ParameterNames[i]} of {definition.Signature} must be a whole number from {range.Min} to {range.Max}, written as a number.",
                        scan.FindName(name));
                    ok = false;
                    continue;
                }
                compiled[i] = argument.Linq!;
            }
            return ok ? new Bound(definition.Emit(compiled), definition.ResultType) : Invalid;
        }

        private static bool IsWholeLiteral(LogicalExpression argument, (int Min, int Max) range) =>
            argument is ValueExpression { Value: int or long } literal
            && Convert.ToInt64(literal.Value, CultureInfo.InvariantCulture) is var value
            && value >= range.Min && value <= range.Max;

        private Bound TypeError(string message) => Error(RuleExpressionErrorCodes.TypeMismatch, message);

        private Bound Error(string code, string message, SourcePosition? position = null, string? suggestion = null)
        {
            Errors.Add(new RuleExpressionError(code, message, position, suggestion));
            return Invalid;
        }
    }
}
