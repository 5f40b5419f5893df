using System.Text.Json;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Infrastructure.Data;

namespace AdIntel.Web.Infrastructure.Audit;

public sealed class AuditLog(AdIntelDbContext db, IHttpContextAccessor http, TimeProvider time) : IAuditLog
{
    private const int SummaryLength = 1000;

    public void Record(AuditChange change, string? actor = null, long? storeId = null)
    {
        var summary = change.Summary.Length <= SummaryLength ? change.Summary : change.Summary[..(SummaryLength - 1)] + "…";
        db.AuditEntries.Add(new AuditEntry
        {
            StoreId = storeId ?? 0,
            AtUtc = time.GetUtcNow().UtcDateTime,
            Actor = Truncate(actor ?? http.HttpContext?.User.GetActor() ?? "system", 256),
            Action = change.Action,
            EntityType = change.EntityType,
            EntityId = change.EntityId,
            Summary = summary,
            BeforeJson = Serialize(change.Before),
            AfterJson = Serialize(change.After),
        });
    }

    private static string? Serialize(object? value) => value is null ? null : JsonSerializer.Serialize(value, JsonSerializerOptions.Web);

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}
