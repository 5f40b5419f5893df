using AdIntel.Web.Infrastructure.Options;
using AdIntel.Web.Infrastructure.Health;
using AdIntel.Web.Infrastructure.Jobs;
using AdIntel.Web.Rules.Actions;
using AdIntel.Web.Rules.Execution;
using AdIntel.Web.Rules.Expressions;
using AdIntel.Web.Rules.Plugins;
using AdIntel.Web.Rules.Scripting;
using AdIntel.Web.Rules.Snapshots;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Rules;

/// <summary>The rules engine's services: expressions, snapshots, plugins, C# scripts, actions and runs (see Rules/README.md).</summary>
public static class RulesFeature
{
    public static IServiceCollection AddRulesFeature(this IServiceCollection services)
    {
        services.AddOptions<PluginsOptions>().BindConfiguration(PluginsOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PluginsOptions>, ValidatePluginsOptions>();
        services.AddOptions<CSharpScriptOptions>().BindConfiguration(CSharpScriptOptions.SectionName).ValidateDataAnnotations()
            .Validate<IOptions<AuthOptions>>((scripts, auth) => !(scripts.Enabled && auth.Value.IsShopify), CSharpScriptOptions.RefusedWithShopifyAuth)
            .ValidateOnStart();

        // Plugins are loaded once, when the catalog is first needed; PluginStartup makes that happen at start.
        services.AddSingleton(sp => PluginLoader.Load(
            sp.GetRequiredService<IOptions<PluginsOptions>>().Value.ResolveDirectory(sp.GetRequiredService<IHostEnvironment>().ContentRootPath),
            sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PluginLoader).FullName!)));
        services.AddHostedService<PluginStartup>();
        services.AddHealthChecks().AddCheck<PluginsHealthCheck>("plugins", tags: [HealthServiceCollectionExtensions.ReadyTag]);
        services.AddSingleton(sp => new RuleFunctionRegistry(sp.GetRequiredService<PluginCatalog>().Plugins
            .SelectMany(p => p.Functions.Select(f => new RuleFunctionRegistry.PluginFunction(p.Id, f)))));
        services.AddSingleton<RuleExpressionCompiler>();
        services.AddSingleton<CompiledRuleCache>();
        services.AddSingleton<RulePluginRunner>();
        services.AddSingleton<CSharpRuleScriptCompiler>();
        services.AddSingleton<CompiledScriptCache>();
        services.AddSingleton<RulePreparer>();
        services.AddScoped<RuleSnapshotBuilder>();

        // Actions, rails, runs, dry runs and backtests (Actions/, Execution/).
        // Without an ad platform integration, entities (demo, CSV imports) change only locally; the integrations
        // register the IAdPlatform that changes a connected account's entities on the platform first.
        services.AddScoped<SimulatedAdPlatform>();
        services.AddScoped<ActionExecutor>();
        services.AddScoped<AutomationSettings>();
        services.AddScoped<RuleRunner>();
        services.AddSingleton<RuleProposals>();
        services.AddScoped<RuleDryRun>();
        services.AddScoped<RuleBacktester>();
        services.AddTransient<RunStoreRulesJob>();
        services.AddStoreJobDispatcher<RuleDispatcher>();
        services.AddOptions<RuleRunLogOptions>().BindConfiguration(RuleRunLogOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddTransient<RuleRunLogRetention>();
        services.AddHostedService<RuleRunLogRetention.Startup>();
        return services;
    }

    /// <summary>Loads the plugins while the app starts, so a broken one is reported at once (and never stops the app).</summary>
    private sealed class PluginStartup(PluginCatalog catalog) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.FromResult(catalog);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
