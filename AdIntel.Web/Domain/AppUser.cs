using Microsoft.AspNetCore.Identity;

namespace AdIntel.Web.Domain;

/// <summary>
/// A local account (Auth:Mode=Local): e-mail, password hash, lockout state. Accounts are global, not store-owned;
/// what a person may see and do comes from their <see cref="StoreMember"/> rows, one per store.
/// </summary>
public sealed class AppUser : IdentityUser<long>
{
    public string? DisplayName { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime? LastSignInAtUtc { get; set; }
    /// <summary>
    /// Administers the installation itself (the jobs dashboard, which spans every store); the account created by
    /// first-run setup. Store rights still come only from memberships.
    /// </summary>
    public bool IsAdministrator { get; set; }
}
