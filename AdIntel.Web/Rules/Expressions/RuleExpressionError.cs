using AdIntel.Web.Infrastructure.Api;

namespace AdIntel.Web.Rules.Expressions;

/// <summary>Why an expression was refused, for the API's 422 body and the editor's inline message.</summary>
/// <param name="Code">snake_case: see <see cref="RuleExpressionErrorCodes"/>.</param>
/// <param name="Message">A sentence a person understands.</param>
/// <param name="Position">Where in the text, when known.</param>
/// <param name="Suggestion">The name the author probably meant (unknown names only).</param>
public sealed record RuleExpressionError(string Code, string Message, SourcePosition? Position = null, string? Suggestion = null);

/// <summary>A place in an expression's text: 1-based line and column, 0-based character index, and the length of the token.</summary>
public sealed record SourcePosition(int Line, int Column, int Index, int Length);

public static class RuleExpressionErrorCodes
{
    public const string Empty = "empty_expression";
    public const string TooLong = "expression_too_long";
    public const string TooDeep = "expression_too_deeply_nested";
    public const string Syntax = "syntax_error";
    public const string UnknownVariable = "unknown_variable";
    public const string UnknownFunction = "unknown_function";
    public const string ArgumentCount = "wrong_argument_count";
    public const string InvalidArgument = "invalid_argument";
    public const string UnknownValue = "unknown_value";
    public const string UnsupportedOperator = "unsupported_operator";
    public const string TypeMismatch = "type_mismatch";
    public const string NotACondition = "not_a_condition";
}

/// <summary>Thrown when an expression that does not compile is compiled; carries every error found.</summary>
public sealed class RuleExpressionException(IReadOnlyList<RuleExpressionError> errors)
    : Exception(errors.Count > 0 ? errors[0].Message : "The expression is not valid.")
{
    /// <summary>The API's error code for an expression that does not compile (HTTP 422).</summary>
    public const string ApiErrorCode = "invalid_expression";

    public IReadOnlyList<RuleExpressionError> Errors { get; } = errors;

    /// <summary>The API's answer: 422 with <c>{"error": {"code": "invalid_expression", "message", "details": {"errors": [...]}}}</c>.</summary>
    public IResult ToApiResult() => ToApiResult(Errors);

    public static IResult ToApiResult(IReadOnlyList<RuleExpressionError> errors) =>
        ApiResults.Unprocessable(ApiErrorCode, errors.Count > 0 ? errors[0].Message : "The expression is not valid.", new { errors });
}
