using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Options;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Demo;

public static class DemoFeature
{
    public static IServiceCollection AddDemoFeature(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<DemoStoreSeeder>();
        return services;
    }

    /// <summary>Seeds the demo store into an empty database when Demo:Enabled (the default), so a first run has data.</summary>
    public static async Task SeedDemoStoreAsync(this IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var demo = scope.ServiceProvider.GetRequiredService<IOptions<DemoOptions>>().Value;
        var db = scope.ServiceProvider.GetRequiredService<AdIntelDbContext>();
        if (demo.Enabled && !await db.Stores.AnyAsync(cancellationToken))
        {
            await scope.ServiceProvider.GetRequiredService<DemoStoreSeeder>().SeedAsync(cancellationToken);
        }
    }
}
