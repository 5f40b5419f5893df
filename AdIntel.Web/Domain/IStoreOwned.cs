namespace AdIntel.Web.Domain;

/// <summary>A row that belongs to exactly one store; the DbContext filters every query by the current store.</summary>
public interface IStoreOwned
{
    long StoreId { get; set; }
}
