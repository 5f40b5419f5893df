using AdIntel.Web.Demo;
using AdIntel.Web.Imports;
using AdIntel.Web.Integrations;
using AdIntel.Web.Integrations.Shopify.App;
using AdIntel.Web.Metrics;
using AdIntel.Web.Pages.Campaigns;
using AdIntel.Web.Pages.Overview;
using AdIntel.Web.Pages.Planner;
using AdIntel.Web.Pages.Rules;
using AdIntel.Web.Pages.Reports;
using AdIntel.Web.Pages.Settings;
using AdIntel.Web.Reports;
using AdIntel.Web.Rules;

namespace AdIntel.Web.Infrastructure;

/// <summary>Each feature registers its own services and maps its own API endpoints.</summary>
public static class FeatureRegistration
{
    public static WebApplicationBuilder AddAdIntelFeatures(this WebApplicationBuilder builder)
    {
        builder.Services.AddDemoFeature(builder.Configuration);
        builder.Services.AddMetricsFeature();
        builder.Services.AddCampaignsFeature();
        builder.Services.AddImportsFeature();
        builder.Services.AddRulesFeature();
        builder.Services.AddRulesPages();
        builder.Services.AddReportsFeature();
        builder.Services.AddPlannerFeature();
        builder.Services.AddIntegrationsFeature();
        return builder;
    }

    public static WebApplication MapAdIntelFeatureEndpoints(this WebApplication app)
    {
        var api = app.MapGroup("/api").DisableAntiforgery();
        api.MapOverviewEndpoints();
        api.MapCampaignsEndpoints();
        api.MapImportsEndpoints();
        api.MapSettingsEndpoints();
        api.MapRulesEndpoints();
        api.MapReportsEndpoints();
        api.MapPlannerEndpoints();
        app.MapShopifyApp(api);
        app.MapIntegrationsEndpoints();
        return app;
    }
}
