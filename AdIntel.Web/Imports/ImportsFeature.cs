namespace AdIntel.Web.Imports;

public static class ImportsFeature
{
    public static IServiceCollection AddImportsFeature(this IServiceCollection services)
    {
        return services;
    }

    public static RouteGroupBuilder MapImportsEndpoints(this RouteGroupBuilder api)
    {
        return api;
    }
}
