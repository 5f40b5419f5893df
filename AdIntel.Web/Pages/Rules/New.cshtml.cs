using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Rules.Execution;
using AdIntel.Web.Rules.Expressions;
using AdIntel.Web.Rules.Plugins;
using AdIntel.Web.Rules.Scripting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;

namespace AdIntel.Web.Pages.Rules;

[Authorize(Policy = Policies.Marketer)]
public sealed class NewModel(RuleExpressionCompiler compiler, RuleCommands commands, RuleDryRun dryRun, PluginCatalog plugins,
    CSharpRuleScriptCompiler scripts) : RuleEditorModel(compiler, commands, dryRun, plugins, scripts)
{
    private readonly RuleCommands _commands = commands;

    public void OnGet() => Form.Padded();

    public Task<IActionResult> OnPostPreviewAsync(CancellationToken cancellationToken) => PreviewAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var result = await _commands.CreateAsync(Form.ToDefinition(), cancellationToken);
        if (result.Rule is not { } rule)
        {
            return Refused(result);
        }
        Flash = $"Saved “{rule.Name}”.";
        return RedirectToPage("Edit", new { id = rule.Id });
    }
}
