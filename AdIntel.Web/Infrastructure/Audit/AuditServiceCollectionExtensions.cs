namespace AdIntel.Web.Infrastructure.Audit;

public static class AuditServiceCollectionExtensions
{
    public static WebApplicationBuilder AddAdIntelAudit(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<IAuditLog, AuditLog>();
        return builder;
    }
}
