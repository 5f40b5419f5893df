namespace AdIntel.Web.Domain;

/// <summary>
/// A committed write of orders, order lines, refunds or ad insights that the store's <see cref="DailyStoreFacts"/> may
/// not include yet. Written in the same transaction as the data (so a crash right after the commit still leaves it) and
/// deleted by the facts rebuild that read the data; a store with any left is rebuilt at start.
/// </summary>
public sealed class PendingFactsChange : IStoreOwned
{
    public long Id { get; set; }
    public long StoreId { get; set; }
}
