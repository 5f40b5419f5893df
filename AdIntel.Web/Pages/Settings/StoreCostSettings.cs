using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Pages.Settings;

public static class StoreCostSettings
{
    /// <summary>The current store's settings row, created with the defaults (2.9% + 0.30) when missing.</summary>
    public static async Task<StoreSettings> GetOrCreateAsync(AdIntelDbContext db, TimeProvider time, CancellationToken cancellationToken)
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
