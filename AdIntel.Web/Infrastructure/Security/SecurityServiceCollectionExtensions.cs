using AdIntel.Web.Infrastructure.Options;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace AdIntel.Web.Infrastructure.Security;

public static class SecurityServiceCollectionExtensions
{
    public static WebApplicationBuilder AddAdIntelSecurity(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<SecurityHeaders>();
        builder.Services.AddRateLimiter(RateLimits.Configure);
        builder.Services.AddSingleton<WebhookRateLimits>();
        builder.Services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            o.IncludeSubDomains = false;
        });
        builder.Services.Configure<KestrelServerOptions>(o => o.AddServerHeader = false);
        return builder;
    }

    /// <summary>First in the pipeline, so every response (errors, redirects, static files) carries the headers.</summary>
    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        var headers = app.Services.GetRequiredService<SecurityHeaders>();
        app.Use((context, next) =>
        {
            var path = context.Request.Path;
            context.Response.OnStarting(() => headers.ApplyAsync(context, path));
            return next(context);
        });
        return app;
    }

    /// <summary>
    /// HTTPS only, outside development and the test host: plain HTTP is redirected and browsers are told (HSTS) never
    /// to try HTTP again. Behind a TLS-terminating proxy, set ASPNETCORE_FORWARDEDHEADERS_ENABLED=true.
    /// </summary>
    public static WebApplication UseTransportSecurity(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment() && !app.Environment.IsEnvironment("Testing"))
        {
            app.UseHsts();
            app.UseHttpsRedirection();
        }
        return app;
    }
}
