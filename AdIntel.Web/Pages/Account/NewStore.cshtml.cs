using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Metrics;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace AdIntel.Web.Pages.Account;

/// <summary>
/// "Add a store" from the store menu: an owner (an agency managing its clients, say) creates another store in this
/// installation, becomes its owner and is switched to it. Each store's data stays its own; switching is the store menu.
/// </summary>
public sealed class NewStoreModel(UserManager<AppUser> users, StoreSessions sessions, IServiceScopeFactory scopes) : AccountPageModel
{
    public const string PagePath = "/account/stores/new";

    [BindProperty]
    public StoreInput Input { get; set; } = new();

    public IReadOnlyList<string> TimeZones => StoreTimeZones.All;

    public IReadOnlyDictionary<string, string> Problems { get; private set; } = new Dictionary<string, string>();

    /// <summary>Owners of the current store only (account pages are open to signed-out people, so the page checks itself).</summary>
    private bool MayAdd => User.GetStoreRole() == StoreRole.Owner;

    public IActionResult OnGet() => MayAdd ? Page() : User.Identity?.IsAuthenticated == true ? Forbid() : Challenge();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!MayAdd)
        {
            return User.Identity?.IsAuthenticated == true ? Forbid() : Challenge();
        }
        if (User.GetUserId() is not { } userId || await users.FindByIdAsync(userId.ToString(System.Globalization.CultureInfo.InvariantCulture)) is not { } user)
        {
            return Challenge();
        }
        // The new store's rows are written in a scope of its own: this request's scope belongs to the current store.
        await using var scope = scopes.CreateAsyncScope();
        var (storeId, problems) = await scope.ServiceProvider.GetRequiredService<StoreCreator>()
            .CreateAsync(new StoreDetails(Input.Name, Input.ShopDomain, Input.Currency, Input.TimeZone), user, cancellationToken);
        if (storeId is null)
        {
            Problems = problems;
            return Page();
        }
        var current = await HttpContext.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        await sessions.SignInAsync(user, storeId, current.Properties?.IsPersistent ?? false, cancellationToken);
        return LocalRedirect("/");
    }

    public sealed class StoreInput
    {
        public string? Name { get; set; }
        public string? ShopDomain { get; set; }
        public string? Currency { get; set; } = "USD";
        public string? TimeZone { get; set; } = "America/New_York";
    }
}
