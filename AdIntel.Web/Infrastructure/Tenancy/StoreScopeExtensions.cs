namespace AdIntel.Web.Infrastructure.Tenancy;

/// <summary>Work outside a request (jobs, queues, caches) runs in a DI scope of its own that acts for one store.</summary>
public static class StoreScopeExtensions
{
    /// <summary>A new scope whose <see cref="StoreContext"/> acts for <paramref name="storeId"/> as its owner.</summary>
    public static AsyncServiceScope CreateStoreScope(this IServiceScopeFactory scopes, long storeId)
    {
        var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<StoreContext>().Set(storeId);
        return scope;
    }
}
