using System.Globalization;
using System.Security.Claims;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Infrastructure.Auth;

/// <summary>A store a local account belongs to, with its role there.</summary>
public sealed record StoreChoice(long StoreId, string Name, StoreRole Role);

/// <summary>
/// Signs a local account in to one of its stores: the session cookie carries the account and the store; the role is
/// looked up on every request (<see cref="StoreSessionValidator"/>).
/// </summary>
public sealed class StoreSessions(AdIntelDbContext db, SignInManager<AppUser> signInManager, TimeProvider time)
{
    /// <summary>The account's stores, oldest membership first.</summary>
    public Task<List<StoreChoice>> ListStoresAsync(long userId, CancellationToken cancellationToken) =>
        (from member in db.StoreMembers.IgnoreQueryFilters()
         join store in db.Stores on member.StoreId equals store.Id
         where member.UserId == userId
         orderby member.CreatedAtUtc, member.Id
         select new StoreChoice(store.Id, store.Name, member.Role)).ToListAsync(cancellationToken);

    /// <summary>
    /// Starts a session in <paramref name="storeId"/> when the account is a member there, else in its first store.
    /// False when the account belongs to no store (nothing is signed in).
    /// </summary>
    public async Task<bool> SignInAsync(AppUser user, long? storeId, bool persistent, CancellationToken cancellationToken)
    {
        var stores = await ListStoresAsync(user.Id, cancellationToken);
        var store = stores.Find(s => s.StoreId == storeId) ?? stores.FirstOrDefault();
        if (store is null)
        {
            return false;
        }
        user.LastSignInAtUtc = time.GetUtcNow().UtcDateTime;
        await signInManager.UserManager.UpdateAsync(user);
        await signInManager.SignInWithClaimsAsync(user, new AuthenticationProperties { IsPersistent = persistent },
            [new Claim(AdIntelClaims.StoreId, store.StoreId.ToString(CultureInfo.InvariantCulture))]);
        return true;
    }

    public Task SignOutAsync(HttpContext context) => context.SignOutAsync(IdentityConstants.ApplicationScheme);
}
