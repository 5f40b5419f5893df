using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Infrastructure.Options;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Pages.Account;

/// <summary>
/// Where demo mode sends everyone when there is no demo store to act in (Demo:Enabled=false on an empty database):
/// it says how to start instead of answering every page with an empty 401.
/// </summary>
public sealed class DemoStoreMissingModel(IOptions<AuthOptions> auth, DemoStoreLocator demoStore) : PageModel
{
    public const string PagePath = DemoAuthenticationHandler.MissingStorePagePath;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!auth.Value.IsDemo || await demoStore.GetDemoStoreIdAsync(cancellationToken) is not null)
        {
            return LocalRedirect("/");
        }
        Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        return Page();
    }
}
