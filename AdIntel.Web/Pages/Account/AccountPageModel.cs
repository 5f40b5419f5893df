using AdIntel.Web.Infrastructure.Options;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Pages.Account;

/// <summary>Account pages exist only with local accounts (Auth:Mode=Local); in the other modes they are not found.</summary>
public abstract class AccountPageModel : PageModel
{
    [NonHandler]
    public override void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        if (!context.HttpContext.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value.IsLocal)
        {
            context.Result = NotFound();
        }
    }

    /// <summary>Where to go after signing in: a local address only, never another site.</summary>
    protected string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && Url.IsLocalUrl(returnUrl) && !returnUrl.StartsWith("/account", StringComparison.OrdinalIgnoreCase)
            ? returnUrl
            : "/";
}
