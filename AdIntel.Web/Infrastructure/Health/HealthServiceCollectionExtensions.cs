using System.Text.Json;
using AdIntel.Web.Infrastructure.Data;
using Hangfire;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AdIntel.Web.Infrastructure.Health;

public static class HealthServiceCollectionExtensions
{
    public const string ReadyTag = "ready";

    /// <summary>The database and job storage; features add their own checks with <see cref="ReadyTag"/> (the rules add "plugins").</summary>
    public static WebApplicationBuilder AddAdIntelHealth(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddDbContextCheck<AdIntelDbContext>("database", tags: [ReadyTag])
            .AddCheck<JobStorageHealthCheck>("jobs", tags: [ReadyTag]);
        return builder;
    }

    public static WebApplication MapAdIntelHealth(this WebApplication app)
    {
        app.MapHealthChecks("/api/health", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync })
            .AllowAnonymous();
        app.MapHealthChecks("/api/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync })
            .AllowAnonymous();
        return app;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            data = new
            {
                status = report.Status.ToString().ToLowerInvariant(),
                checks = report.Entries.ToDictionary(e => e.Key, e => new
                {
                    status = e.Value.Status.ToString().ToLowerInvariant(),
                    description = e.Value.Description,
                    durationMs = Math.Round(e.Value.Duration.TotalMilliseconds, 1),
                }),
            },
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, JsonSerializerOptions.Web));
    }

    private sealed class JobStorageHealthCheck(JobStorage storage) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                var servers = storage.GetMonitoringApi().Servers().Count;
                return Task.FromResult(HealthCheckResult.Healthy($"{servers} job server(s)"));
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                return Task.FromResult(HealthCheckResult.Unhealthy("Job storage is unreachable."));
            }
        }
    }
}
