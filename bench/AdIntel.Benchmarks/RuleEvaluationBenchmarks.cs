using AdIntel.Web.Rules.Expressions;
using BenchmarkDotNet.Attributes;
using NCalc;
using NCalc.Handlers;

namespace AdIntel.Benchmarks;

/// <summary>
/// 100 generated rules × 10,000 ads (1,000,000 condition evaluations per operation): compiled delegates against the
/// same 100 conditions written by hand in C# (baseline), and against NCalc's own evaluator. Times are per evaluation
/// (OperationsPerInvoke). NCalc is ~200× slower, so it runs the 100 rules over the first 100 ads only (10,000
/// evaluations) and its per-evaluation time is scaled from that subset.
/// </summary>
/// <remarks>Not sealed: BenchmarkDotNet derives from benchmark classes.</remarks>
[MemoryDiagnoser]
public class RuleEvaluationBenchmarks
{
    private const int RuleCount = 100;
    private const int AdCount = 10_000;
    private const int NCalcAdCount = 100;

    private double[][] _rows = [];
    private Func<double[], bool>[] _handWritten = [];
    private Func<double[], bool>[] _compiled = [];
    private NCalcRule[] _ncalc = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(20261126);
        var rules = Enumerable.Range(0, RuleCount).Select(i => RuleTemplates.Create(i % RuleTemplates.Count, random)).ToArray();
        _handWritten = [.. rules.Select(r => r.HandWritten)];
        _compiled = [.. rules.Select(r => RuleExpressionCompiler.Default.CompileCondition(r.Expression).Delegate)];
        _ncalc = [.. rules.Select(r => new NCalcRule(r.Expression))];
        _rows = [.. Enumerable.Range(0, AdCount).Select(_ => RandomRow(random))];
        var disagreements = CountDisagreements();
        if (disagreements > 0)
        {
            throw new InvalidOperationException($"Hand-written and compiled conditions disagree on {disagreements} evaluations.");
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = RuleCount * AdCount, Description = "Hand-written C#")]
    public int HandWritten() => Run(_handWritten, _rows.Length);

    [Benchmark(OperationsPerInvoke = RuleCount * AdCount, Description = "Compiled expression")]
    public int Compiled() => Run(_compiled, _rows.Length);

    [Benchmark(OperationsPerInvoke = RuleCount * NCalcAdCount, Description = "NCalc evaluator (100 ads, scaled)")]
    public int NCalcEvaluator()
    {
        var matches = 0;
        for (var i = 0; i < NCalcAdCount; i++)
        {
            foreach (var rule in _ncalc)
            {
                if (rule.Evaluate(_rows[i]))
                {
                    matches++;
                }
            }
        }
        return matches;
    }

    /// <summary>
    /// Ad by ad, every rule on each ad: a run reads each ad's row once while it is in cache. (Rule by rule, each of
    /// the 1,000,000 evaluations would wait ~100 ns for its row from memory: 12.6 MB of rows do not fit in cache,
    /// and the benchmark would measure memory latency instead of evaluation.)
    /// </summary>
    private int Run(Func<double[], bool>[] conditions, int ads)
    {
        var matches = 0;
        for (var i = 0; i < ads; i++)
        {
            var row = _rows[i];
            foreach (var condition in conditions)
            {
                if (condition(row))
                {
                    matches++;
                }
            }
        }
        return matches;
    }

    private int CountDisagreements()
    {
        var count = 0;
        for (var r = 0; r < RuleCount; r++)
        {
            foreach (var row in _rows)
            {
                if (_handWritten[r](row) != _compiled[r](row))
                {
                    count++;
                }
            }
        }
        return count;
    }

    /// <summary>Plausible ad values: money and counts in realistic ranges, a tenth of the ratios missing, some zeros.</summary>
    private static double[] RandomRow(Random random)
    {
        var row = new double[RuleVariableCatalogue.SlotCount];
        foreach (var variable in RuleVariableCatalogue.All)
        {
            row[variable.Slot] = variable.Name switch
            {
                RuleVariableCatalogue.Status => random.Next(1, 4),
                RuleVariableCatalogue.InLearning => random.Next(2),
                RuleVariableCatalogue.AgeDays => random.Next(0, 400),
                RuleVariableCatalogue.DailyBudget => random.Next(8) == 0 ? double.NaN : random.Next(10, 500),
                _ => variable.Metric!.Unit switch
                {
                    RuleUnit.Ratio or RuleUnit.Fraction when random.Next(10) == 0 => double.NaN,
                    RuleUnit.Ratio => random.NextDouble() * 5,
                    RuleUnit.Fraction => random.NextDouble() * 0.05,
                    _ when random.Next(12) == 0 => 0,
                    RuleUnit.Money => Math.Round(random.NextDouble() * 800, 2),
                    _ => random.Next(0, 20_000),
                },
            };
        }
        return row;
    }

    /// <summary>
    /// One rule on NCalc's evaluator, used the usual way: one parsed <see cref="Expression"/> per rule, its parameters
    /// set from the row before each <see cref="Expression.Evaluate(CancellationToken)"/>; the rule functions NCalc
    /// lacks are registered as custom functions.
    /// </summary>
    private sealed class NCalcRule
    {
        private readonly Expression _expression;
        private readonly RuleVariable[] _variables;

        public NCalcRule(string source)
        {
            _expression = new Expression(source, ExpressionOptions.AllowNullParameter | ExpressionOptions.IgnoreCaseAtBuiltInFunctions | ExpressionOptions.CaseInsensitiveStringComparer);
            _expression.Functions["pct_change"] = PercentChange;
            _expression.Functions["between"] = Between;
            _variables = [.. RuleExpressionCompiler.Default.Check(source).Variables];
        }

        public bool Evaluate(double[] row)
        {
            foreach (var variable in _variables)
            {
                var value = row[variable.Slot];
                _expression.Parameters[variable.Name] = variable.Type switch
                {
                    RuleValueType.Boolean => value != 0,
                    RuleValueType.Text => RuleVariableCatalogue.StatusValues[(int)value - 1],
                    _ => double.IsNaN(value) ? null : value,
                };
            }
            return (bool)_expression.Evaluate(CancellationToken.None)!;
        }

        private static object? PercentChange(FunctionData args) =>
            args.Evaluate(0) is double from && args.Evaluate(1) is double to && from != 0 ? (to - from) / from * 100 : null;

        private static object? Between(FunctionData args) =>
            args.Evaluate(0) is double x && Convert.ToDouble(args.Evaluate(1)) <= x && x <= Convert.ToDouble(args.Evaluate(2));
    }
}
