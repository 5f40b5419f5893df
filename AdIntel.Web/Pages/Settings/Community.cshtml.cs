using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AdIntel.Web.Pages.Settings;

/// <summary>Whether the store takes part in the pooled benchmarks of this installation (owners change it; everyone sees it).</summary>
[Authorize(Policy = Policies.Viewer)]
public sealed class CommunityModel(StoreCommunitySettings community) : PageModel
{
    [BindProperty]
    public bool Share { get; set; }

    public bool Saved { get; private set; }
    public bool CanEdit => User.GetStoreRole() == StoreRole.Owner;

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        Share = (await community.GetAsync(cancellationToken)).Benchmarks == true;

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!CanEdit)
        {
            return Forbid();
        }
        await community.SaveAsync(Share, cancellationToken);
        Saved = true;
        return Page();
    }
}
