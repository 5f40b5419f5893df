using System.ComponentModel.DataAnnotations;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace AdIntel.Web.Pages.Account;

/// <summary>
/// E-mail and password. Wrong passwords count towards the account's lockout; every failure shows the same sentence,
/// so the page does not tell whether an address has an account. Sign-in opens the account's first store.
/// </summary>
public sealed class SignInModel(UserManager<AppUser> users, SignInManager<AppUser> signInManager, StoreSessions sessions,
    IPasswordHasher<AppUser> hasher) : AccountPageModel
{
    public const string WrongCredentials = "That e-mail and password do not match an account.";

    /// <summary>A hash to check against when the address has no account, so both cases take as long.</summary>
    private static readonly Lazy<(AppUser User, string Hash)> Decoy = new(() =>
    {
        var user = new AppUser { UserName = "decoy" };
        return (user, new PasswordHasher<AppUser>().HashPassword(user, Guid.NewGuid().ToString()));
    });

    [BindProperty]
    public SignInInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>A note from the page that sent the person here (password changed, signed out).</summary>
    [BindProperty(SupportsGet = true)]
    public string? Notice { get; set; }

    public string? Error { get; private set; }

    public IActionResult OnGet() =>
        User.GetUserId() is not null ? LocalRedirect(SafeReturnUrl(ReturnUrl)) : Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var user = await users.FindByEmailAsync(Input.Email.Trim());
        if (user is null)
        {
            hasher.VerifyHashedPassword(Decoy.Value.User, Decoy.Value.Hash, Input.Password);
            Error = WrongCredentials;
            return Page();
        }
        var result = await signInManager.CheckPasswordSignInAsync(user, Input.Password, lockoutOnFailure: true);
        if (result.IsLockedOut)
        {
            Error = "Too many wrong passwords: this account is locked for a while. Try again later, or reset the password.";
            return Page();
        }
        if (!result.Succeeded)
        {
            Error = WrongCredentials;
            return Page();
        }
        if (!await sessions.SignInAsync(user, storeId: null, Input.RememberMe, cancellationToken))
        {
            Error = "Your account is not a member of any store. Ask a store owner to invite you again.";
            return Page();
        }
        return LocalRedirect(SafeReturnUrl(ReturnUrl));
    }

    public sealed class SignInInput
    {
        [Required(ErrorMessage = "Enter your e-mail address.")]
        [EmailAddress(ErrorMessage = "Enter a valid e-mail address.")]
        [StringLength(256)]
        public string Email { get; set; } = "";

        [Required(ErrorMessage = "Enter your password.")]
        [StringLength(256)]
        [DataType(DataType.Password)]
        public string Password { get; set; } = "";

        [Display(Name = "Keep me signed in on this device")]
        public bool RememberMe { get; set; }
    }
}
