using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Rules.Actions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Pages.Rules;

/// <summary>The approval queue (approve / reject) and the history of executed actions (undo).</summary>
[Authorize(Policy = Policies.Viewer)]
public sealed class ApprovalsModel(AdIntelDbContext db, ActionExecutor executor) : PageModel
{
    public IReadOnlyList<ActionView> Pending { get; private set; } = [];
    public IReadOnlyList<ActionView> History { get; private set; } = [];
    public bool CanEdit => User.GetStoreRole() >= StoreRole.Marketer;

    [TempData]
    public string? Flash { get; set; }

    [TempData]
    public string? Problem { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var pending = await db.ActionRecords.AsNoTracking().Where(a => a.Status == ActionStatuses.PendingApproval)
            .OrderByDescending(a => a.CreatedAtUtc).ThenByDescending(a => a.Id).Take(200).ToListAsync(cancellationToken);
        var history = await db.ActionRecords.AsNoTracking().Where(a => a.Status != ActionStatuses.PendingApproval)
            .OrderByDescending(a => a.Id).Take(100).ToListAsync(cancellationToken);
        var ruleIds = pending.Concat(history).Where(a => a.RuleId is not null).Select(a => a.RuleId!.Value).Distinct().ToList();
        var names = await db.Rules.AsNoTracking().Where(r => ruleIds.Contains(r.Id)).ToDictionaryAsync(r => r.Id, r => r.Name, cancellationToken);
        Pending = [.. pending.Select(a => ActionView.From(a, a.RuleId is { } id ? names.GetValueOrDefault(id) : null))];
        History = [.. history.Select(a => ActionView.From(a, a.RuleId is { } id ? names.GetValueOrDefault(id) : null))];
    }

    public Task<IActionResult> OnPostApproveAsync(long id, CancellationToken cancellationToken) =>
        CommandAsync(() => executor.ApproveAsync(id, User.GetActor(), cancellationToken), "Approved and executed");

    public Task<IActionResult> OnPostRejectAsync(long id, CancellationToken cancellationToken) =>
        CommandAsync(() => executor.RejectAsync(id, User.GetActor(), cancellationToken), "Rejected");

    public Task<IActionResult> OnPostUndoAsync(long id, CancellationToken cancellationToken) =>
        CommandAsync(() => executor.UndoAsync(id, User.GetActor(), cancellationToken), "Undone");

    private async Task<IActionResult> CommandAsync(Func<Task<ActionCommandResult>> command, string done)
    {
        if (!CanEdit)
        {
            return Forbid();
        }
        var result = await command();
        if (result.Status == StatusCodes.Status404NotFound)
        {
            return NotFound();
        }
        if (result.Ok)
        {
            Flash = $"{done}: {ActionExecutor.Describe(result.Record!)}.";
        }
        else
        {
            Problem = result.Message;
        }
        return RedirectToPage();
    }
}
