namespace AdIntel.Web.Integrations.Sync;

public static class IntegrationSyncServiceCollectionExtensions
{
    /// <summary>Adds a sync the schedules, "Sync now" and <see cref="IntegrationSyncJob"/> run (in registration order).</summary>
    public static IServiceCollection AddIntegrationSync<TSync>(this IServiceCollection services) where TSync : class, IIntegrationSync =>
        services.AddScoped<IIntegrationSync, TSync>();
}
