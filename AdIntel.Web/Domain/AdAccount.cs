namespace AdIntel.Web.Domain;

public sealed class AdAccount : IStoreOwned
{
    public long Id { get; set; }
    public long StoreId { get; set; }
    /// <summary>"meta" for now.</summary>
    public string Platform { get; set; } = "meta";
    /// <summary>The platform's id, e.g. "act_1234".</summary>
    public required string ExternalId { get; set; }
    public required string Name { get; set; }
    public string Currency { get; set; } = "USD";
}
