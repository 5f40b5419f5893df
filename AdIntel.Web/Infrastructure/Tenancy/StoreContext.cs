using AdIntel.Web.Domain;

namespace AdIntel.Web.Infrastructure.Tenancy;

/// <summary>
/// The store the current request or job acts for. Scoped: authentication sets it per request, jobs set it
/// explicitly. The DbContext filters every store-owned query by it; with no store set nothing is visible.
/// </summary>
public sealed class StoreContext
{
    public long? StoreId { get; private set; }
    public StoreRole Role { get; private set; }

    public bool HasStore => StoreId is not null;

    public long RequiredStoreId => StoreId ?? throw new InvalidOperationException("No store is selected for this request.");

    public void Set(long storeId, StoreRole role = StoreRole.Owner)
    {
        if (StoreId is { } current && current != storeId)
        {
            throw new InvalidOperationException("The store of a scope cannot change once set.");
        }
        StoreId = storeId;
        Role = role;
    }
}
