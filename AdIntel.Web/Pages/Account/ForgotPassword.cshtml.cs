using System.ComponentModel.DataAnnotations;
using System.Globalization;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Infrastructure.Email;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;

namespace AdIntel.Web.Pages.Account;

/// <summary>
/// Sends a password-reset link. The answer is the same whether or not the address has an account, so the page
/// cannot be used to find out who has one.
/// </summary>
public sealed class ForgotPasswordModel(UserManager<AppUser> users, IEmailSender email, PublicLinks links,
    ILogger<ForgotPasswordModel> logger) : AccountPageModel
{
    [BindProperty]
    public ForgotPasswordInput Input { get; set; } = new();

    public bool Sent { get; private set; }
    public bool CanSendEmail => email.IsConfigured;

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid || !email.IsConfigured)
        {
            return Page();
        }
        var user = await users.FindByEmailAsync(Input.Email.Trim());
        if (user?.Email is not null)
        {
            var token = await users.GeneratePasswordResetTokenAsync(user);
            var link = links.ForEmail(Request, "/account/reset-password?user=" + user.Id.ToString(CultureInfo.InvariantCulture)
                + "&code=" + WebEncoders.Base64UrlEncode(System.Text.Encoding.UTF8.GetBytes(token)));
            try
            {
                await email.SendAsync(new EmailMessage(user.Email, "Reset your AdIntel password",
                    $"""
                    Someone (hopefully you) asked to reset the password of your AdIntel account.

                    Choose a new password here:
                    {link}

                    The link works once and expires in a few hours. If you did not ask for it, ignore this e-mail:
                    your password stays as it is.
                    """), cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The page still answers like for any address; the operator sees why nothing arrived.
                logger.LogError(e, "Could not send the password-reset e-mail");
            }
        }
        Sent = true;
        return Page();
    }

    public sealed class ForgotPasswordInput
    {
        [Required(ErrorMessage = "Enter your e-mail address.")]
        [EmailAddress(ErrorMessage = "Enter a valid e-mail address.")]
        [StringLength(256)]
        public string Email { get; set; } = "";
    }
}
