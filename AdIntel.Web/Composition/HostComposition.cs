using AdIntel.Web.Infrastructure.Api;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Forms;
using AdIntel.Web.Infrastructure.Health;
using AdIntel.Web.Infrastructure.Jobs;
using AdIntel.Web.Infrastructure.Memory;
using AdIntel.Web.Infrastructure.Options;
using AdIntel.Web.Infrastructure.Security;
using Htmx.TagHelpers;
using Microsoft.Extensions.Configuration.Json;
using Serilog;
using Serilog.Events;

namespace AdIntel.Web.Composition;

/// <summary>The composition root, one method per concern; Program.cs reads as their table of contents.</summary>
public static class HostComposition
{
    /// <summary>The repository's appsettings.json is the base layer: every other source overrides it.</summary>
    public static WebApplicationBuilder AddAdIntelConfiguration(this WebApplicationBuilder builder)
    {
        var candidates = new[]
        {
            Path.Combine(DataServiceCollectionExtensions.RepositoryRoot(builder.Environment.ContentRootPath), "appsettings.json"),
            Path.Combine(AppContext.BaseDirectory, "appsettings.json"),
        };
        var rootSettings = candidates.FirstOrDefault(File.Exists);
        if (rootSettings is not null)
        {
            var source = new JsonConfigurationSource { Path = rootSettings, Optional = false, ReloadOnChange = false };
            source.ResolveFileProvider();
            ((IConfigurationBuilder)builder.Configuration).Sources.Insert(0, source);
        }
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }

    public static WebApplicationBuilder AddAdIntelLogging(this WebApplicationBuilder builder)
    {
        var logDirectory = builder.Configuration["Logging:Directory"] is { Length: > 0 } configured
            ? configured
            : Path.Combine(DataServiceCollectionExtensions.RepositoryRoot(builder.Environment.ContentRootPath), "data", "logs");
        builder.Services.AddSerilog((services, configuration) => configuration
            .ReadFrom.Configuration(builder.Configuration)
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.EntityFrameworkCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Hangfire", LogEventLevel.Warning)
            // Four lines per Shopify or Meta call (with query strings) would drown the log; the clients log what matters.
            .MinimumLevel.Override("System.Net.Http.HttpClient", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}")
            .WriteTo.File(Path.Combine(logDirectory, "adintel-.log"), rollingInterval: RollingInterval.Day, retainedFileCountLimit: 14),
            // Each host keeps its own logger: the static Log.Logger is one per process, so two hosts (tests) would write
            // into each other's files.
            preserveStaticLogger: true);
        return builder;
    }

    public static WebApplicationBuilder AddAdIntelWeb(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ImportOptions>().BindConfiguration(ImportOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddRazorPages(options =>
        {
            options.Conventions.AllowAnonymousToPage("/Error");
            // Sign-in, setup, password reset and invitations; each page checks what it needs itself.
            options.Conventions.AllowAnonymousToFolder("/Account");
            // Role per screen (page model attributes may ask for more): uploads change the store's data.
            options.Conventions.AuthorizeFolder("/Imports", Policies.Marketer);
        }).AddMvcOptions(options => options.ModelBinderProviders.Insert(0, new CheckboxBinderProvider()))
            // No controllers: their discovery would load every type of the app to look for them.
            .ConfigureApplicationPartManager(parts => parts.FeatureProviders.Remove(
                parts.FeatureProviders.OfType<Microsoft.AspNetCore.Mvc.Controllers.ControllerFeatureProvider>().Single()));
        var embeddedInShopify = string.Equals(builder.Configuration["Auth:Mode"], "Shopify", StringComparison.OrdinalIgnoreCase)
            && !(builder.Environment.IsDevelopment() || builder.Environment.IsEnvironment("Testing"));
        builder.Services.AddAntiforgery(o =>
        {
            o.HeaderName = "RequestVerificationToken";
            if (embeddedInShopify)
            {
                // In the Shopify admin's frame the app is cross-site: only SameSite=None (hence Secure) cookies reach it, as
                // for the Shopify session cookie. The token in the form or header still has to match this cookie.
                o.Cookie.SameSite = SameSiteMode.None;
                o.Cookie.SecurePolicy = CookieSecurePolicy.Always;
            }
        });
        // Razor would otherwise write ×, ÷, —, € and every accented store or product name as numeric entities.
        builder.Services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict);
        builder.Services.AddHostedService<NativeHeapTrimmer>();
        return builder;
    }

    public static WebApplication UseAdIntelPipeline(this WebApplication app)
    {
        app.UseSecurityHeaders();
        app.UseAdIntelErrorHandling();
        // The request log goes through this host's logger, not the process-wide static one.
        app.UseSerilogRequestLogging(o => o.Logger = app.Services.GetRequiredService<Serilog.ILogger>());
        app.UseClientErrorStatuses();
        app.UseTransportSecurity();
        app.UseStaticFiles();
        app.UseRouting();
        app.UseFirstRunSetup();
        app.UseRequestBodyLimit();
        app.UseAuthentication();
        app.UseStoreContext();
        app.UseRateLimiter();
        app.UseSharedSignInLimit();
        app.UseAuthorization();
        app.UseApiAntiforgery();
        app.UseAntiforgery();

        // Stylesheets and scripts are public: the sign-in and first-run pages need them before anyone is signed in.
        app.MapStaticAssets().AllowAnonymous();
        app.MapHtmxAntiforgeryScript();
        app.MapRazorPages().WithStaticAssets();
        app.MapAdIntelHealth();
        app.MapAdIntelFeatureEndpoints();
        app.MapAdIntelJobsDashboard();
        return app;
    }
}
