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

    /// <summary>Windows that started longer ago are deleted (whenever a new window starts for some address).</summary>
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
        var key = "sign-in:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        var db = services.GetRequiredService<AdIntelDbContext>();
        var counted = await CountAsync(db, key, now, context.RequestAborted);
        if (counted.Count == 1)
        {
            var expired = now - KeepSeconds;
            await db.RateLimitCounters.Where(c => c.WindowStart < expired).ExecuteDeleteAsync(context.RequestAborted);
        }
        return counted.Count > permits ? (int)Math.Max(1, counted.WindowStart + WindowSeconds - now) : null;
    }

    /// <summary>
    /// Adds one to the key's count, or starts a new window at <paramref name="now"/> when the last one has ended: one
    /// statement, so instances counting at the same moment never lose a request.
    /// </summary>
    private static async Task<CountedWindow> CountAsync(AdIntelDbContext db, string key, long now, CancellationToken cancellationToken)
    {
        var ended = now - WindowSeconds;
        return (await db.Database.SqlQuery<CountedWindow>($"""
            INSERT INTO "RateLimitCounters" ("Key", "WindowStart", "Count") VALUES ({key}, {now}, 1)
            ON CONFLICT ("Key") DO UPDATE SET
                "Count" = CASE WHEN "RateLimitCounters"."WindowStart" <= {ended} THEN 1 ELSE "RateLimitCounters"."Count" + 1 END,
                "WindowStart" = CASE WHEN "RateLimitCounters"."WindowStart" <= {ended} THEN {now} ELSE "RateLimitCounters"."WindowStart" END
            RETURNING "Count", "WindowStart"
            """).ToListAsync(cancellationToken)).Single();
    }

    private sealed class CountedWindow
    {
        public int Count { get; set; }
        public long WindowStart { get; set; }
    }
}
