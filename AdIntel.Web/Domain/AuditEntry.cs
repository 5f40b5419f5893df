namespace AdIntel.Web.Domain;

/// <summary>One change in a store: who did what to which entity, when, with the state before and after.</summary>
public sealed class AuditEntry : IStoreOwned
{
    public long Id { get; set; }
    public long StoreId { get; set; }
    public DateTime AtUtc { get; set; }
    /// <summary>A person's e-mail, "token: &lt;name&gt;", "Demo owner" or a job's name.</summary>
    public required string Actor { get; set; }
    /// <summary>Dotted verb, e.g. <c>settings.costs_updated</c>, <c>api_token.revoked</c>, <c>member.role_changed</c>.</summary>
    public required string Action { get; set; }
    /// <summary>What changed: settings, api_token, member, invitation, rule, action...</summary>
    public required string EntityType { get; set; }
    public string? EntityId { get; set; }
    /// <summary>One sentence a person reads in the log.</summary>
    public required string Summary { get; set; }
    public string? BeforeJson { get; set; }
    public string? AfterJson { get; set; }
}
