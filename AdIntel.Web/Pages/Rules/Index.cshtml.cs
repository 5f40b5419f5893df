using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Rules.Actions;
using AdIntel.Web.Rules.Definitions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Pages.Rules;

/// <summary>The rules list (switch on/off, last triggered), the approval queue's size, and the preset gallery.</summary>
[Authorize(Policy = Policies.Viewer)]
public sealed class IndexModel(AdIntelDbContext db, RuleCommands commands) : PageModel
{
    public IReadOnlyList<Rule> Rules { get; private set; } = [];
    public int PendingApprovals { get; private set; }
    public RailSettings Automation { get; private set; } = new();
    public bool CanEdit => User.GetStoreRole() >= StoreRole.Marketer;

    [TempData]
    public string? Flash { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Rules = await db.Rules.AsNoTracking().OrderBy(r => r.Name).ThenBy(r => r.Id).ToListAsync(cancellationToken);
        PendingApprovals = await db.ActionRecords.CountAsync(a => a.Status == ActionStatuses.PendingApproval, cancellationToken);
        Automation = RailSettings.From(await db.StoreSettings.AsNoTracking().FirstOrDefaultAsync(cancellationToken) ?? new StoreSettings());
    }

    public async Task<IActionResult> OnPostToggleAsync(long id, bool active, CancellationToken cancellationToken)
    {
        if (!CanEdit)
        {
            return Forbid();
        }
        var rule = await commands.SetActiveAsync(id, active, cancellationToken);
        if (rule is null)
        {
            return NotFound();
        }
        Flash = $"“{rule.Name}” is {(rule.Active ? "on" : "off")}.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostUsePresetAsync(string key, CancellationToken cancellationToken)
    {
        if (!CanEdit)
        {
            return Forbid();
        }
        var result = await commands.CreateFromPresetAsync(key, cancellationToken);
        if (result?.Rule is not { } rule)
        {
            return NotFound();
        }
        TempData["Flash"] = $"Created “{rule.Name}” from the preset. It only suggests until you raise its automation mode.";
        return RedirectToPage("Edit", new { id = rule.Id });
    }

    public static string Describe(Rule rule) => RuleJson.Schedule(rule).Describe();
}
