using AdIntel.Web.Domain;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Infrastructure.Data;

public static class StoreSettingsRows
{
    /// <summary>The current store's settings row (tracked, to be changed), created with the defaults when missing.</summary>
    public static async Task<StoreSettings> GetOrCreateStoreSettingsAsync(this AdIntelDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var settings = await db.StoreSettings.SingleOrDefaultAsync(cancellationToken);
        if (settings is null)
        {
            settings = new StoreSettings { UpdatedAtUtc = time.GetUtcNow().UtcDateTime };
            db.StoreSettings.Add(settings);
            await db.SaveChangesAsync(cancellationToken);
        }
        return settings;
    }
}
