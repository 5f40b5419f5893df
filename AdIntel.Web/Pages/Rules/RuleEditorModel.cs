using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Rules.Definitions;
using AdIntel.Web.Rules.Execution;
using AdIntel.Web.Rules.Expressions;
using AdIntel.Web.Rules.Snapshots;
using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AdIntel.Web.Pages.Rules;

/// <summary>
/// What the new-rule and edit-rule pages share: the form, validation shown next to the fields, the catalogue beside
/// the expression, and the live preview (which entities match now) as the expression is typed.
/// </summary>
public abstract class RuleEditorModel(RuleExpressionCompiler compiler, RuleCommands commands, RuleDryRun dryRun) : PageModel
{
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
        var check = compiler.CheckCondition(definition.Expression);
        if (string.IsNullOrWhiteSpace(definition.Expression))
        {
            PreviewProblem = "Type a condition to see which entities match it now.";
        }
        else if (!check.IsValid)
        {
            Validation = new RuleValidation(new Dictionary<string, string>(), check);
        }
        else if ((definition.Filter ?? new RuleFilter()).Problem(RuleScopes.TryParse(definition.Scope, out var scope) ? scope : RuleScope.Ad) is { } filterProblem)
        {
            PreviewProblem = filterProblem;
        }
        else
        {
            try
            {
                Preview = await dryRun.RunAsync(commands.Prepare(definition), cancellationToken);
            }
            catch (RuleExpressionException ex)
            {
                Validation = new RuleValidation(new Dictionary<string, string>(), new RuleExpressionCheck { Source = definition.Expression!, Errors = ex.Errors });
            }
        }
        Response.Htmx(h => h.WithVary());
        return Partial("_Preview", this);
    }

    /// <summary>The field's problem from the last validation, if any.</summary>
    public string? FieldError(string field) => Validation?.Fields.GetValueOrDefault(field);

    protected IActionResult Invalid(RuleValidation validation)
    {
        Validation = validation;
        Form.Padded();
        return Page();
    }
}
