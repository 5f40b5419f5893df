namespace AdIntel.Web.Domain;

/// <summary>Delivery status of a campaign, ad set or ad, as Meta names it.</summary>
public static class EntityStatus
{
    public const string Active = "ACTIVE";
    public const string Paused = "PAUSED";
    public const string Archived = "ARCHIVED";
}
