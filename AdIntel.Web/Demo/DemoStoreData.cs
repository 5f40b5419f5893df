using AdIntel.Web.Domain;

namespace AdIntel.Web.Demo;

/// <summary>
/// Everything the demo generator produced, as plain entities ready for insertion. Ids are 1-based per entity type in
/// list order and every foreign key points at them; <see cref="StoreId"/>s are left 0 for the writer to stamp.
/// Orders carry their <see cref="Order.Lines"/> and <see cref="Order.Refunds"/>; the flat lists hold the same objects.
/// </summary>
public sealed class DemoStoreData
{
    public required string TimeZoneId { get; init; }
    public required string Currency { get; init; }

    /// <summary>First and last day of the history (store-local); the last day is yesterday.</summary>
    public required DateOnly FirstDay { get; init; }
    public required DateOnly LastDay { get; init; }

    public required StoreSettings Settings { get; init; }
    public required IReadOnlyList<Product> Products { get; init; }
    public required IReadOnlyList<ProductVariant> Variants { get; init; }
    public required IReadOnlyList<Customer> Customers { get; init; }

    /// <summary>Addresses and marketing consent, index for index with <see cref="Customers"/>.</summary>
    public required IReadOnlyList<DemoCustomerProfile> CustomerProfiles { get; init; }

    public required IReadOnlyList<Order> Orders { get; init; }
    public required IReadOnlyList<OrderLine> OrderLines { get; init; }
    public required IReadOnlyList<Refund> Refunds { get; init; }
    public required AdAccount AdAccount { get; init; }
    public required IReadOnlyList<Campaign> Campaigns { get; init; }
    public required IReadOnlyList<AdSet> AdSets { get; init; }
    public required IReadOnlyList<Ad> Ads { get; init; }
    /// <summary>One per ad.</summary>
    public required IReadOnlyList<AdCreative> Creatives { get; init; }
    public required IReadOnlyList<AdInsightDaily> Insights { get; init; }

    /// <summary>The days on which Meta's pixel stopped reporting purchases while Shopify kept taking orders.</summary>
    public required DateOnly TrackingOutageFrom { get; init; }
    public required DateOnly TrackingOutageTo { get; init; }

    /// <summary>The anomalies planted when Demo:InjectAnomalies is on; empty otherwise.</summary>
    public IReadOnlyList<DemoAnomaly> InjectedAnomalies { get; internal set; } = [];
}
