namespace AdIntel.Web.Infrastructure.Data;

/// <summary>Rows were to be written for a store that has been deleted meanwhile (see <see cref="AdIntelDbContext.LockStoreAsync"/>).</summary>
public sealed class StoreDeletedException(long storeId)
    : InvalidOperationException($"Store {storeId} has been deleted: its rows cannot be written.")
{
    public long StoreId { get; } = storeId;
}
