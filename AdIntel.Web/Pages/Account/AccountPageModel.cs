using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Infrastructure.Options;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Pages.Account;

/// <summary>
/// Account pages exist only with local accounts (Auth:Mode=Local); in the other modes they are not found, except that
/// demo mode without a demo store says how to start instead.
/// </summary>
public abstract class AccountPageModel : PageModel
{
    [NonHandler]
    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var services = context.HttpContext.RequestServices;
        var auth = services.GetRequiredService<IOptions<AuthOptions>>().Value;
        if (auth.IsLocal)
        {
            await base.OnPageHandlerExecutionAsync(context, next);
            return;
        }
        var demoStoreMissing = auth.IsDemo
            && await services.GetRequiredService<DemoStoreLocator>().GetDemoStoreIdAsync(context.HttpContext.RequestAborted) is null;
        context.Result = demoStoreMissing ? LocalRedirect(DemoStoreMissingModel.PagePath) : NotFound();
    }

    /// <summary>Where to go after signing in: a local address only, never another site.</summary>
    protected string SafeReturnUrl(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && Url.IsLocalUrl(returnUrl) && !returnUrl.StartsWith("/account", StringComparison.OrdinalIgnoreCase)
            ? returnUrl
            : "/";
}
