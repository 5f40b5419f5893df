using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Tenancy;

namespace AdIntel.Web.Demo;

/// <summary>Creates the demo store in an empty database.</summary>
public sealed class DemoStoreSeeder(AdIntelDbContext db, StoreContext storeContext, TimeProvider time, ILogger<DemoStoreSeeder> logger)
{
    public async Task<long> SeedAsync(CancellationToken cancellationToken)
    {
        var store = new Store { Name = "Demo Outfitters", ShopDomain = "demo-outfitters.myshopify.com", IsDemo = true,
            Currency = "USD", TimeZone = "America/New_York", CreatedAtUtc = time.GetUtcNow().UtcDateTime };
        db.Stores.Add(store);
        await db.SaveChangesAsync(cancellationToken);
        storeContext.Set(store.Id);
        db.StoreSettings.Add(new StoreSettings { UpdatedAtUtc = store.CreatedAtUtc });
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Demo store {StoreId} created", store.Id);
        return store.Id;
    }
}
