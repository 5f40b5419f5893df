namespace AdIntel.Web.Domain;

/// <summary>A personal API token. Only its SHA-256 hash is stored; the secret is shown once.</summary>
public sealed class ApiToken : IStoreOwned
{
    public long Id { get; set; }
    public long StoreId { get; set; }
    public long? MemberId { get; set; }
    public required string Name { get; set; }
    public StoreRole Role { get; set; }
    /// <summary>First characters of the token, to recognise it in lists.</summary>
    public required string Prefix { get; set; }
    /// <summary>Lower-case hex SHA-256 of the whole token.</summary>
    public required string TokenHash { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime? LastUsedAtUtc { get; set; }
    public DateTime? RevokedAtUtc { get; set; }
}
