using AdIntel.Web.Infrastructure.Audit;
using AdIntel.Web.Infrastructure.Data;

namespace AdIntel.Web.Pages.Settings;

/// <summary>
/// The store's opt-in to pooled benchmarks (Settings → Community and <c>/api/settings/community</c>): the one writer of
/// <see cref="Domain.StoreSettings.CommunityBenchmarks"/>, audited. Only owners may change it (the callers' policies).
/// </summary>
public sealed class StoreCommunitySettings(AdIntelDbContext db, IAuditLog audit, TimeProvider time)
{
    /// <summary><c>benchmarks</c>: whether the store shares its period KPIs with the other opted-in stores of this installation.</summary>
    public sealed record CommunityDto(bool? Benchmarks);

    public async Task<CommunityDto> GetAsync(CancellationToken cancellationToken) =>
        new((await db.GetOrCreateStoreSettingsAsync(time, cancellationToken)).CommunityBenchmarks);

    public async Task SaveAsync(bool benchmarks, CancellationToken cancellationToken)
    {
        var settings = await db.GetOrCreateStoreSettingsAsync(time, cancellationToken);
        if (settings.CommunityBenchmarks == benchmarks)
        {
            return;
        }
        var before = new CommunityDto(settings.CommunityBenchmarks);
        settings.CommunityBenchmarks = benchmarks;
        settings.UpdatedAtUtc = time.GetUtcNow().UtcDateTime;
        audit.Record(new AuditChange("settings.community_updated", "settings", null,
            benchmarks ? "Opted in to pooled benchmarks: the store's figures are shared with the other opted-in stores."
                : "Opted out of pooled benchmarks: the store's figures are no longer shared.",
            before, new CommunityDto(benchmarks)));
        await db.SaveChangesAsync(cancellationToken);
    }
}
