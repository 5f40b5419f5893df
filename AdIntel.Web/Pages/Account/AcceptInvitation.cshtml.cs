using System.ComponentModel.DataAnnotations;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace AdIntel.Web.Pages.Account;

/// <summary>
/// The page an invitation e-mail links to. The link proves the person reads that mailbox: someone new creates an
/// account for the invited address; someone with an account confirms with their password. Either way they join the
/// store with the invitation's role and land in it.
/// </summary>
public sealed class AcceptInvitationModel(Invitations invitations, UserManager<AppUser> users,
    SignInManager<AppUser> signInManager, StoreSessions sessions, TimeProvider time) : AccountPageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    [BindProperty]
    public string? DisplayName { get; set; }

    [BindProperty]
    public NewPassword NewPassword { get; set; } = new();

    [BindProperty]
    public string? Password { get; set; }

    public PendingInvitation? Invitation { get; private set; }

    /// <summary>The invited address already has an account: it confirms with its password instead of choosing one.</summary>
    public bool HasAccount { get; private set; }

    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var existing = await LoadAsync(cancellationToken);
        if (Invitation is null)
        {
            return Page();
        }
        AppUser user;
        if (existing is not null)
        {
            // Only the password matters here; the new-password fields are not on the form.
            ModelState.Clear();
            var check = await signInManager.CheckPasswordSignInAsync(existing, Password ?? "", lockoutOnFailure: true);
            if (!check.Succeeded)
            {
                Error = check.IsLockedOut
                    ? "Too many wrong passwords: this account is locked for a while. Reset the password, then open this link again."
                    : "That is not the password of this account.";
                return Page();
            }
            user = existing;
        }
        else
        {
            ModelState.Remove(nameof(Password));
            if (DisplayName?.Length > 200)
            {
                ModelState.AddModelError(nameof(DisplayName), "Keep the name under 200 characters.");
            }
            if (!ModelState.IsValid)
            {
                return Page();
            }
            user = new AppUser
            {
                UserName = Invitation.Email,
                Email = Invitation.Email,
                // The link arrived in this mailbox.
                EmailConfirmed = true,
                DisplayName = string.IsNullOrWhiteSpace(DisplayName) ? null : DisplayName.Trim(),
                CreatedAtUtc = time.GetUtcNow().UtcDateTime,
            };
            var created = await users.CreateAsync(user, NewPassword.Password);
            if (!created.Succeeded)
            {
                foreach (var error in created.Errors)
                {
                    ModelState.AddModelError("NewPassword.Password", error.Description);
                }
                return Page();
            }
        }
        await invitations.AcceptAsync(Invitation, user, cancellationToken);
        await sessions.SignInAsync(user, Invitation.StoreId, persistent: false, cancellationToken);
        return LocalRedirect("/");
    }

    private async Task<AppUser?> LoadAsync(CancellationToken cancellationToken)
    {
        Invitation = await invitations.FindPendingAsync(Token, cancellationToken);
        if (Invitation is null)
        {
            Error = "This invitation cannot be used: it was already accepted, withdrawn, or it expired. Ask the store owner for a new one.";
            return null;
        }
        var existing = await users.FindByEmailAsync(Invitation.Email);
        HasAccount = existing is not null;
        return existing;
    }
}
