using AdIntel.Web.Brain.Llm.Ask;

namespace AdIntel.Web.Brain.Llm;

/// <summary>The LLM layer: provider clients, the token ledger, the recommendation narrator and Ask AdIntel.</summary>
public static class LlmFeature
{
    public static IServiceCollection AddLlmFeature(this IServiceCollection services)
    {
        services.AddOptions<LlmOptions>().BindConfiguration(LlmOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        LlmChatClients.AddHttpClient(services);
        services.AddSingleton<LlmChatClients>();
        services.AddScoped<LlmUsageLedger>();
        services.AddScoped<RecommendationNarrator>();
        services.AddScoped<AskAdIntel>();
        return services;
    }
}
