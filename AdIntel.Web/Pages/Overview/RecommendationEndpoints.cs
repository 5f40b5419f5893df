using System.Text.Json.Serialization;
using AdIntel.Web.Brain.Recommendations;
using AdIntel.Web.Infrastructure.Api;
using AdIntel.Web.Infrastructure.Auth;

namespace AdIntel.Web.Pages.Overview;

/// <summary>
/// The recommendations API: the current set (open by default), recompute now, and per recommendation (by its key)
/// dismiss, snooze, restore and send its action to the approval queue. Reading needs any member; the rest a marketer.
/// </summary>
public static class RecommendationEndpoints
{
    public static RouteGroupBuilder MapRecommendationEndpoints(this RouteGroupBuilder api)
    {
        var recommendations = api.MapGroup("/overview/recommendations");
        recommendations.MapGet("", ListAsync).RequireAuthorization(Policies.Viewer);
        recommendations.MapPost("/recompute", RecomputeAsync).RequireAuthorization(Policies.Marketer);
        recommendations.MapPost("/{key}/dismiss", DismissAsync).RequireAuthorization(Policies.Marketer);
        recommendations.MapPost("/{key}/snooze", SnoozeAsync).RequireAuthorization(Policies.Marketer);
        recommendations.MapPost("/{key}/restore", RestoreAsync).RequireAuthorization(Policies.Marketer);
        recommendations.MapPost("/{key}/approval", SendToApprovalsAsync).RequireAuthorization(Policies.Marketer);
        return api;
    }

    public sealed record SnoozeRequest(int? Days);

    private static async Task<IResult> ListAsync(string? state, bool? narrate, RecommendationService service, CancellationToken cancellationToken)
    {
        var wanted = string.IsNullOrWhiteSpace(state) ? RecommendationItem.Open : state.Trim();
        if (wanted != "all" && !RecommendationItem.States.Contains(wanted))
        {
            return ApiResults.BadRequest($"Unknown state \"{state}\"; use open, dismissed, snoozed or all.", new { parameter = "state", valid = RecommendationItem.States.Append("all") });
        }
        var board = await service.GetBoardAsync(cancellationToken);
        var items = board.Items.Where(i => wanted == "all" || i.State == wanted).Select(RecommendationView.From);
        if (narrate == true)
        {
            // Only open recommendations are narrated; the others keep the engine's words.
            var narration = await service.NarrateAsync(board, cancellationToken);
            var byKey = narration.Recommendations.ToDictionary(n => n.Key, StringComparer.Ordinal);
            items = items.Select(view => byKey.TryGetValue(view.Key, out var n)
                ? view with { PlainLanguage = new RecommendationView.PlainLanguageView(n.Title, n.Reasoning, n.ByLlm, narration.Notice) }
                : view);
        }
        return ApiResults.List([.. items]);
    }

    private static async Task<IResult> RecomputeAsync(RecommendationService service, CancellationToken cancellationToken)
    {
        await service.ComputeAsync(cancellationToken);
        var board = await service.GetBoardAsync(cancellationToken);
        return ApiResults.List([.. board.Open.Select(RecommendationView.From)]);
    }

    private static async Task<IResult> DismissAsync(string key, HttpContext http, RecommendationService service, CancellationToken cancellationToken) =>
        Answer(await service.DismissAsync(key, http.User.GetActor(), cancellationToken));

    private static async Task<IResult> SnoozeAsync(string key, SnoozeRequest? body, HttpContext http, RecommendationService service,
        CancellationToken cancellationToken)
    {
        if (body?.Days is not { } days)
        {
            return ApiResults.BadRequest($"Send a JSON body with days, between 1 and {RecommendationService.MaxSnoozeDays}: {{\"days\": 7}}.");
        }
        return Answer(await service.SnoozeAsync(key, days, http.User.GetActor(), cancellationToken));
    }

    private static async Task<IResult> RestoreAsync(string key, RecommendationService service, CancellationToken cancellationToken) =>
        Answer(await service.RestoreAsync(key, cancellationToken));

    private static async Task<IResult> SendToApprovalsAsync(string key, RecommendationService service, CancellationToken cancellationToken) =>
        Answer(await service.SendToApprovalsAsync(key, cancellationToken));

    private static IResult Answer(RecommendationCommandResult result) => result.Ok
        ? ApiResults.Ok(RecommendationView.From(result.Item!))
        : ApiResults.Error(result.Status, result.Code ?? "conflict", result.Message);
}

/// <summary>
/// A recommendation as the API writes it: money to cents, ratios and shares to 4 decimals, instants in UTC.
/// <c>figures</c> are every number the title and reasoning cite, with the window each comes from.
/// </summary>
public sealed record RecommendationView(
    string Key,
    string Type,
    string Priority,
    string Title,
    string Reasoning,
    IReadOnlyList<RecommendationFigure> Figures,
    RecommendationImpact ExpectedImpact,
    decimal Confidence,
    IReadOnlyList<RecommendationEntity> Entities,
    RecommendationView.ActionView? Action,
    string State,
    DateTime? SnoozedUntil,
    RecommendationApproval? Approval,
    DateTime FirstSeenAt,
    DateTime ComputedAt)
{
    /// <summary>The proposed action: its type and values (<c>amount</c> for set_budget), the entity, and a description.</summary>
    /// <summary>
    /// With <c>?narrate=true</c>: the title and reasoning to show (the LLM's where every number passed the check,
    /// <c>byAi</c> true; else the engine's) and where the text comes from.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PlainLanguageView? PlainLanguage { get; init; }

    public sealed record PlainLanguageView(string Title, string Reasoning, bool ByAi, string Notice);

    public sealed record ActionView(string Type, string Scope, long EntityId, string ExternalId, string Name, decimal? Amount, decimal? Percent,
        string Description);

    public static RecommendationView From(RecommendationItem item)
    {
        var r = item.Recommendation;
        var impact = r.Impact;
        return new RecommendationView(r.Key, r.Type, r.Priority, r.Title, r.Reasoning,
            [.. r.Figures.Select(f => f with { Value = FigureSheet.Round(f) })],
            new RecommendationImpact(Cents(impact.Expected), Cents(impact.Low), Cents(impact.High), impact.Basis),
            Math.Round(r.Confidence, 4, MidpointRounding.AwayFromZero),
            r.Entities,
            r.Action is { } a
                ? new ActionView(a.Spec.Type, a.Scope, a.EntityId, a.EntityExternalId, a.EntityName, a.Spec.Amount, a.Spec.Percent, a.Spec.Describe())
                : null,
            item.State, item.SnoozedUntilUtc, item.Approval, item.FirstSeenAtUtc, item.ComputedAtUtc);
    }

    private static decimal Cents(decimal value) => Math.Round(value, 2, MidpointRounding.AwayFromZero);
}
