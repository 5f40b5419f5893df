using AdIntel.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Mvc;

namespace AdIntel.Web.Pages.Account;

/// <summary>Signing out is a form post (a link or an image on another site cannot sign anyone out).</summary>
public sealed class SignOutModel(StoreSessions sessions) : AccountPageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        await sessions.SignOutAsync(HttpContext);
        return RedirectToPage("SignIn", new { notice = "signed-out" });
    }
}
