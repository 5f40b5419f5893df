using AdIntel.Web.Alerts;
using AdIntel.Web.Infrastructure.Api;
using AdIntel.Web.Infrastructure.Auth;

namespace AdIntel.Web.Pages.Alerts;

/// <summary>
/// The alerts API: the filtered list with cursor paging, a person's change of one alert (status, snooze until), bulk
/// dismissal and the summary counts. Reading needs any member; changing a marketer or the owner.
/// </summary>
public static class AlertsEndpoints
{
    /// <summary>Most alerts one bulk dismissal takes.</summary>
    public const int MaxBulk = 500;

    public static RouteGroupBuilder MapAlertsEndpoints(this RouteGroupBuilder api)
    {
        var alerts = api.MapGroup("/alerts");
        alerts.MapGet("", ListAsync).RequireAuthorization(Policies.Viewer);
        alerts.MapGet("/stats/summary", SummaryAsync).RequireAuthorization(Policies.Viewer);
        alerts.MapPatch("/{id:long}", PatchAsync).RequireAuthorization(Policies.Marketer);
        alerts.MapPost("/dismiss", DismissAsync).RequireAuthorization(Policies.Marketer);
        return api;
    }

    public sealed record AlertPatch(string? Status, DateTimeOffset? SnoozeUntil);

    public sealed record DismissRequest(IReadOnlyList<long>? Ids);

    public sealed record DismissResult(IReadOnlyList<long> Dismissed, IReadOnlyList<long> Skipped);

    private static async Task<IResult> ListAsync(HttpRequest request, AlertQuery query, CancellationToken cancellationToken)
    {
        var (filter, problems) = AlertFilter.Parse(request.Query);
        if (problems.Count > 0)
        {
            return ApiResults.BadRequest(string.Join(" ", problems.Values), new { parameters = problems });
        }
        var page = await query.ListAsync(filter, cancellationToken);
        return ApiResults.List([.. page.Alerts.Select(AlertView.From)], page.Next);
    }

    private static async Task<IResult> SummaryAsync(AlertQuery query, CancellationToken cancellationToken) =>
        ApiResults.Ok(await query.SummaryAsync(cancellationToken));

    private static async Task<IResult> PatchAsync(long id, AlertPatch? body, HttpContext http, AlertWriter writer, CancellationToken cancellationToken)
    {
        if (body is null)
        {
            return ApiResults.BadRequest($"Send a JSON body with status ({string.Join(", ", AlertWriter.PersonStatuses)}) and, to snooze, snoozeUntil: " +
                "{\"status\": \"snoozed\", \"snoozeUntil\": \"2026-12-08T09:00:00Z\"}.");
        }
        var result = await writer.ChangeStatusAsync(id, (body.Status ?? "").Trim().ToLowerInvariant(), body.SnoozeUntil?.UtcDateTime, http.User.GetActor(), cancellationToken);
        return result.Ok ? ApiResults.Ok(AlertView.From(result.Alert!)) : ApiResults.Error(result.Status, result.Code!, result.Message!, result.Details);
    }

    private static async Task<IResult> DismissAsync(DismissRequest? body, HttpContext http, AlertWriter writer, CancellationToken cancellationToken)
    {
        if (body?.Ids is not { Count: > 0 } ids)
        {
            return ApiResults.BadRequest("Send a JSON body with the ids to dismiss: {\"ids\": [1, 2, 3]}.");
        }
        if (ids.Count > MaxBulk)
        {
            return ApiResults.BadRequest($"Dismiss at most {MaxBulk} alerts at once.", new { count = ids.Count });
        }
        var dismissed = await writer.DismissAsync([.. ids.Distinct()], http.User.GetActor(), cancellationToken);
        var dismissedIds = dismissed.Select(a => a.Id).ToList();
        return ApiResults.Ok(new DismissResult(dismissedIds, [.. ids.Distinct().Except(dismissedIds)]));
    }
}
