namespace AdIntel.Web.Infrastructure.Auth;

/// <summary>Policy names: a role and every role above it; <see cref="Administrator"/> is the installation's administrator.</summary>
public static class Policies
{
    public const string Viewer = "role:viewer";
    public const string Accountant = "role:accountant";
    public const string Marketer = "role:marketer";
    public const string Owner = "role:owner";
    /// <summary>Install-wide screens (the jobs dashboard spans every store): an owner who administers the installation.</summary>
    public const string Administrator = "install:administrator";
    /// <summary>
    /// A person in a browser session, not an API token: who may use the store (members, invitations) and its tokens
    /// is decided by people only. Combined with a role policy.
    /// </summary>
    public const string Person = "principal:person";
}
