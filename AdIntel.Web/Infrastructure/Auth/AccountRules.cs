namespace AdIntel.Web.Infrastructure.Auth;

/// <summary>Rules of local accounts that pages and the Identity configuration share.</summary>
public static class AccountRules
{
    public const int MinimumPasswordLength = 12;

    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();
}
