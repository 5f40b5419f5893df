namespace AdIntel.Web.Metrics;

/// <summary>
/// Told when a store's daily facts were rebuilt, i.e. after every import, sync or webhook batch that changed its
/// data: what derives from the facts (the recommendations) refreshes then.
/// </summary>
public interface IFactsRebuiltObserver
{
    /// <summary>Called after the rebuild committed; must return quickly (queue the work, do not do it).</summary>
    void FactsRebuilt(long storeId);
}
