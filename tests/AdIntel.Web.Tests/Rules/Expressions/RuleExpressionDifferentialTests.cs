using System.Globalization;
using System.Text;
using AdIntel.Web.Rules.Expressions;

namespace AdIntel.Web.Tests.Rules.Expressions;

/// <summary>
/// The compiled delegates must agree with NCalc's own evaluator (configured as <see cref="NCalcReference"/> explains)
/// on every expression of the corpus: NCalc's own test expressions that fit our catalogue, and thousands of randomly
/// generated well-typed expressions over random values with many missing values and zeros.
/// </summary>
public sealed class RuleExpressionDifferentialTests
{
    private static readonly RuleExpressionCompiler Compiler = RuleExpressionCompiler.Default;

    /// <summary>
    /// Expressions from NCalc's test suite (EvaluationTestData, OperatorsTests, BuiltInFunctionsTestData,
    /// WaterLevelCheckTestData, NullCheckTestData, LambdaTests), with their parameters renamed to catalogue variables
    /// and only the operators and functions rules support, and the value NCalc's suite expects.
    /// </summary>
    public static TheoryData<string, object?> NCalcSuite => new()
    {
        { "2 + 3 + 5", 10.0 },
        { "2 * 3 + 5", 11.0 },
        { "2 * (3 + 5)", 16.0 },
        { "2 * (2*(2*(2+1)))", 24.0 },
        { "10 % 3", 1.0 },
        { "true or false", true },
        { "not true", false },
        { "false || not (false and true)", true },
        { "3 > 2 and 1 <= (3-2)", true },
        { "3 % 2 != 10 % 3", false },
        { "2 > (3 + 5)", false },
        { "123456", 123456.0 },
        { ".2", 0.2 },
        { "123.456", 123.456 },
        { "NOT true", false },
        { "!true", false },
        { "not false", true },
        { "Not false", true },
        { "-10", -10.0 },
        { "+20", 20.0 },
        { "2**-1", 0.5 },
        { "2**+2", 4.0 },
        { "2 * 3", 6.0 },
        { "6 / 2", 3.0 },
        { "7 % 2", 1.0 },
        { "2 - 1", 1.0 },
        { "1 < 2", true },
        { "1 <= 1", true },
        { "1 >= 2", false },
        { "1 = 1", true },
        { "1 == 1", true },
        { "1 != 1", false },
        { "1 <> 1", false },
        { "true && false", false },
        { "tRue aNd faLse", false },
        { "TRUE ANd fALSE", false },
        { "true OR false", true },
        { "if(true, 0, 1)", 0.0 },
        { "if(false, 0, 1)", 1.0 },
        { "2+2+2+2", 8.0 },
        { "2*2*2*2", 16.0 },
        { "1 + 2 + 3 * 4 / 2", 9.0 },
        { "18/2/2*3", 13.5 },
        { "-1 ** 2", -1.0 },
        { "(-1) ** 2", 1.0 },
        { "2 ** 3 ** 2", 512.0 },
        { "(2 ** 3) ** 2", 64.0 },
        { "2 * 3 ** 2", 18.0 },
        { "2 ** 4 / 2", 8.0 },
        { "Abs(-1)", 1.0 },
        { "Ceiling(1.5)", 2.0 },
        { "Floor(1.5)", 1.0 },
        { "Round(3.222,2)", 3.22 },
        { "Max(1,10)", 10.0 },
        { "Min(1,10)", 1.0 },
        { "if(true,1,2)", 1.0 },
        { "ABS(-1)", 1.0 },
        { "ROUND(1.32, 1)", 1.3 },
        { "Min(3.2,6.3)", 3.2 },
        { "Max(2.6,9.6)", 9.6 },
        { "if(true, 1, 0.0)", 1.0 },
        // WaterLevelCheckTestData with waterlevel = roas_7d = 3.2 (NCalcSuiteRow).
        { "(roas_7d > 1 AND roas_7d <= 3)", false },
        { "(roas_7d > 3 AND roas_7d <= 5)", true },
        { "(3 < roas_7d AND 5 >= roas_7d)", true },
        { "(3.2 < roas_7d AND 5.3 >= roas_7d)", false },
        // NullCheckTestData: "null" becomes a missing variable (cpa_7d).
        { "if((5 + cpa_7d > 0), 1, 2)", 2.0 },
        { "if((5 - cpa_7d > 0), 1, 2)", 2.0 },
        { "if((5 / cpa_7d > 0), 1, 2)", 2.0 },
        { "if((5 * cpa_7d > 0), 1, 2)", 2.0 },
        { "if((5 % cpa_7d > 0), 1, 2)", 2.0 },
        // LambdaTests' data conversions with FieldA = spend_7d = 7, FieldC = ctr_7d = 2.4, FieldE = clicks_7d = 2.
        { "[spend_7d] > [ctr_7d]", true },
        { "[ctr_7d] > 1.34", true },
        { "[ctr_7d] > (1.34 * 2) % 3", false },
        { "[clicks_7d] = 2", true },
        // OperatorsTests.Should_Short_Circuit_Boolean_Expressions with a = spend_today = 0.
        { "([spend_today] != 0) && ([clicks_7d]/[spend_today]>2)", false },
    };

    private static double[] NCalcSuiteRow() =>
        RuleRows.With(("roas_7d", 3.2), ("cpa_7d", null), ("spend_7d", 7.0), ("ctr_7d", 2.4), ("clicks_7d", 2.0), ("spend_today", 0.0), ("status", "ACTIVE"), ("in_learning", false));

    [Theory]
    [MemberData(nameof(NCalcSuite))]
    public void NCalc_suite_expression_gives_the_same_value_compiled_and_in_NCalc(string expression, object? expected)
    {
        var row = NCalcSuiteRow();

        var compiled = Compiler.Compile(expression).Evaluate(row);
        var reference = NCalcReference.Evaluate(expression, row);

        Assert.Equal(expected, reference);
        Assert.Equal(expected, compiled);
    }

    [Fact]
    public void Random_expressions_give_the_same_value_compiled_and_in_NCalc()
    {
        var generator = new ExpressionGenerator(new Random(20241126));
        var mismatches = new List<string>();
        var evaluations = 0;
        for (var e = 0; e < 3000; e++)
        {
            var expression = generator.Condition(depth: 0);
            var compiled = Compiler.Compile(expression);
            for (var v = 0; v < 6; v++)
            {
                var row = generator.Row();
                var ours = compiled.Evaluate(row);
                var theirs = NCalcReference.Evaluate(expression, row);
                evaluations++;
                if (!Equals(ours, theirs))
                {
                    mismatches.Add($"{expression}  with {generator.Describe(row, compiled.Check.Variables)}: compiled {Show(ours)}, NCalc {Show(theirs)}");
                }
            }
        }

        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {evaluations} evaluations differ:\n{string.Join("\n", mismatches.Take(20))}");
    }

    [Fact]
    public void Random_number_expressions_give_the_same_value_compiled_and_in_NCalc()
    {
        var generator = new ExpressionGenerator(new Random(4));
        var mismatches = new List<string>();
        for (var e = 0; e < 2000; e++)
        {
            var expression = generator.Number(depth: 0);
            var compiled = Compiler.Compile(expression);
            var row = generator.Row();
            var ours = compiled.Evaluate(row);
            var theirs = NCalcReference.Evaluate(expression, row);
            if (!Equals(ours, theirs))
            {
                mismatches.Add($"{expression}  with {generator.Describe(row, compiled.Check.Variables)}: compiled {Show(ours)}, NCalc {Show(theirs)}");
            }
        }

        Assert.True(mismatches.Count == 0, $"{mismatches.Count} differ:\n{string.Join("\n", mismatches.Take(20))}");
    }

    private static string Show(object? value) => value switch
    {
        null => "null",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>Random well-typed expressions over a few variables (random letter case), and random rows for them.</summary>
    private sealed class ExpressionGenerator(Random random)
    {
        private const int MaxDepth = 4;
        private static readonly string[] NumberVariables = ["roas_7d", "spend_7d", "cpa_7d", "ctr_14d", "frequency_7d", "purchases_30d", "spend_today", "daily_budget", "age_days"];
        private static readonly string[] Comparisons = ["<", "<=", ">", ">=", "==", "!=", "=", "<>"];
        private static readonly string[] Arithmetic = ["+", "-", "*", "/", "%"];

        public string Condition(int depth)
        {
            var choice = depth >= MaxDepth ? random.Next(3) : random.Next(12);
            return choice switch
            {
                0 => $"{Number(depth + 1)} {Pick(Comparisons)} {Number(depth + 1)}",
                1 => Case("in_learning"),
                2 => $"{Case("status")} {Pick(["==", "!="])} '{Case(Pick(RuleVariableCatalogue.StatusValues))}'",
                3 => $"({Condition(depth + 1)}) {Pick(["and", "or", "&&", "||", "AND", "Or"])} ({Condition(depth + 1)})",
                4 => $"{Pick(["not", "!"])} ({Condition(depth + 1)})",
                5 => $"{Case("between")}({Number(depth + 1)}, {Number(depth + 1)}, {Number(depth + 1)})",
                6 => $"{Case("is_null")}({Number(depth + 1)})",
                7 => $"{Case("if")}({Condition(depth + 1)}, {Condition(depth + 1)}, {Condition(depth + 1)})",
                8 => $"({Condition(depth + 1)}) {Pick(["==", "!="])} ({Condition(depth + 1)})",
                9 => Pick(["true", "false"]),
                _ => $"{Number(depth + 1)} {Pick(Comparisons)} {Number(depth + 1)}",
            };
        }

        public string Number(int depth)
        {
            var choice = depth >= MaxDepth ? random.Next(3) : random.Next(16);
            return choice switch
            {
                0 => Case(Pick(NumberVariables)),
                1 => random.Next(4) == 0 ? "0" : random.Next(0, 100).ToString(CultureInfo.InvariantCulture),
                2 => (random.Next(-400, 400) / 4.0).ToString("0.0#", CultureInfo.InvariantCulture) is var d && d.StartsWith('-') ? $"({d})" : d,
                3 or 4 or 5 => $"({Number(depth + 1)} {Pick(Arithmetic)} {Number(depth + 1)})",
                6 => $"-({Number(depth + 1)})",
                7 => $"{Case("abs")}({Number(depth + 1)})",
                8 => $"{Case(Pick(["min", "max"]))}({Number(depth + 1)}, {Number(depth + 1)})",
                9 => $"{Case(Pick(["floor", "ceiling"]))}({Number(depth + 1)})",
                10 => $"{Case("round")}({Number(depth + 1)}, {random.Next(0, 4)})",
                11 => $"{Case("pct_change")}({Number(depth + 1)}, {Number(depth + 1)})",
                12 => random.Next(2) == 0 ? $"{Case("coalesce")}({Number(depth + 1)}, {Number(depth + 1)})" : $"({Number(depth + 1)} ?? {Number(depth + 1)})",
                13 => random.Next(2) == 0 ? $"{Case("if")}({Condition(depth + 1)}, {Number(depth + 1)}, {Number(depth + 1)})" : $"(({Condition(depth + 1)}) ? {Number(depth + 1)} : {Number(depth + 1)})",
                14 => $"({Number(depth + 1)} ** {random.Next(0, 3)})",
                _ => Case(Pick(NumberVariables)),
            };
        }

        /// <summary>Values drawn so that missing values, zeros and equal values are common.</summary>
        public double[] Row()
        {
            var row = RuleRows.With(("status", Pick(RuleVariableCatalogue.StatusValues)), ("in_learning", random.Next(2) == 0));
            foreach (var name in NumberVariables)
            {
                row[RuleVariableCatalogue.Get(name).Slot] = random.Next(6) switch
                {
                    0 => double.NaN,
                    1 => 0,
                    2 => random.Next(1, 5),
                    3 => -random.Next(1, 5) / 2.0,
                    _ => Math.Round(random.NextDouble() * 200, 2),
                };
            }
            return row;
        }

        public string Describe(double[] row, IEnumerable<RuleVariable> variables)
        {
            var text = new StringBuilder();
            foreach (var variable in variables)
            {
                text.Append(variable.Name).Append('=').Append(Show(RuleOps.ToNullable(row[variable.Slot]))).Append(' ');
            }
            return text.ToString().TrimEnd();
        }

        private string Pick(IReadOnlyList<string> options) => options[random.Next(options.Count)];

        /// <summary>Names are case-insensitive: write some in upper or mixed case.</summary>
        private string Case(string name) => random.Next(5) switch
        {
            0 => name.ToUpperInvariant(),
            1 => string.Concat(name.Select((c, i) => i % 2 == 0 ? char.ToUpperInvariant(c) : c)),
            _ => name,
        };
    }
}
