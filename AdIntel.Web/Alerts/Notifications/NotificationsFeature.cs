namespace AdIntel.Web.Alerts.Notifications;

/// <summary>Notifications of alerts: channels, the queue the alert listener fills, the sender and its jobs.</summary>
public static class NotificationsFeature
{
    public static IServiceCollection AddNotifications(this IServiceCollection services)
    {
        services.AddOptions<NotificationsOptions>().BindConfiguration(NotificationsOptions.SectionName).ValidateDataAnnotations()
            // Plain http is for the local fakes: a production webhook always travels encrypted.
            .Validate<IHostEnvironment>((o, environment) => !environment.IsProduction() || o.AllBaseUrls.All(u => u.StartsWith("https://", StringComparison.OrdinalIgnoreCase)),
                "Notifications:SlackWebhookBaseUrl and Notifications:DiscordWebhookBaseUrls must be https addresses in Production.")
            .ValidateOnStart();
        services.AddSingleton<WebhookAddresses>();
        services.AddSingleton<WebhookPacer>();
        // Retries are the delivery's own (recorded on its row, honouring Retry-After), so no resilience handler is stacked on
        // the client; redirects are not followed, so an answer cannot send the message elsewhere.
        services.AddHttpClient<ChatWebhookClient>((sp, client) => client.Timeout = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<NotificationsOptions>>().Value.RequestTimeout)
            .ConfigurePrimaryHttpMessageHandler(() => new HttpClientHandler { AllowAutoRedirect = false });
        services.AddScoped<NotificationSettings>();
        services.AddScoped<NotificationQueue>();
        services.AddScoped<NotificationComposer>();
        services.AddScoped<NotificationSender>();
        services.AddScoped<IAlertListener, NotificationAlertListener>();
        services.AddTransient<NotificationJobs>();
        services.AddHostedService<NotificationJobs.Startup>();
        return services;
    }
}
