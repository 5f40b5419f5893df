using AdIntel.Web.Alerts;
using AdIntel.Web.Brain.Llm;
using AdIntel.Web.Brain.Recommendations;
using AdIntel.Web.Demo;
using AdIntel.Web.Imports;
using AdIntel.Web.Ingestion;
using AdIntel.Web.Integrations;
using AdIntel.Web.Integrations.Shopify.App;
using AdIntel.Web.Metrics;
using AdIntel.Web.Pages.Account;
using AdIntel.Web.Pages.Alerts;
using AdIntel.Web.Pages.Ask;
using AdIntel.Web.Pages.Campaigns;
using AdIntel.Web.Pages.Creatives;
using AdIntel.Web.Pages.Costs;
using AdIntel.Web.Pages.Imports;
using AdIntel.Web.Pages.Overview;
using AdIntel.Web.Pages.Planner;
using AdIntel.Web.Pages.Reports;
using AdIntel.Web.Pages.Rules;
using AdIntel.Web.Pages.Settings;
using AdIntel.Web.Pages.Tracking;
using AdIntel.Web.Reports;
using AdIntel.Web.Rules;
using AdIntel.Web.Tracking;

namespace AdIntel.Web.Composition;

/// <summary>
/// Every feature, in one list: the engines (Metrics, Rules, Reports, Ingestion, Imports, Integrations, Demo, Brain) register
/// their services, the screens (Pages/&lt;Screen&gt;) theirs and their API endpoints. Each has one <c>…Feature.cs</c>.
/// </summary>
public static class FeatureComposition
{
    public static WebApplicationBuilder AddAdIntelFeatures(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddDemoFeature(builder.Configuration);
        services.AddMetricsFeature();
        services.AddIngestionFeature();
        services.AddImportsFeature();
        services.AddAlertsFeature();
        services.AddRulesFeature();
        services.AddReportsFeature();
        services.AddIntegrationsFeature(builder.Configuration);
        services.AddTrackingFeature();
        services.AddRecommendationsFeature();
        services.AddLlmFeature();

        services.AddScoped<StoreCreator>();
        services.AddCampaignsPages();
        services.AddRulesPages();
        services.AddSettingsPages();
        services.AddCreativesPages();
        services.AddPlannerPages();
        services.AddAskPages();
        services.AddAlertsPages();
        services.AddCostsPages();
        return builder;
    }

    public static WebApplication MapAdIntelFeatureEndpoints(this WebApplication app)
    {
        var api = app.MapGroup("/api").DisableAntiforgery();
        api.MapOverviewPages();
        api.MapCampaignsPages();
        api.MapImportsPages();
        api.MapSettingsPages();
        api.MapRulesPages();
        api.MapReportsPages();
        api.MapAskPages();
        api.MapPlannerPages();
        api.MapAlertsPages();
        api.MapTrackingPages();
        api.MapCreativesPages();
        api.MapCostsPages();
        app.MapShopifyApp(api);
        app.MapIntegrationsEndpoints();
        return app;
    }
}
