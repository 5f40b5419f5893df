using System.ComponentModel.DataAnnotations;
using AdIntel.Web.Infrastructure.Auth;

namespace AdIntel.Web.Pages.Account;

/// <summary>A password chosen twice; reset, setup and invitation pages bind it as <c>NewPassword</c>.</summary>
public sealed class NewPassword
{
    [Required(ErrorMessage = "Choose a password.")]
    [StringLength(256, MinimumLength = AccountRules.MinimumPasswordLength,
        ErrorMessage = "Use at least 12 characters; a few unrelated words make a strong password.")]
    [DataType(DataType.Password)]
    public string Password { get; set; } = "";

    [Required(ErrorMessage = "Repeat the password.")]
    [Compare(nameof(Password), ErrorMessage = "The two passwords are not the same.")]
    [DataType(DataType.Password)]
    public string ConfirmPassword { get; set; } = "";
}
