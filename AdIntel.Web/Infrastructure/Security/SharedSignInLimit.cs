using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Options;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Infrastructure.Security;

/// <summary>
/// The sign-in limit (<see cref="SecurityOptions.SignInPermitsPerMinute"/> posts of the credential forms per client
/// address and minute), counted in the database (<see cref="Domain.RateLimitCounter"/>) so that guessing passwords
/// through several instances gets no more tries than through one. Each account's lockout after wrong passwords is kept
/// in the database too (Identity), so it also holds across instances.
/// </summary>
public static class SharedSignInLimit
{
    private const int WindowSeconds = 60;

    /// <summary>Windows older than this are deleted (when a new window starts for some address).</summary>
    private const int KeepSeconds = 3600;

    public static WebApplication UseSharedSignInLimit(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (RequestKinds.Classify(context.Request) == RequestKind.CredentialForm && await RefusedAsync(context) is { } retryAfter)
            {
                await RateLimits.RejectAsync(context, retryAfter, context.RequestAborted);
                return;
            }
            await next(context);
        });
        return app;
    }

    /// <summary>Counts the attempt; the seconds to wait when it is over the limit, else null.</summary>
    private static async Task<int?> RefusedAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var permits = services.GetRequiredService<IOptionsMonitor<SecurityOptions>>().CurrentValue.SignInPermitsPerMinute;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().ToUnixTimeSeconds();
        var window = now - now % WindowSeconds;
        var key = "sign-in:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        var db = services.GetRequiredService<AdIntelDbContext>();
        var count = await CountAsync(db, key, window, context.RequestAborted);
        if (count == 1)
        {
            var expired = window - KeepSeconds;
            await db.RateLimitCounters.Where(c => c.WindowStart < expired).ExecuteDeleteAsync(context.RequestAborted);
        }
        return count > permits ? (int)Math.Max(1, window + WindowSeconds - now) : null;
    }

    /// <summary>Adds one to the key's count in the window, atomically on every instance; returns the new count.</summary>
    private static async Task<int> CountAsync(AdIntelDbContext db, string key, long window, CancellationToken cancellationToken) =>
        (await db.Database.SqlQuery<int>($"""
            INSERT INTO "RateLimitCounters" ("Key", "WindowStart", "Count") VALUES ({key}, {window}, 1)
            ON CONFLICT ("Key", "WindowStart") DO UPDATE SET "Count" = "RateLimitCounters"."Count" + 1
            RETURNING "Count" AS "Value"
            """).ToListAsync(cancellationToken)).Single();
}
