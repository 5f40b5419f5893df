using AdIntel.Web.Infrastructure.Options;

namespace AdIntel.Web.Demo;

public static class DemoFeature
{
    public static IServiceCollection AddDemoFeature(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<DemoStoreSeeder>();
        return services;
    }
}
