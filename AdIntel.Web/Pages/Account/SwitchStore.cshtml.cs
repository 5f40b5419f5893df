using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace AdIntel.Web.Pages.Account;

/// <summary>Moves the session to another store the account belongs to (the store menu in the top bar posts here).</summary>
public sealed class SwitchStoreModel(UserManager<AppUser> users, StoreSessions sessions) : AccountPageModel
{
    public IActionResult OnGet() => LocalRedirect("/");

    public async Task<IActionResult> OnPostAsync(long storeId, CancellationToken cancellationToken)
    {
        if (User.GetUserId() is not { } userId || await users.FindByIdAsync(userId.ToString(System.Globalization.CultureInfo.InvariantCulture)) is not { } user)
        {
            return Challenge();
        }
        var stores = await sessions.ListStoresAsync(userId, cancellationToken);
        if (!stores.Exists(s => s.StoreId == storeId))
        {
            return NotFound();
        }
        var current = await HttpContext.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        await sessions.SignInAsync(user, storeId, current.Properties?.IsPersistent ?? false, cancellationToken);
        return LocalRedirect("/");
    }
}
