using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Rules.Definitions;
using AdIntel.Web.Rules.Execution;
using AdIntel.Web.Rules.Expressions;
using AdIntel.Web.Rules.Plugins;
using AdIntel.Web.Rules.Scripting;
using AdIntel.Web.Rules.Snapshots;
using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AdIntel.Web.Pages.Rules;

/// <summary>
/// What the new-rule and edit-rule pages share: the form, validation shown next to the fields, the catalogue beside
/// the expression, and the live preview (which entities match now) as the expression is typed.
/// </summary>
public abstract class RuleEditorModel(RuleExpressionCompiler compiler, RuleCommands commands, RuleDryRun dryRun, PluginCatalog plugins,
    CSharpRuleScriptCompiler scripts) : PageModel
{
    /// <summary>The loaded rule plugins, for the kind selector and their parameter fields.</summary>
    public IReadOnlyList<LoadedPlugin> Plugins => plugins.Plugins;

    /// <summary>Whether this install runs C# scripts (Rules:CSharpScripts:Enabled).</summary>
    public bool ScriptsEnabled => scripts.IsEnabled;

    /// <summary>A script runs with the server's rights: only the installation's administrator writes one.</summary>
    public bool CanWriteScripts => ScriptsEnabled && commands.MayUseScripts;

    [BindProperty]
    public RuleForm Form { get; set; } = new RuleForm().Padded();

    public RuleValidation? Validation { get; protected set; }
    public DryRunResult? Preview { get; private set; }
    public string? PreviewProblem { get; private set; }
    public bool CanEdit => User.GetStoreRole() >= StoreRole.Marketer;
    public RuleCatalogue.Catalogue Catalogue => RuleCatalogue.Build(compiler);

    [TempData]
    public string? Flash { get; set; }

    /// <summary>Live preview: the expression's problems, or what it matches now (nothing is saved).</summary>
    protected async Task<IActionResult> PreviewAsync(CancellationToken cancellationToken)
    {
        if (!CanEdit)
        {
            return Forbid();
        }
        Form.Padded();
        var definition = Form.ToDefinition();
        if (commands.ScriptForbidden(definition) is { } forbidden)
        {
            PreviewProblem = forbidden;
        }
        else if (definition.EffectiveKind == RuleKinds.Expression && string.IsNullOrWhiteSpace(definition.Expression))
        {
            PreviewProblem = "Type a condition to see which entities match it now.";
        }
        else
        {
            // A preview needs a scope and a condition (or plugin, or script); name and actions can wait until the rule is saved.
            var validation = commands.Validate(definition with
            {
                Name = "preview",
                Actions = definition.Actions is { Count: > 0 } ? definition.Actions : [new RuleActionSpec { Type = "notify" }],
            });
            var blocking = validation.Fields.Where(f => f.Key is "scope" or "filter" or "kind" or "pluginId" or "parameters").Select(f => f.Value).FirstOrDefault();
            if (!validation.Expression.IsValid || validation.ScriptErrors.Count > 0)
            {
                Validation = validation;
            }
            else if (blocking is not null)
            {
                PreviewProblem = blocking;
            }
            else
            {
                try
                {
                    using var prepared = commands.Prepare(definition);
                    Preview = await dryRun.RunAsync(prepared, cancellationToken);
                }
                catch (RuleExpressionException ex)
                {
                    Validation = new RuleValidation(new Dictionary<string, string>(), new RuleExpressionCheck { Source = definition.Expression!, Errors = ex.Errors }, []);
                }
                catch (RuleScriptException ex)
                {
                    PreviewProblem = ex.Message;
                }
            }
        }
        Response.Htmx(h => h.WithVary());
        return Partial("_Preview", this);
    }

    /// <summary>The field's problem from the last validation, if any.</summary>
    public string? FieldError(string field) => Validation?.Fields.GetValueOrDefault(field);

    protected IActionResult Refused(RuleSaveResult result)
    {
        if (result.Forbidden is { } forbidden)
        {
            Validation = new RuleValidation(new Dictionary<string, string> { ["script"] = forbidden }, new RuleExpressionCheck { Source = "", Errors = [] }, []);
            Form.Padded();
            Response.StatusCode = StatusCodes.Status403Forbidden;
            return Page();
        }
        return Invalid(result.Invalid!);
    }

    protected IActionResult Invalid(RuleValidation validation)
    {
        Validation = validation;
        Form.Padded();
        return Page();
    }
}
