using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Options;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Infrastructure.Auth;

/// <summary>
/// Local mode on an empty install: until the first account exists, every page sends people to /account/setup.
/// Once an account exists it stays known for the life of the process, so the check costs nothing afterwards.
/// </summary>
public sealed class FirstRunState(IServiceScopeFactory scopes)
{
    public const string SetupPath = "/account/setup";

    private volatile bool _hasAccounts;

    public async ValueTask<bool> NeedsSetupAsync(CancellationToken cancellationToken)
    {
        if (_hasAccounts)
        {
            return false;
        }
        await using var scope = scopes.CreateAsyncScope();
        _hasAccounts = await scope.ServiceProvider.GetRequiredService<AdIntelDbContext>().Users.AnyAsync(cancellationToken);
        return !_hasAccounts;
    }

    public void AccountCreated() => _hasAccounts = true;
}

public static class FirstRunSetupExtensions
{
    /// <summary>After routing: page requests go to setup while Local mode has no account yet.</summary>
    public static WebApplication UseFirstRunSetup(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<AuthOptions>>().Value.IsLocal)
        {
            return app;
        }
        var state = app.Services.GetRequiredService<FirstRunState>();
        app.Use(async (context, next) =>
        {
            var isPage = context.GetEndpoint()?.Metadata.GetMetadata<PageActionDescriptor>() is not null;
            if (isPage && !context.Request.Path.StartsWithSegments(FirstRunState.SetupPath, StringComparison.OrdinalIgnoreCase)
                && await state.NeedsSetupAsync(context.RequestAborted))
            {
                context.Response.Redirect(FirstRunState.SetupPath);
                return;
            }
            await next(context);
        });
        return app;
    }
}
