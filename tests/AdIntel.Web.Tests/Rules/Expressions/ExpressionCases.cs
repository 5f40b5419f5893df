namespace AdIntel.Web.Tests.Rules.Expressions;

/// <summary>The tables behind <see cref="RuleExpressionCompilerTests"/>.</summary>
public static class ExpressionCases
{
    private static readonly (string, object?)[] Typical =
    [
        ("roas_7d", 1.2), ("spend_7d", 250.0), ("daily_budget", 100.0), ("cpa_7d", 31.25), ("ctr_14d", 0.012),
        ("frequency_7d", 2.6), ("purchases_30d", 42.0), ("roas_3d", 0.9), ("spend_today", 40.0), ("spend_yesterday", 95.0),
        ("status", "ACTIVE"), ("in_learning", false), ("age_days", 12.0), ("poas_7d", 0.4), ("nc_roas_7d", 0.7),
    ];

    /// <summary>Valid conditions over <see cref="Typical"/> values and whether they hold.</summary>
    public static TheoryData<string, bool> Valid => new()
    {
        { "roas_7d < 1.5 and spend_7d > 100", true },
        { "roas_7d < 1.5 && spend_7d > 300", false },
        { "spend_7d > 2 * daily_budget", true },
        { "spend_7d > 3 * daily_budget", false },
        { "(roas_7d < 1 or cpa_7d > 30) and not in_learning", true },
        { "roas_7d < 1 or (cpa_7d > 40 and frequency_7d > 2)", false },
        { "ctr_14d < 0.01", false },
        { "ctr_14d >= 0.012 and ctr_14d <= 0.012", true },
        { "pct_change(roas_7d, roas_3d) < -20", true },
        { "pct_change(spend_yesterday, spend_today) < -50", true },
        { "between(frequency_7d, 2, 3)", true },
        { "between(frequency_7d, 3, 4)", false },
        { "min(roas_7d, roas_3d) < 1", true },
        { "max(roas_7d, roas_3d) > 1.1", true },
        { "abs(roas_3d - roas_7d) > 0.25", true },
        { "round(cpa_7d, 1) == 31.3", true },
        { "floor(frequency_7d) == 2 and ceiling(frequency_7d) == 3", true },
        { "if(in_learning, 0, spend_7d) > 200", true },
        { "(in_learning ? 0 : spend_7d) > 300", false },
        { "status == 'ACTIVE'", true },
        { "status != 'PAUSED'", true },
        { "status == 'active'", true },
        { "purchases_30d >= 40 and age_days > 7", true },
        { "poas_7d < 1 and nc_roas_7d < 1", true },
        { "spend_7d % 100 == 50", true },
        { "2 ** 3 == 8", true },
        { "-roas_7d < 0", true },
        { "true", true },
        { "not false and true", true },
        { "spend_7d = 250", true },
        { "spend_7d <> 250", false },
        { "[roas_7d] < 1.5", true },
        // Names are case-insensitive: variables, functions, keywords.
        { "ROAS_7D < 1.5 AND Spend_7d > 100", true },
        { "PCT_CHANGE(Roas_7d, ROAS_3D) < -20", true },
        { "Status == 'Active' Or In_Learning", true },
    };

    /// <summary>Conditions over missing values and zero denominators: the contract's null rules.</summary>
    public static TheoryData<string, bool> MissingAndZero => new()
    {
        // roas_7d is missing (spend was 0), spend_7d is 0, purchases_7d is 0, cpa_7d is missing.
        { "roas_7d < 1", false },
        { "roas_7d >= 1", false },
        { "roas_7d == roas_7d", false },
        { "roas_7d != 1", false },
        { "not (roas_7d >= 1)", true },
        { "roas_7d < 1 or spend_7d == 0", true },
        { "is_null(roas_7d)", true },
        { "is_null(spend_7d)", false },
        { "coalesce(roas_7d, 0) < 1", true },
        { "(roas_7d ?? 5) == 5", true },
        { "roas_7d + 1 > 0", false },
        { "abs(roas_7d) >= 0", false },
        { "min(roas_7d, 1) <= 1", false },
        { "purchases_7d / spend_7d > 0", false },
        { "is_null(purchases_7d / spend_7d)", true },
        { "is_null(10 % spend_7d)", true },
        { "pct_change(spend_7d, 5) > 0", false },
        { "is_null(pct_change(spend_7d, 5))", true },
        { "between(roas_7d, 0, 10)", false },
        { "is_null(roas_7d ** 0)", true },
        { "is_null(if(spend_7d > 0, roas_7d, 0))", false },
        { "spend_7d == 0 and purchases_7d == 0", true },
        { "is_null(cpa_7d) and not is_null(purchases_7d)", true },
    };

    public static double[] TypicalRow() => RuleRows.With(Typical);

    public static double[] MissingRow() => RuleRows.With(("roas_7d", null), ("spend_7d", 0.0), ("purchases_7d", 0.0), ("cpa_7d", null));

    /// <summary>Invalid expressions: error code, a fragment of the message, and the 1-based column it points at (0: none).</summary>
    public static TheoryData<string, string, string, int> Invalid => new()
    {
        { "roas_7d >", "syntax_error", "Unexpected text at line 1, column 9", 9 },
        { "(roas_7d > 1", "syntax_error", "parenthesis is not closed", 0 },
        { "roas_7d > 1 and", "syntax_error", "column 13", 13 },
        { "roas_7d +* 2 > 1", "syntax_error", "Two operators in a row", 9 },
        { "roas_7dd > 2", "unknown_variable", "Did you mean roas_7d?", 1 },
        { "spend_7d > 2 * dayly_budget", "unknown_variable", "Did you mean daily_budget?", 16 },
        { "frequncy_7d > 3", "unknown_variable", "Did you mean frequency_7d?", 1 },
        { "pct_chnge(roas_7d, roas_3d) < 0", "unknown_function", "Did you mean pct_change?", 1 },
        { "roas_7d(3) > 1", "unknown_function", "is a variable, not a function", 1 },
        { "between(roas_7d, 1) ", "wrong_argument_count", "between takes 3 arguments", 1 },
        { "status > 2", "type_mismatch", "status is text", 0 },
        { "status == 'ACTVE'", "unknown_value", "Did you mean 'ACTIVE'?", 0 },
        { "roas_7d and spend_7d > 1", "type_mismatch", "\"and\" joins conditions", 0 },
        { "not roas_7d > 1", "type_mismatch", "not (a > b)", 0 },
        { "if(roas_7d, 1, 2) > 1", "type_mismatch", "must be true or false", 0 },
        { "if(in_learning, 1, true)", "type_mismatch", "must be of one type", 0 },
        { "round(roas_7d, 2.5) > 1", "invalid_argument", "whole number from 0 to 10", 1 },
        { "roas_7d & 1 > 0", "unsupported_operator", "Use \"and\"", 0 },
        { "roas_7d in (1, 2)", "unsupported_operator", "in is not supported", 0 },
        { "roas_7d + spend_7d", "not_a_condition", "gives a number", 0 },
        { "roas_7d > null", "unknown_variable", "is_null", 11 },
        { "", "empty_expression", "Write a condition", 0 },
        { "   ", "empty_expression", "Write a condition", 0 },
    };
}
