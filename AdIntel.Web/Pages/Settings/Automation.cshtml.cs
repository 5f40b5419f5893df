using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Rules.Actions;
using AdIntel.Web.Tracking;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AdIntel.Web.Pages.Settings;

/// <summary>The store's automation mode, kill switch and safety rails (what every rule, plugin and script is held to).</summary>
[Authorize(Policy = Policies.Viewer)]
public sealed class AutomationModel(AutomationSettings automation, ActionExecutor executor) : PageModel
{
    [BindProperty]
    public AutomationSettingsDto Input { get; set; } = AutomationSettingsDto.From(new RailSettings());

    public IReadOnlyDictionary<string, string> Problems { get; private set; } = new Dictionary<string, string>();
    public TrackingStatus? Tracking { get; private set; }
    public bool Saved { get; private set; }
    public bool CanEdit => User.GetStoreRole() >= StoreRole.Marketer;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Input = AutomationSettingsDto.From(await automation.GetAsync(cancellationToken));
        Tracking = (await executor.BeginAsync(cancellationToken)).Tracking;
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!CanEdit)
        {
            return Forbid();
        }
        // Text that is no number or bool was not bound at all: saving the defaults in its place would be a silent change.
        Problems = ModelState.IsValid ? await automation.SaveAsync(Input.ToRails(), cancellationToken) : FormProblems.FromBinding(ModelState);
        Saved = Problems.Count == 0;
        Tracking = (await executor.BeginAsync(cancellationToken)).Tracking;
        return Page();
    }

    public string? Problem(string field) => Problems.GetValueOrDefault(field);
}
