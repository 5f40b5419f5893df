using System.Globalization;
using System.Text;
using AdIntel.Web.Domain;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;

namespace AdIntel.Web.Pages.Account;

/// <summary>
/// The page the reset e-mail links to. A new password also lifts a lockout, and (through the new security stamp)
/// signs the account out everywhere else.
/// </summary>
public sealed class ResetPasswordModel(UserManager<AppUser> users) : AccountPageModel
{
    public const string InvalidLink = "This link is not valid any more. Ask for a new one.";

    [BindProperty(SupportsGet = true, Name = "user")]
    public long UserId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Code { get; set; }

    [BindProperty]
    public NewPassword NewPassword { get; set; } = new();

    public string? Error { get; private set; }

    public void OnGet()
    {
        if (UserId <= 0 || string.IsNullOrEmpty(Code))
        {
            Error = InvalidLink;
        }
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var user = UserId > 0 ? await users.FindByIdAsync(UserId.ToString(CultureInfo.InvariantCulture)) : null;
        string? token = null;
        try
        {
            token = Code is null ? null : Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(Code));
        }
        catch (FormatException)
        {
            // A mangled link is just an invalid link.
        }
        if (user is null || token is null)
        {
            Error = InvalidLink;
            return Page();
        }
        var result = await users.ResetPasswordAsync(user, token, NewPassword.Password);
        if (!result.Succeeded)
        {
            if (result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.InvalidToken)))
            {
                Error = InvalidLink;
            }
            foreach (var error in result.Errors.Where(e => e.Code != nameof(IdentityErrorDescriber.InvalidToken)))
            {
                ModelState.AddModelError("NewPassword.Password", error.Description);
            }
            return Page();
        }
        await users.ResetAccessFailedCountAsync(user);
        await users.SetLockoutEndDateAsync(user, null);
        return RedirectToPage("SignIn", new { notice = "password-reset" });
    }
}
