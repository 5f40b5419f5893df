using AdIntel.Web.Infrastructure.Api;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Rules.Actions;
using AdIntel.Web.Rules.Definitions;
using AdIntel.Web.Rules.Snapshots;

namespace AdIntel.Web.Pages.Campaigns;

/// <summary>
/// <c>PATCH /api/campaigns/{id}</c>, <c>/api/adsets/{id}</c>, <c>/api/ads/{id}</c>: a person pauses, enables or changes a
/// daily budget (marketers and owners), through the same executor as rule actions: applied on the ad platform, recorded
/// with its values before and after, audited, and undone with <c>POST /api/actions/{actionId}/undo</c>. A budget beyond
/// the daily budget rail answers 409 <c>confirmation_required</c> until the body says <c>"confirm": true</c>.
/// </summary>
public static class ManualChangeEndpoints
{
    public static RouteGroupBuilder MapManualChangeEndpoints(this RouteGroupBuilder api)
    {
        api.MapPatch("/campaigns/{id:long}", async (long id, ManualChange? body, HttpContext http, ActionExecutor executor, CampaignAutomationSettings automation,
            CancellationToken cancellationToken) => body?.Automation is null
                ? await ChangeAsync(RuleScope.Campaign, id, body, http, executor, cancellationToken)
                : await SetAutomationAsync(id, body, http, automation, cancellationToken)).RequireAuthorization(Policies.Marketer);
        api.MapPatch("/adsets/{id:long}", (long id, ManualChange? body, HttpContext http, ActionExecutor executor, CancellationToken cancellationToken) =>
            ChangeAsync(RuleScope.AdSet, id, body, http, executor, cancellationToken)).RequireAuthorization(Policies.Marketer);
        api.MapPatch("/ads/{id:long}", (long id, ManualChange? body, HttpContext http, ActionExecutor executor, CancellationToken cancellationToken) =>
            ChangeAsync(RuleScope.Ad, id, body, http, executor, cancellationToken)).RequireAuthorization(Policies.Marketer);
        return api;
    }

    /// <summary>What a change did: the action (its id undoes it) and the entity before and after.</summary>
    public sealed record ChangeView(long? ActionId, string Scope, long EntityId, string Message, EntityValues? Before, EntityValues? After, string? Undo);

    public sealed record EntityValues(string? Status, decimal? DailyBudget);

    private static async Task<IResult> SetAutomationAsync(long id, ManualChange body, HttpContext http, CampaignAutomationSettings automation,
        CancellationToken cancellationToken)
    {
        if (body.Status is not null || body.DailyBudget is not null || body.BudgetChangePercent is not null)
        {
            return ApiResults.BadRequest("Send the automation setting on its own, apart from status and budget changes.");
        }
        var setting = body.Automation!.Trim().ToLowerInvariant();
        if (!CampaignAutomation.IsValid(setting))
        {
            return ApiResults.Unprocessable("invalid_change", CampaignAutomationSettings.Problem);
        }
        return await automation.SetAsync(id, setting, http.User.GetActor(), cancellationToken)
            ? ApiResults.Ok(new { campaignId = id, automation = setting })
            : ApiResults.NotFound("The campaign");
    }

    private static async Task<IResult> ChangeAsync(RuleScope scope, long id, ManualChange? body, HttpContext http, ActionExecutor executor,
        CancellationToken cancellationToken)
    {
        if (!await executor.EntityExistsAsync(scope, id, cancellationToken))
        {
            return ApiResults.NotFound($"The {scope.ToApiName().Replace('_', ' ')}");
        }
        if (body is null)
        {
            return ApiResults.BadRequest("Send a JSON body with one change: {\"status\": \"paused\"}, {\"dailyBudget\": 50} or {\"budgetChangePercent\": -50}.");
        }
        var (action, problem) = body.ToAction();
        if (problem is not null)
        {
            return ApiResults.Unprocessable("invalid_change", problem);
        }
        var result = await executor.ChangeByPersonAsync(scope, id, action!, http.User.GetActor(), body.Confirm == true, cancellationToken);
        var name = scope.ToApiName();
        return result.Status switch
        {
            StatusCodes.Status404NotFound => ApiResults.NotFound($"The {name.Replace('_', ' ')}"),
            StatusCodes.Status428PreconditionRequired => ApiResults.Error(StatusCodes.Status409Conflict, "confirmation_required", result.Message,
                new { confirm = "Send the same change with \"confirm\": true to apply it." }),
            _ when result.Ok => ApiResults.Ok(new ChangeView(result.Record!.Id, name, id, result.Message,
                new EntityValues(result.Record.StatusBefore, result.Record.BudgetBefore), new EntityValues(result.Record.StatusAfter, result.Record.BudgetAfter),
                $"/api/actions/{result.Record.Id}/undo")),
            StatusCodes.Status200OK => ApiResults.Ok(new ChangeView(null, name, id, result.Message, null, null, null)),
            _ => ApiResults.Error(StatusCodes.Status409Conflict, "change_refused", result.Message,
                result.Record is { } r ? new { actionId = r.Id, status = r.Status } : null),
        };
    }
}
