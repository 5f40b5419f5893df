using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Options;
using AdIntel.Web.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Authentication;

namespace AdIntel.Web.Infrastructure.Auth;

public static class AuthServiceCollectionExtensions
{
    public const string Selector = "AdIntel";

    /// <summary>Policy names: a role and every role above it.</summary>
    public static class Policies
    {
        public const string Viewer = "role:viewer";
        public const string Accountant = "role:accountant";
        public const string Marketer = "role:marketer";
        public const string Owner = "role:owner";
    }

    public static WebApplicationBuilder AddAdIntelAuth(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<DemoStoreLocator>();
        builder.Services.AddAuthentication(Selector)
            .AddPolicyScheme(Selector, "Bearer token or demo session", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? ApiTokenAuthenticationHandler.SchemeName
                    : DemoAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, DemoAuthenticationHandler>(DemoAuthenticationHandler.SchemeName, null);

        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.Viewer, p => p.RequireAuthenticatedUser())
            .AddPolicy(Policies.Accountant, p => p.RequireAssertion(c => c.User.GetStoreRole() >= StoreRole.Accountant))
            .AddPolicy(Policies.Marketer, p => p.RequireAssertion(c => c.User.GetStoreRole() >= StoreRole.Marketer))
            .AddPolicy(Policies.Owner, p => p.RequireAssertion(c => c.User.GetStoreRole() == StoreRole.Owner));
        return builder;
    }

    /// <summary>After authentication: the signed-in principal's store becomes the scope's store.</summary>
    public static WebApplication UseStoreContext(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (context.User.GetStoreId() is { } storeId)
            {
                context.RequestServices.GetRequiredService<StoreContext>().Set(storeId, context.User.GetStoreRole());
            }
            await next(context);
        });
        return app;
    }
}
