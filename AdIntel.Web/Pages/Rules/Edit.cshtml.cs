using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Htmx;
using AdIntel.Web.Rules.Definitions;
using AdIntel.Web.Rules.Execution;
using AdIntel.Web.Rules.Expressions;
using AdIntel.Web.Rules.Plugins;
using AdIntel.Web.Rules.Scripting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Pages.Rules;

/// <summary>Edit a rule, run it now, backtest it, or delete it.</summary>
[Authorize(Policy = Policies.Viewer)]
public sealed class EditModel(AdIntelDbContext db, RuleExpressionCompiler compiler, RuleCommands commands, RuleDryRun dryRun, RuleBacktester backtester,
    PluginCatalog plugins, CSharpRuleScriptCompiler scripts)
    : RuleEditorModel(compiler, commands, dryRun, plugins, scripts)
{
    private readonly RuleCommands _commands = commands;

    public Rule? Rule { get; private set; }
    public BacktestResult? Backtest { get; private set; }
    public string? BacktestProblem { get; private set; }

    [BindProperty]
    public int BacktestDays { get; set; } = 30;

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        Rule = await db.Rules.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (Rule is null)
        {
            return NotFound();
        }
        Form = RuleForm.From(RuleDefinition.From(Rule));
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(long id, CancellationToken cancellationToken)
    {
        if (!CanEdit)
        {
            return Forbid();
        }
        var result = await _commands.UpdateAsync(id, Form.ToDefinition(), cancellationToken);
        if (result is null)
        {
            return NotFound();
        }
        if (result.Rule is not { } rule)
        {
            Rule = await db.Rules.AsNoTracking().SingleAsync(r => r.Id == id, cancellationToken);
            return Refused(result);
        }
        Flash = $"Saved “{rule.Name}” (version {rule.Version}).";
        return RedirectToPage(new { id });
    }

    /// <summary>Live preview of the edited (unsaved) form, on this rule's page only.</summary>
    public async Task<IActionResult> OnPostPreviewAsync(long id, CancellationToken cancellationToken) =>
        await db.Rules.AnyAsync(r => r.Id == id, cancellationToken) ? await PreviewAsync(cancellationToken) : NotFound();

    /// <summary>Whether the signed-in person may run this rule now or backtest it (a script rule: the installation's administrator only).</summary>
    public bool CanRun => CanEdit && (Rule is null || _commands.ScriptRunForbidden(Rule) is null);

    public async Task<IActionResult> OnPostRunAsync(long id, CancellationToken cancellationToken)
    {
        if (!CanEdit)
        {
            return Forbid();
        }
        if (await db.Rules.SingleOrDefaultAsync(r => r.Id == id, cancellationToken) is not { } rule)
        {
            return NotFound();
        }
        if (_commands.ScriptRunForbidden(rule) is not null)
        {
            return Forbid();
        }
        var execution = await _commands.RunNowAsync(rule, cancellationToken);
        Flash = execution.Status == RuleExecutionStatuses.Succeeded
            ? $"Run finished: {execution.Matched} of {execution.Evaluated} matched, {execution.ActionsExecuted} executed, {execution.ActionsQueued} waiting for approval, {execution.ActionsBlocked} held back by the rails."
            : $"The run failed: {execution.Message}";
        return Redirect($"/rules/{id}/executions?run={execution.Id}");
    }

    public async Task<IActionResult> OnPostBacktestAsync(long id, CancellationToken cancellationToken)
    {
        if (!CanEdit)
        {
            return Forbid();
        }
        Rule = await db.Rules.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (Rule is null)
        {
            return NotFound();
        }
        if (!CanRun)
        {
            return Forbid();
        }
        Form = RuleForm.From(RuleDefinition.From(Rule));
        if (BacktestDays is < 1 or > RuleBacktester.MaxDays)
        {
            BacktestProblem = $"Choose between 1 and {RuleBacktester.MaxDays} days.";
        }
        else
        {
            try
            {
                Backtest = await backtester.RunAsync(Rule, _commands.Prepare(Rule), RuleJson.Actions(Rule), BacktestDays, cancellationToken);
            }
            catch (Exception ex) when (ex is RuleExpressionException or RulePreparationException or RuleScriptException)
            {
                BacktestProblem = ex.Message;
            }
        }
        return this.PageOrPartial("_Backtest", this);
    }

    public async Task<IActionResult> OnPostDeleteAsync(long id, CancellationToken cancellationToken)
    {
        if (!CanEdit)
        {
            return Forbid();
        }
        if (!await _commands.DeleteAsync(id, cancellationToken))
        {
            return NotFound();
        }
        Flash = "Rule deleted. Its past actions stay in the approvals history.";
        return RedirectToPage("Index");
    }
}
