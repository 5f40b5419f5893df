namespace AdIntel.Web.Infrastructure.Audit;

/// <summary>
/// One change to record: a dotted action (<c>settings.costs_updated</c>), the entity's type and id, a sentence for
/// people, and optionally the entity before and after (serialized as JSON).
/// </summary>
public sealed record AuditChange(string Action, string EntityType, string? EntityId, string Summary, object? Before = null, object? After = null);

/// <summary>Who changed what and when, per store (rules, settings, members, tokens, executed and undone actions).</summary>
public interface IAuditLog
{
    /// <summary>
    /// Adds the entry to the current unit of work of the scope's <c>AdIntelDbContext</c>: it is saved by the same
    /// <c>SaveChangesAsync</c> as the change itself, so a change is never saved without its entry (nor the reverse).
    /// The actor is the signed-in principal unless <paramref name="actor"/> names one (background jobs); the store is
    /// the scope's unless <paramref name="storeId"/> names one (first-run setup, signed-out people accepting an invitation).
    /// </summary>
    void Record(AuditChange change, string? actor = null, long? storeId = null);
}
