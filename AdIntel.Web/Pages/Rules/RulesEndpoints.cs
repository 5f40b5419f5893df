using System.Globalization;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Api;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Rules.Actions;
using AdIntel.Web.Rules.Definitions;
using AdIntel.Web.Rules.Execution;
using AdIntel.Web.Rules.Expressions;
using AdIntel.Web.Rules.Scripting;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Pages.Rules;

/// <summary>
/// The rules API: CRUD, dry run, preview, backtest, run now, presets, the variable catalogue, run logs,
/// approvals, action history and undo, and the store's automation settings. Reading needs any member; writing,
/// running and approving need a marketer or the owner; writing, previewing or running a C# script rule needs the
/// installation's administrator in a browser session.
/// </summary>
public static class RulesEndpoints
{
    private const int PageSize = 50;

    public static RouteGroupBuilder MapRulesEndpoints(this RouteGroupBuilder api)
    {
        var rules = api.MapGroup("/rules");
        rules.MapGet("", ListAsync).RequireAuthorization(Policies.Viewer);
        rules.MapPost("", CreateAsync).RequireAuthorization(Policies.Marketer);
        rules.MapGet("/{id:long}", GetAsync).RequireAuthorization(Policies.Viewer);
        rules.MapPut("/{id:long}", UpdateAsync).RequireAuthorization(Policies.Marketer);
        rules.MapDelete("/{id:long}", DeleteAsync).RequireAuthorization(Policies.Marketer);
        rules.MapPost("/{id:long}/test", TestAsync).RequireAuthorization(Policies.Marketer);
        rules.MapPost("/preview", PreviewAsync).RequireAuthorization(Policies.Marketer);
        rules.MapPost("/{id:long}/backtest", BacktestAsync).RequireAuthorization(Policies.Marketer);
        rules.MapPost("/{id:long}/run", RunAsync).RequireAuthorization(Policies.Marketer);
        rules.MapGet("/{id:long}/executions", ExecutionsAsync).RequireAuthorization(Policies.Viewer);
        rules.MapGet("/executions/{executionId:long}", ExecutionAsync).RequireAuthorization(Policies.Viewer);
        rules.MapGet("/presets/list", Presets).RequireAuthorization(Policies.Viewer);
        rules.MapPost("/presets/{key}", CreateFromPresetAsync).RequireAuthorization(Policies.Marketer);
        rules.MapGet("/catalogue", Catalogue).RequireAuthorization(Policies.Viewer);

        api.MapGet("/approvals", ApprovalsAsync).RequireAuthorization(Policies.Viewer);
        api.MapPost("/approvals/{id:long}/approve", ApproveAsync).RequireAuthorization(Policies.Marketer);
        api.MapPost("/approvals/{id:long}/reject", RejectAsync).RequireAuthorization(Policies.Marketer);
        api.MapGet("/actions", ActionsAsync).RequireAuthorization(Policies.Viewer);
        api.MapGet("/actions/{id:long}", ActionAsync).RequireAuthorization(Policies.Viewer);
        api.MapPost("/actions/{id:long}/undo", UndoAsync).RequireAuthorization(Policies.Marketer);

        api.MapGet("/settings/automation", GetAutomationAsync).RequireAuthorization(Policies.Viewer);
        api.MapPut("/settings/automation", PutAutomationAsync).RequireAuthorization(Policies.Marketer);
        return api;
    }

    /// <summary>422 naming the problem: the expression's errors (position, suggestion) and the other fields' problems.</summary>
    public static IResult Invalid(RuleValidation validation) =>
        !validation.Expression.IsValid
            ? ApiResults.Unprocessable(RuleExpressionException.ApiErrorCode, validation.Message,
                new { errors = validation.Expression.Errors, fields = validation.Fields })
        : validation.ScriptErrors.Count > 0
            ? ApiResults.Unprocessable("invalid_script", validation.Message, new { errors = validation.ScriptErrors, fields = validation.Fields })
            : ApiResults.Unprocessable("invalid_rule", validation.Message, new { fields = validation.Fields });

    /// <summary>The answer to a refused save: 403 when it is not this person's to write, else 422 naming the problem.</summary>
    private static IResult Refused(RuleSaveResult result) =>
        result.Forbidden is { } forbidden ? Forbidden(forbidden) : Invalid(result.Invalid!);

    private static IResult Forbidden(string reason) => ApiResults.Error(StatusCodes.Status403Forbidden, "forbidden", reason);

    /// <summary>A saved rule that cannot run as it stands (expression, plugin or script): 422 with the reason.</summary>
    private static IResult NotRunnable(Exception ex) => ex is RuleExpressionException expression
        ? expression.ToApiResult()
        : ApiResults.Unprocessable("rule_not_runnable", ex.Message);

    private static IResult MissingBody() =>
        ApiResults.BadRequest("Send the rule as JSON: name, scope, expression, actions, and optionally description, filter, riskLevel, automationMode, schedule, active.");

    private static async Task<IResult> ListAsync(AdIntelDbContext db, CancellationToken cancellationToken)
    {
        var rules = await db.Rules.AsNoTracking().OrderBy(r => r.Name).ThenBy(r => r.Id).ToListAsync(cancellationToken);
        return ApiResults.List(rules.Select(RuleView.From).ToList());
    }

    private static async Task<IResult> GetAsync(long id, AdIntelDbContext db, CancellationToken cancellationToken) =>
        await db.Rules.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken) is { } rule
            ? ApiResults.Ok(RuleView.From(rule))
            : ApiResults.NotFound("Rule");

    private static async Task<IResult> CreateAsync(RuleDefinition? body, RuleCommands commands, CancellationToken cancellationToken)
    {
        if (body is null)
        {
            return MissingBody();
        }
        var result = await commands.CreateAsync(body, cancellationToken);
        return result.Rule is { } rule
            ? Results.Json(new ApiResults.DataEnvelope<RuleView>(RuleView.From(rule)), statusCode: StatusCodes.Status201Created)
            : Refused(result);
    }

    private static async Task<IResult> UpdateAsync(long id, RuleDefinition? body, RuleCommands commands, CancellationToken cancellationToken)
    {
        if (body is null)
        {
            return MissingBody();
        }
        return await commands.UpdateAsync(id, body, cancellationToken) switch
        {
            null => ApiResults.NotFound("Rule"),
            { Rule: { } rule } => ApiResults.Ok(RuleView.From(rule)),
            var refused => Refused(refused),
        };
    }

    private static async Task<IResult> DeleteAsync(long id, RuleCommands commands, CancellationToken cancellationToken) =>
        await commands.DeleteAsync(id, cancellationToken) ? Results.NoContent() : ApiResults.NotFound("Rule");

    private static async Task<IResult> TestAsync(long id, AdIntelDbContext db, RuleCommands commands, RuleDryRun dryRun, CancellationToken cancellationToken)
    {
        if (await db.Rules.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken) is not { } rule)
        {
            return ApiResults.NotFound("Rule");
        }
        if (commands.ScriptRunForbidden(rule) is { } forbidden)
        {
            return Forbidden(forbidden);
        }
        try
        {
            return ApiResults.Ok(await dryRun.RunAsync(commands.Prepare(rule), cancellationToken));
        }
        catch (Exception ex) when (ex is RuleExpressionException or RulePreparationException or RuleScriptException)
        {
            return NotRunnable(ex);
        }
    }

    private static async Task<IResult> PreviewAsync(RuleDefinition? body, RuleCommands commands, RuleDryRun dryRun, CancellationToken cancellationToken)
    {
        if (body is null)
        {
            return MissingBody();
        }
        // Compiling and running a script runs code with the server's rights: the installation's administrator's only.
        if (commands.ScriptForbidden(body) is { } forbidden)
        {
            return Forbidden(forbidden);
        }
        // A preview needs a scope and an expression; name and actions can wait until the rule is saved.
        var validation = commands.Validate(body with { Name = body.Name ?? "preview", Actions = body.Actions is { Count: > 0 } ? body.Actions : [new RuleActionSpec { Type = "notify" }] });
        if (!validation.IsValid)
        {
            return Invalid(validation);
        }
        try
        {
            using var prepared = commands.Prepare(body);
            return ApiResults.Ok(await dryRun.RunAsync(prepared, cancellationToken));
        }
        catch (RuleScriptException ex)
        {
            return NotRunnable(ex);
        }
    }

    public sealed record BacktestRequest(int? Days);

    private static async Task<IResult> BacktestAsync(long id, BacktestRequest? body, AdIntelDbContext db, RuleCommands commands, RuleBacktester backtester,
        CancellationToken cancellationToken)
    {
        if (await db.Rules.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken) is not { } rule)
        {
            return ApiResults.NotFound("Rule");
        }
        if (commands.ScriptRunForbidden(rule) is { } forbidden)
        {
            return Forbidden(forbidden);
        }
        var days = body?.Days ?? 30;
        if (days is < 1 or > RuleBacktester.MaxDays)
        {
            return ApiResults.Unprocessable("invalid_days", $"days must be between 1 and {RuleBacktester.MaxDays}.", new { days });
        }
        try
        {
            return ApiResults.Ok(await backtester.RunAsync(rule, commands.Prepare(rule), RuleJson.Actions(rule), days, cancellationToken));
        }
        catch (Exception ex) when (ex is RuleExpressionException or RulePreparationException or RuleScriptException)
        {
            return NotRunnable(ex);
        }
    }

    private static async Task<IResult> RunAsync(long id, AdIntelDbContext db, RuleCommands commands, CancellationToken cancellationToken)
    {
        if (await db.Rules.SingleOrDefaultAsync(r => r.Id == id, cancellationToken) is not { } rule)
        {
            return ApiResults.NotFound("Rule");
        }
        if (commands.ScriptRunForbidden(rule) is { } forbidden)
        {
            return Forbidden(forbidden);
        }
        var execution = await commands.RunNowAsync(rule, cancellationToken);
        return ApiResults.Ok(ExecutionView.From(execution, withEntities: true));
    }

    private static async Task<IResult> ExecutionsAsync(long id, string? cursor, AdIntelDbContext db, CancellationToken cancellationToken)
    {
        if (!await db.Rules.AnyAsync(r => r.Id == id, cancellationToken))
        {
            return ApiResults.NotFound("Rule");
        }
        var query = db.RuleExecutions.AsNoTracking().Where(e => e.RuleId == id);
        if (long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var before))
        {
            query = query.Where(e => e.Id < before);
        }
        var page = await query.OrderByDescending(e => e.Id).Take(PageSize + 1).ToListAsync(cancellationToken);
        var next = page.Count > PageSize ? page[PageSize - 1].Id.ToString(CultureInfo.InvariantCulture) : null;
        return ApiResults.List(page.Take(PageSize).Select(e => ExecutionView.From(e, withEntities: false)).ToList(), next);
    }

    private static async Task<IResult> ExecutionAsync(long executionId, AdIntelDbContext db, CancellationToken cancellationToken) =>
        await db.RuleExecutions.AsNoTracking().SingleOrDefaultAsync(e => e.Id == executionId, cancellationToken) is { } execution
            ? ApiResults.Ok(ExecutionView.From(execution, withEntities: true))
            : ApiResults.NotFound("Execution");

    private static IResult Presets() =>
        ApiResults.List(RulePresets.All.Select(p => new { key = p.Key, category = p.Category, why = p.Why, rule = p.Rule }).ToList());

    private static async Task<IResult> CreateFromPresetAsync(string key, RuleCommands commands, CancellationToken cancellationToken) =>
        await commands.CreateFromPresetAsync(key, cancellationToken) switch
        {
            null => ApiResults.NotFound("Preset"),
            { Rule: { } rule } => Results.Json(new ApiResults.DataEnvelope<RuleView>(RuleView.From(rule)), statusCode: StatusCodes.Status201Created),
            var refused => Refused(refused),
        };

    /// <summary>Every variable and function with its definition: what the editor's autocomplete and help show.</summary>
    private static IResult Catalogue(RuleExpressionCompiler compiler) => ApiResults.Ok(RuleCatalogue.Build(compiler));

    private static async Task<IResult> ApprovalsAsync(string? status, AdIntelDbContext db, CancellationToken cancellationToken)
    {
        var wanted = string.IsNullOrWhiteSpace(status) ? ActionStatuses.PendingApproval : status;
        var actions = await db.ActionRecords.AsNoTracking().Where(a => a.Status == wanted)
            .OrderByDescending(a => a.CreatedAtUtc).ThenByDescending(a => a.Id).Take(200).ToListAsync(cancellationToken);
        return ApiResults.List(await ViewsAsync(db, actions, cancellationToken));
    }

    private static async Task<IResult> ActionsAsync(string? status, long? ruleId, string? cursor, AdIntelDbContext db, CancellationToken cancellationToken)
    {
        var query = db.ActionRecords.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(status))
        {
            query = query.Where(a => a.Status == status);
        }
        if (ruleId is { } rule)
        {
            query = query.Where(a => a.RuleId == rule);
        }
        if (long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var before))
        {
            query = query.Where(a => a.Id < before);
        }
        var page = await query.OrderByDescending(a => a.Id).Take(PageSize + 1).ToListAsync(cancellationToken);
        var next = page.Count > PageSize ? page[PageSize - 1].Id.ToString(CultureInfo.InvariantCulture) : null;
        return ApiResults.List(await ViewsAsync(db, [.. page.Take(PageSize)], cancellationToken), next);
    }

    private static async Task<IResult> ActionAsync(long id, AdIntelDbContext db, CancellationToken cancellationToken) =>
        await db.ActionRecords.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, cancellationToken) is { } action
            ? ApiResults.Ok((await ViewsAsync(db, [action], cancellationToken))[0])
            : ApiResults.NotFound("Action");

    private static Task<IResult> ApproveAsync(long id, HttpContext http, ActionExecutor executor, AdIntelDbContext db, CancellationToken cancellationToken) =>
        CommandAsync(executor.ApproveAsync(id, http.User.GetActor(), cancellationToken), db, cancellationToken);

    private static Task<IResult> RejectAsync(long id, HttpContext http, ActionExecutor executor, AdIntelDbContext db, CancellationToken cancellationToken) =>
        CommandAsync(executor.RejectAsync(id, http.User.GetActor(), cancellationToken), db, cancellationToken);

    private static Task<IResult> UndoAsync(long id, HttpContext http, ActionExecutor executor, AdIntelDbContext db, CancellationToken cancellationToken) =>
        CommandAsync(executor.UndoAsync(id, http.User.GetActor(), cancellationToken), db, cancellationToken);

    private static async Task<IResult> CommandAsync(Task<ActionCommandResult> command, AdIntelDbContext db, CancellationToken cancellationToken)
    {
        var result = await command;
        if (result.Status == StatusCodes.Status404NotFound)
        {
            return ApiResults.NotFound("Action");
        }
        if (!result.Ok)
        {
            return ApiResults.Error(StatusCodes.Status409Conflict, "action_conflict", result.Message,
                result.Record is { } r ? new { actionId = r.Id, status = r.Status } : null);
        }
        return ApiResults.Ok((await ViewsAsync(db, [result.Record!], cancellationToken))[0]);
    }

    private static async Task<IReadOnlyList<ActionView>> ViewsAsync(AdIntelDbContext db, IReadOnlyList<Domain.ActionRecord> actions, CancellationToken cancellationToken)
    {
        var ruleIds = actions.Where(a => a.RuleId is not null).Select(a => a.RuleId!.Value).Distinct().ToList();
        var names = await db.Rules.AsNoTracking().Where(r => ruleIds.Contains(r.Id)).ToDictionaryAsync(r => r.Id, r => r.Name, cancellationToken);
        return [.. actions.Select(a => ActionView.From(a, a.RuleId is { } id ? names.GetValueOrDefault(id) : null))];
    }

    private static async Task<IResult> GetAutomationAsync(AutomationSettings automation, ActionExecutor executor, CancellationToken cancellationToken) =>
        ApiResults.Ok(await ReadAutomationAsync(automation, executor, cancellationToken));

    /// <summary>The data of <c>GET /api/settings/automation</c> (also the automation section of <c>GET /api/settings</c>): the settings and the tracking breaker's state.</summary>
    public static async Task<object> ReadAutomationAsync(AutomationSettings automation, ActionExecutor executor, CancellationToken cancellationToken)
    {
        var settings = await automation.GetAsync(cancellationToken);
        var session = await executor.BeginAsync(cancellationToken);
        return new { settings = AutomationSettingsDto.From(settings), tracking = new { broken = session.Tracking.Broken, explanation = session.Tracking.Explanation } };
    }

    private static async Task<IResult> PutAutomationAsync(AutomationSettingsDto? body, AutomationSettings automation, CancellationToken cancellationToken)
    {
        if (body is null)
        {
            return ApiResults.BadRequest("Send the automation settings as JSON (see GET /api/settings/automation).");
        }
        var problems = await automation.SaveAsync(body.ToRails(), cancellationToken);
        return problems.Count > 0
            ? ApiResults.Unprocessable("invalid_settings", "Some automation settings are out of range.", problems)
            : ApiResults.Ok(AutomationSettingsDto.From(await automation.GetAsync(cancellationToken)));
    }
}
