using AdIntel.Web.Rules.Expressions;
using Microsoft.AspNetCore.Http;

namespace AdIntel.Web.Tests.Rules.Expressions;

public sealed class RuleExpressionCompilerTests
{
    private static readonly RuleExpressionCompiler Compiler = RuleExpressionCompiler.Default;

    [Theory]
    [MemberData(nameof(ExpressionCases.Valid), MemberType = typeof(ExpressionCases))]
    public void CompileCondition_valid_expression_evaluates_as_written(string expression, bool expected)
    {
        var condition = Compiler.CompileCondition(expression);

        Assert.Equal(expected, condition.Evaluate(ExpressionCases.TypicalRow()));
    }

    [Theory]
    [MemberData(nameof(ExpressionCases.MissingAndZero), MemberType = typeof(ExpressionCases))]
    public void CompileCondition_missing_values_and_zero_denominators_follow_the_null_rules(string expression, bool expected)
    {
        var condition = Compiler.CompileCondition(expression);

        Assert.Equal(expected, condition.Evaluate(ExpressionCases.MissingRow()));
    }

    [Theory]
    [MemberData(nameof(ExpressionCases.Invalid), MemberType = typeof(ExpressionCases))]
    public void Check_invalid_expression_reports_code_message_and_position(string expression, string code, string messageFragment, int column)
    {
        var check = Compiler.Check(expression);
        var conditionErrors = Assert.Throws<RuleExpressionException>(() => Compiler.CompileCondition(expression)).Errors;

        var error = Assert.Single(conditionErrors);
        Assert.Equal(code, error.Code);
        Assert.Contains(messageFragment, error.Message, StringComparison.OrdinalIgnoreCase);
        if (column > 0)
        {
            Assert.NotNull(error.Position);
            Assert.Equal(1, error.Position.Line);
            Assert.Equal(column, error.Position.Column);
        }
        if (code != RuleExpressionErrorCodes.NotACondition)
        {
            Assert.False(check.IsValid);
        }
    }

    [Fact]
    public void Check_unknown_variable_offers_the_closest_name_as_suggestion()
    {
        var error = Assert.Single(Compiler.Check("ROAS_7DD < 1").Errors);

        Assert.Equal("roas_7d", error.Suggestion);
    }

    [Fact]
    public void Check_reports_every_unknown_name_not_just_the_first()
    {
        var errors = Compiler.Check("roas_7x < 1 and spendd_7d > 2").Errors;

        Assert.Equal(["roas_7d", "spend_7d"], errors.Select(e => e.Suggestion));
    }

    [Fact]
    public void Check_valid_expression_lists_its_variables_type_and_normalized_text()
    {
        var check = Compiler.Check("SPEND_7d > 2 * Daily_Budget AND Roas_7d < 1");

        Assert.True(check.IsValid);
        Assert.Equal(RuleValueType.Boolean, check.ResultType);
        Assert.Equal(["spend_7d", "roas_7d", "daily_budget"], check.Variables.Select(v => v.Name));
        Assert.Equal("(spend_7d > (2 * daily_budget)) and (roas_7d < 1)", check.NormalizedText);
    }

    [Fact]
    public void Check_too_long_expression_is_refused_before_parsing()
    {
        var expression = string.Join(" and ", Enumerable.Repeat("roas_7d > 1", 100));

        var error = Assert.Single(Compiler.Check(expression).Errors);

        Assert.Equal(RuleExpressionErrorCodes.TooLong, error.Code);
        Assert.Contains($"at most {RuleExpressionCompiler.MaxLength}", error.Message);
    }

    [Fact]
    public void Check_deep_nesting_is_refused_but_long_chains_of_one_operator_are_not()
    {
        var deep = new string('(', 40) + "roas_7d" + new string(')', 40) + " > 1";
        var mixed = string.Concat(Enumerable.Repeat("abs(", 30)) + "roas_7d" + new string(')', 30) + " > 1";
        var chain = string.Join(" and ", Enumerable.Repeat("roas_7d > 1", 40));

        Assert.Equal(RuleExpressionErrorCodes.TooDeep, Assert.Single(Compiler.Check(deep).Errors).Code);
        Assert.Equal(RuleExpressionErrorCodes.TooDeep, Assert.Single(Compiler.Check(mixed).Errors).Code);
        Assert.True(Compiler.Check(chain).IsValid);
    }

    [Fact]
    public void Compile_number_expression_returns_null_for_a_zero_denominator()
    {
        var row = RuleRows.With(("spend_7d", 0.0), ("purchase_value_7d", 120.0));

        Assert.Null(Compiler.Compile("purchase_value_7d / spend_7d").Evaluate(row));
        Assert.Equal(120.0, Compiler.Compile("purchase_value_7d + spend_7d").Evaluate(row));
        Assert.Equal("PAUSED", Compiler.Compile("status").Evaluate(RuleRows.With(("status", "PAUSED"))));
    }

    [Fact]
    public void RuleExpressionException_answers_422_with_the_contract_error_body()
    {
        var exception = Assert.Throws<RuleExpressionException>(() => Compiler.CompileCondition("roas_7dd > 1"));

        var result = Assert.IsAssignableFrom<IStatusCodeHttpResult>(exception.ToApiResult());
        Assert.Equal(422, result.StatusCode);
    }

    [Fact]
    public void Catalogue_has_every_metric_in_every_window_with_a_definition()
    {
        string[] expected = ["spend_today", "spend_yesterday", "roas_3d", "roas_7d", "cpa_7d", "ctr_14d", "frequency_7d", "purchases_30d",
            "poas_7d", "nc_roas_7d", "spend_lifetime", "roas_7d_incl_today", "cpm_30d_incl_today", "cpc_14d", "reach_today",
            "impressions_yesterday", "clicks_3d", "purchase_value_lifetime", "daily_budget", "status", "age_days", "in_learning"];

        foreach (var name in expected)
        {
            Assert.NotNull(RuleVariableCatalogue.Find(name));
        }
        Assert.Equal(RuleMetric.All.Count * RuleWindow.All.Count + 4, RuleVariableCatalogue.SlotCount);
        Assert.All(RuleVariableCatalogue.All, v => Assert.False(string.IsNullOrWhiteSpace(v.Definition)));
        Assert.Equal(RuleVariableCatalogue.All.Count, RuleVariableCatalogue.All.Select(v => v.Name).Distinct().Count());
        Assert.Equal(Enumerable.Range(0, RuleVariableCatalogue.SlotCount), RuleVariableCatalogue.All.Select(v => v.Slot));
    }

    [Fact]
    public void CompiledRuleCache_compiles_each_text_once_and_rules_saying_the_same_share_it()
    {
        var cache = new CompiledRuleCache(Compiler);

        var first = cache.GetOrCompile("roas_7d < 1");
        var sameText = cache.GetOrCompile("roas_7d < 1");
        var edited = cache.GetOrCompile("roas_7d < 2");

        Assert.Same(first, sameText);
        Assert.NotSame(first, edited);
        Assert.True(edited.Evaluate(RuleRows.With(("roas_7d", 1.5))));
        Assert.False(first.Evaluate(RuleRows.With(("roas_7d", 1.5))));
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public void CompiledRuleCache_stays_within_its_capacity_however_many_texts_it_sees()
    {
        var cache = new CompiledRuleCache(Compiler);
        for (var i = 0; i < CompiledRuleCache.Capacity * 2 + 10; i++)
        {
            var condition = cache.GetOrCompile($"spend_7d > {i}");
            Assert.True(condition.Evaluate(RuleRows.With(("spend_7d", i + 0.5))));
        }
        Assert.InRange(cache.Count, 1, CompiledRuleCache.Capacity);
    }
}
