using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Api;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Options;
using AdIntel.Web.Infrastructure.Security;
using AdIntel.Web.Infrastructure.Tenancy;
using Htmx;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Infrastructure.Auth;

public static class AuthServiceCollectionExtensions
{
    public const string Selector = "AdIntel";

    /// <summary>The browser session scheme in Shopify mode; the Shopify app registers its cookie (Integrations/Shopify/App).</summary>
    public const string ShopifySessionScheme = "Shopify";

    public static WebApplicationBuilder AddAdIntelAuth(this WebApplicationBuilder builder)
    {
        var production = builder.Environment.IsProduction();
        builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => !(production && o.IsLocal && string.IsNullOrWhiteSpace(o.PublicUrl)),
                "Auth:PublicUrl must be set in Production with Auth:Mode=Local (e.g. https://adintel.example.com): invitation and password-reset links are built from it.")
            .ValidateOnStart();
        var mode = builder.Configuration.GetSection(AuthOptions.SectionName).Get<AuthOptions>() ?? new AuthOptions();
        builder.Services.AddSingleton<DemoStoreLocator>();
        builder.Services.AddSingleton<FirstRunState>();
        builder.Services.AddScoped<StoreSessions>();
        builder.Services.AddSingleton<PublicLinks>();
        builder.Services.AddScoped<Invitations>();
        builder.Services.AddHttpContextAccessor();
        AddAccounts(builder.Services);
        builder.AddAdIntelDataProtection();

        // A request with "Authorization: Bearer" is an API token, whatever else it carries; otherwise the browser session.
        var sessionScheme = mode.IsLocal ? IdentityConstants.ApplicationScheme
            : mode.IsShopify ? ShopifySessionScheme
            : DemoAuthenticationHandler.SchemeName;
        var authentication = builder.Services.AddAuthentication(Selector)
            .AddPolicyScheme(Selector, "Bearer token or browser session", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? ApiTokenAuthenticationHandler.SchemeName
                    : sessionScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null);
        if (mode.IsLocal)
        {
            authentication.AddCookie(IdentityConstants.ApplicationScheme, ConfigureSessionCookie);
        }
        else if (!mode.IsShopify)
        {
            authentication.AddScheme<AuthenticationSchemeOptions, DemoAuthenticationHandler>(DemoAuthenticationHandler.SchemeName, null);
        }

        // Every policy needs a store: a principal without one (e.g. an account whose last membership was removed) gets nothing.
        static AuthorizationPolicyBuilder Member() =>
            new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireClaim(AdIntelClaims.StoreId);
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(Member().Build())
            .AddPolicy(Policies.Viewer, Member().Build())
            .AddPolicy(Policies.Accountant, Member().RequireAssertion(c => c.User.GetStoreRole() >= StoreRole.Accountant).Build())
            .AddPolicy(Policies.Marketer, Member().RequireAssertion(c => c.User.GetStoreRole() >= StoreRole.Marketer).Build())
            .AddPolicy(Policies.Owner, Member().RequireAssertion(c => c.User.GetStoreRole() == StoreRole.Owner).Build())
            .AddPolicy(Policies.Person, Member().RequireAssertion(c => !c.User.IsApiToken()).Build())
            .AddPolicy(Policies.Administrator, Member().RequireAssertion(c => c.User.IsInstallationAdministrator()).Build());
        return builder;
    }

    /// <summary>
    /// ASP.NET Core Identity for local accounts (registered in every mode so the account services always resolve; only
    /// Local mode signs anyone in with them).
    /// </summary>
    private static void AddAccounts(IServiceCollection services)
    {
        services.AddIdentityCore<AppUser>()
            .AddEntityFrameworkStores<AdIntelDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();
        services.AddOptions<IdentityOptions>().Configure<IOptions<AuthOptions>>((identity, auth) =>
        {
            identity.User.RequireUniqueEmail = true;
            // Length over composition rules (NIST SP 800-63B): a long passphrase beats "Passw0rd!".
            identity.Password.RequiredLength = AccountRules.MinimumPasswordLength;
            identity.Password.RequiredUniqueChars = 4;
            identity.Password.RequireDigit = false;
            identity.Password.RequireLowercase = false;
            identity.Password.RequireUppercase = false;
            identity.Password.RequireNonAlphanumeric = false;
            identity.Lockout.AllowedForNewUsers = true;
            identity.Lockout.MaxFailedAccessAttempts = auth.Value.LockoutAttempts;
            identity.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(auth.Value.LockoutMinutes);
        });
        services.AddOptions<DataProtectionTokenProviderOptions>().Configure<IOptions<AuthOptions>>((tokens, auth) =>
            tokens.TokenLifespan = TimeSpan.FromHours(auth.Value.PasswordResetHours));
    }

    private static void ConfigureSessionCookie(CookieAuthenticationOptions options)
    {
        options.Cookie.Name = "adintel.session";
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Lax;
        options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.ExpireTimeSpan = TimeSpan.FromDays(14);
        options.SlidingExpiration = true;
        options.LoginPath = "/account/sign-in";
        options.LogoutPath = "/account/sign-out";
        options.AccessDeniedPath = "/Error";
        options.Events.OnValidatePrincipal = StoreSessionValidator.ValidateAsync;
        // The API and htmx get a status they can act on instead of a redirect to an HTML page.
        options.Events.OnRedirectToLogin = context => RefuseAsync(context, StatusCodes.Status401Unauthorized);
        options.Events.OnRedirectToAccessDenied = context => RefuseAsync(context, StatusCodes.Status403Forbidden);
    }

    internal static async Task RefuseAsync(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        var http = context.HttpContext;
        if (http.Request.IsApiRequest())
        {
            http.Response.StatusCode = status;
            var (code, message) = ApiErrorHandling.Describe(status);
            await ApiResults.Error(status, code, message).ExecuteAsync(http);
        }
        else if (http.Request.IsHtmx())
        {
            http.Response.StatusCode = status;
            if (status == StatusCodes.Status401Unauthorized)
            {
                http.Response.Headers["HX-Redirect"] = context.RedirectUri;
            }
        }
        else if (status == StatusCodes.Status403Forbidden)
        {
            http.Response.Redirect("/Error?status=403");
        }
        else
        {
            http.Response.Redirect(context.RedirectUri);
        }
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
