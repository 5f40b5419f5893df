using AdIntel.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Infrastructure.Auth;

/// <summary>Finds (and remembers) the id of the demo store; stores are not store-owned so no filter applies.</summary>
public sealed class DemoStoreLocator(IServiceScopeFactory scopes)
{
    private long? _storeId;

    public async Task<long?> GetDemoStoreIdAsync(CancellationToken cancellationToken)
    {
        if (_storeId is { } known)
        {
            return known;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AdIntelDbContext>();
        var id = await db.Stores.Where(s => s.IsDemo).OrderBy(s => s.Id).Select(s => (long?)s.Id).FirstOrDefaultAsync(cancellationToken);
        _storeId = id;
        return id;
    }

    /// <summary>Forget the cached id (tests that reset the database).</summary>
    public void Reset() => _storeId = null;
}
