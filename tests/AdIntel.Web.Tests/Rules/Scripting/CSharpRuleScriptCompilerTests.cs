using AdIntel.Web.Rules.Scripting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Tests.Rules.Scripting;

public sealed class CSharpRuleScriptCompilerTests
{
    private static CSharpRuleScriptCompiler Compiler(bool enabled = true, int timeoutMilliseconds = 2000) =>
        new(Options.Create(new CSharpScriptOptions { Enabled = enabled, TimeoutMilliseconds = timeoutMilliseconds }), NullLogger<CSharpRuleScriptCompiler>.Instance);

    [Fact]
    public void Compile_when_scripts_are_disabled_refuses()
    {
        var result = Compiler(enabled: false).Compile("roas_7d < 1.5", CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Equal("scripts_disabled", Assert.Single(result.Errors).Code);
        Assert.Contains("Rules:CSharpScripts:Enabled", result.Errors[0].Message);
    }

    [Fact]
    public void Compile_expression_script_reads_catalogue_variables_with_null_for_missing()
    {
        using var script = Compiler().Compile("roas_7d < 1.5 && spend_7d > 100 && status == \"ACTIVE\" && !in_learning", CancellationToken.None).Script!;

        Assert.True(script.Evaluate(RuleRows.With(("roas_7d", 1.2), ("spend_7d", 250.0), ("status", "ACTIVE"), ("in_learning", false))));
        Assert.False(script.Evaluate(RuleRows.With(("roas_7d", 1.2), ("spend_7d", 250.0), ("status", "PAUSED"), ("in_learning", false))));
        // roas_7d missing: null < 1.5 is false in C# as in expressions.
        Assert.False(script.Evaluate(RuleRows.With(("roas_7d", null), ("spend_7d", 250.0), ("status", "ACTIVE"), ("in_learning", false))));
        Assert.Equal(["spend_7d", "roas_7d", "status", "in_learning"], script.Variables.Select(v => v.Name));
    }

    [Fact]
    public void Compile_script_reads_variables_through_the_globals_accessors_too()
    {
        const string source = """
            var windows = new[] { "3d", "7d" };
            return windows.All(w => Value("roas_" + w) < 1) && Text("status") == "ACTIVE" && !Flag("in_learning") && Entity is null;
            """;
        using var script = Compiler().Compile(source, CancellationToken.None).Script!;

        Assert.True(script.Evaluate(RuleRows.With(("roas_3d", 0.5), ("roas_7d", 0.8), ("status", "ACTIVE"), ("in_learning", false))));
        Assert.False(script.Evaluate(RuleRows.With(("roas_3d", 0.5), ("roas_7d", 1.8), ("status", "ACTIVE"), ("in_learning", false))));
        Assert.Empty(script.Variables);
    }

    [Theory]
    [InlineData("roas_7d < 1.2 && spend_7d > 2 * daily_budget && status == \"ACTIVE\"")]
    [InlineData("if (purchases_7d is null || in_learning) return false;\nvar recent = Entity.History.TakeLast(3).Sum(d => d.Spend);\nreturn recent > 300 && roas_3d < 0.8 * roas_30d;")]
    [InlineData("double Worst(params string[] windows) => windows.Min(w => Value(\"roas_\" + w) ?? double.MaxValue);\nreturn Worst(\"3d\", \"7d\", \"14d\") < 1 && spend_14d > 100;")]
    public void Compile_the_documented_examples(string source)
    {
        var result = Compiler().Compile(source, CancellationToken.None);

        Assert.Empty(result.Errors);
        result.Script!.Dispose();
    }

    [Fact]
    public void Compile_statement_script_with_loops_and_local_functions_runs()
    {
        const string source = """
            double Score(double? value) => value is null ? 0 : Min(value.Value, 5);
            var total = 0.0;
            foreach (var roas in new[] { roas_3d, roas_7d, roas_14d })
            {
                total += Score(roas);
            }
            return total / 3 < 1.5;
            """;
        using var script = Compiler().Compile(source, CancellationToken.None).Script!;

        Assert.True(script.Evaluate(RuleRows.With(("roas_3d", 1.0), ("roas_7d", 1.5), ("roas_14d", null))));
        Assert.False(script.Evaluate(RuleRows.With(("roas_3d", 9.0), ("roas_7d", 1.5), ("roas_14d", 2.0))));
    }

    [Fact]
    public void Compile_error_points_at_the_line_and_column_of_the_script()
    {
        var result = Compiler().Compile("var x = roas_7d;\nreturn x > unknown_thing;", CancellationToken.None);

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Errors);
        Assert.Equal(2, error.Position!.Line);
        Assert.Equal(12, error.Position.Column);
        Assert.Contains("unknown_thing", error.Message);
    }

    [Fact]
    public void Compile_error_after_using_directives_keeps_the_script_s_line_and_column()
    {
        var result = Compiler().Compile("using System.Text;\nvar text = new StringBuilder(\"a\");\nreturn text.Length > missing_name;", CancellationToken.None);

        var error = Assert.Single(result.Errors);
        Assert.Equal((3, 22), (error.Position!.Line, error.Position.Column));
        Assert.Contains("missing_name", error.Message);
    }

    [Fact]
    public void Compile_script_with_a_using_directive_runs()
    {
        using var script = Compiler().Compile("using System.Text;\nreturn new StringBuilder(\"ab\").Length == 2 && spend_7d > 1;", CancellationToken.None).Script!;

        Assert.True(script.Evaluate(RuleRows.With(("spend_7d", 2.0))));
    }

    [Theory]
    [InlineData("var high = roas_7d > 2;")]
    [InlineData("roas_7d > 2;")]
    public void Compile_script_that_gives_no_bool_is_refused(string source)
    {
        var result = Compiler().Compile(source, CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Code == "script_error");
    }

    [Fact]
    public void Compile_script_returning_a_number_points_at_the_return()
    {
        var result = Compiler().Compile("return roas_7d;", CancellationToken.None);

        var error = Assert.Single(result.Errors);
        Assert.Equal((1, 8), (error.Position!.Line, error.Position.Column));
    }

    [Fact]
    public void Compile_reference_directive_is_refused()
    {
        var result = Compiler().Compile("#r \"System.Net.Http\"\nreturn true;", CancellationToken.None);

        Assert.Equal("forbidden_statement", Assert.Single(result.Errors).Code);
    }

    [Fact]
    public void Evaluate_endless_loop_in_a_script_method_is_stopped_at_the_time_limit()
    {
        using var script = Compiler(timeoutMilliseconds: 200).Compile("bool Spin() { while (true) { } }\nSpin()", CancellationToken.None).Script!;

        var error = Assert.Throws<RuleScriptException>(() => script.Evaluate(RuleRows.With()));

        Assert.Contains("ran longer than 200 ms", error.Message);
    }

    [Fact]
    public void Evaluate_endless_loop_is_stopped_at_the_time_limit()
    {
        using var script = Compiler(timeoutMilliseconds: 200).Compile("while (true) { } return true;", CancellationToken.None).Script!;

        var started = System.Diagnostics.Stopwatch.StartNew();
        var error = Assert.Throws<RuleScriptException>(() => script.Evaluate(RuleRows.With()));

        Assert.Contains("ran longer than 200 ms", error.Message);
        Assert.InRange(started.ElapsedMilliseconds, 150, 5000);
    }

    [Fact]
    public void Evaluate_blocked_in_a_library_call_is_abandoned_at_the_time_limit_as_timed_out()
    {
        using var script = Compiler(timeoutMilliseconds: 200).Compile("System.Threading.Thread.Sleep(8000); return true;", CancellationToken.None).Script!;

        var started = System.Diagnostics.Stopwatch.StartNew();
        var error = Assert.Throws<RuleScriptException>(() => script.Evaluate(RuleRows.With()));

        Assert.Contains("timed out", error.Message);
        Assert.Contains("ran longer than 200 ms", error.Message);
        Assert.InRange(started.ElapsedMilliseconds, 150, 3000);
    }

    [Fact]
    public void Evaluate_runaway_recursion_is_stopped_before_the_stack_overflows()
    {
        using var script = Compiler().Compile("int Down(int n) => 1 + Down(n + 1); return Down(0) > 0;", CancellationToken.None).Script!;

        var error = Assert.Throws<RuleScriptException>(() => script.Evaluate(RuleRows.With()));

        Assert.Contains("recursed too deep", error.Message);
    }

    [Fact]
    public void Compile_goto_is_refused()
    {
        var result = Compiler().Compile("again: goto again;", CancellationToken.None);

        Assert.Equal("forbidden_statement", Assert.Single(result.Errors).Code);
    }

    [Fact]
    public void Dispose_unloads_the_script_assembly()
    {
        var context = CompileAndDispose();
        for (var i = 0; i < 10 && context.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Assert.False(context.IsAlive);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference CompileAndDispose()
    {
        var script = Compiler().Compile("spend_7d > 1", CancellationToken.None).Script!;
        Assert.True(script.Evaluate(RuleRows.With(("spend_7d", 2.0))));
        var context = new WeakReference(script.LoadContext);
        script.Dispose();
        return context;
    }
}
