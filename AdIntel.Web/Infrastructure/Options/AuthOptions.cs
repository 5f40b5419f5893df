using System.ComponentModel.DataAnnotations;

namespace AdIntel.Web.Infrastructure.Options;

public sealed class AuthOptions : IValidatableObject
{
    public const string SectionName = "Auth";

    /// <summary>Demo (everyone is the demo store's owner), Local (accounts with e-mail and password) or Shopify.</summary>
    [Required, RegularExpression("^(Demo|Local|Shopify)$", ErrorMessage = "Auth:Mode must be Demo, Local or Shopify.")]
    public string Mode { get; set; } = "Demo";

    /// <summary>
    /// The address people open the app at (e.g. https://adintel.example.com), used in invitation and password-reset
    /// links. Set it in production: without it the links use the address of the request that asked for them.
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>Wrong passwords in a row that lock an account.</summary>
    [Range(3, 100, ErrorMessage = "Auth:LockoutAttempts must be between 3 and 100.")]
    public int LockoutAttempts { get; set; } = 5;

    /// <summary>How long a locked account stays locked.</summary>
    [Range(1, 1440, ErrorMessage = "Auth:LockoutMinutes must be between 1 and 1440.")]
    public int LockoutMinutes { get; set; } = 15;

    /// <summary>Days an invitation link stays valid.</summary>
    [Range(1, 90, ErrorMessage = "Auth:InvitationDays must be between 1 and 90.")]
    public int InvitationDays { get; set; } = 7;

    /// <summary>Hours a password-reset link stays valid.</summary>
    [Range(1, 72, ErrorMessage = "Auth:PasswordResetHours must be between 1 and 72.")]
    public int PasswordResetHours { get; set; } = 2;

    public bool IsDemo => string.Equals(Mode, "Demo", StringComparison.Ordinal);
    public bool IsLocal => string.Equals(Mode, "Local", StringComparison.Ordinal);
    public bool IsShopify => string.Equals(Mode, "Shopify", StringComparison.Ordinal);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(PublicUrl)
            && (!Uri.TryCreate(PublicUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            yield return new ValidationResult("Auth:PublicUrl must be an absolute http(s) address.", [nameof(PublicUrl)]);
        }
    }
}
