using AdIntel.Web.Brain.Llm.Ask;
using AdIntel.Web.Infrastructure.Api;
using AdIntel.Web.Infrastructure.Auth;

namespace AdIntel.Web.Pages.Ask;

/// <summary><c>POST /api/ask</c>: a question about the store, answered by the LLM with the product's read-only queries; 404 without an LLM.</summary>
public static class AskEndpoints
{
    public static RouteGroupBuilder MapAskEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/ask", AskAsync).RequireAuthorization(Policies.Viewer);
        return api;
    }

    private static async Task<IResult> AskAsync(AskRequest? request, AskAdIntel ask, AskTools tools, CancellationToken cancellationToken)
    {
        if (!ask.IsAvailable)
        {
            return ApiResults.NotFound("Ask AdIntel (no LLM is configured)");
        }
        if (AskQuestion.Problem(request?.Question) is { } problem)
        {
            return ApiResults.Error(StatusCodes.Status400BadRequest, "invalid_question", problem, new { maxLength = AskAdIntel.MaxQuestionLength });
        }
        var answer = await ask.AskAsync(request!.Question!.Trim(), tools.All(), cancellationToken);
        return answer.Outcome switch
        {
            AskOutcome.BudgetExhausted => ApiResults.Error(StatusCodes.Status429TooManyRequests, "token_budget_exhausted", answer.Notice!),
            AskOutcome.Failed => ApiResults.Error(StatusCodes.Status502BadGateway, "llm_unavailable", answer.Notice!,
                new { toolCalls = answer.ToolCalls }),
            _ => ApiResults.Ok(new AskResponse(
                answer.Outcome.ToString().ToLowerInvariant(), answer.Text, answer.Notice,
                answer.ToolCalls, answer.Figures.Select(f => new AskFigureView(f.Tool, f.Name, f.Value)).ToList())),
        };
    }

    public sealed record AskRequest(string? Question);

    /// <summary><c>outcome</c>: answered, withheld (numbers no query returned) or refused; <c>answer</c> is null unless answered.</summary>
    public sealed record AskResponse(string Outcome, string? Answer, string? Notice, IReadOnlyList<AskToolCall> ToolCalls, IReadOnlyList<AskFigureView> Figures);

    public sealed record AskFigureView(string Tool, string Name, decimal Value);
}

/// <summary>What a question must be, for the page and the API alike.</summary>
public static class AskQuestion
{
    public static string? Problem(string? question) =>
        string.IsNullOrWhiteSpace(question) ? "Ask a question, e.g. \"Why did MER drop last week?\""
        : question.Trim().Length > AskAdIntel.MaxQuestionLength ? $"Keep the question under {AskAdIntel.MaxQuestionLength} characters."
        : null;
}
