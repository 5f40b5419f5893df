namespace AdIntel.Web.Domain;

/// <summary>
/// An owner's invitation for an e-mail address to join the store with a role. The link's secret is stored only as
/// its SHA-256 hash; an invitation is used once, expires, and can be withdrawn.
/// </summary>
public sealed class StoreInvitation : IStoreOwned
{
    public long Id { get; set; }
    public long StoreId { get; set; }
    public required string Email { get; set; }
    public StoreRole Role { get; set; }
    /// <summary>Lower-case hex SHA-256 of the secret in the invitation link.</summary>
    public required string TokenHash { get; set; }
    /// <summary>Who invited (the actor's display name at the time).</summary>
    public required string InvitedBy { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime ExpiresAtUtc { get; set; }
    public DateTime? AcceptedAtUtc { get; set; }
    public DateTime? RevokedAtUtc { get; set; }
}
