using AdIntel.Web.Creatives;
using AdIntel.Web.Infrastructure.Audit;
using AdIntel.Web.Infrastructure.Data;

namespace AdIntel.Web.Pages.Settings;

/// <summary>
/// The store's brand profile (Settings → Brand and <c>/api/settings/brand-profile</c>): the one writer of the
/// <c>Brand*</c> columns of <see cref="Domain.StoreSettings"/>, audited. Marketers and owners change it (the callers' policies).
/// </summary>
public sealed class StoreBrandProfile(AdIntelDbContext db, IAuditLog audit, TimeProvider time)
{
    /// <summary>The profile as the API shows and takes it; in a PUT a missing field means empty.</summary>
    public sealed record BrandProfileDto(string? Voice, string? Audience, IReadOnlyList<string?>? ProductsToFeature, IReadOnlyList<string?>? WordsToAvoid,
        IReadOnlyList<string?>? ClaimsAllowed)
    {
        public static BrandProfileDto From(BrandProfile p) => new(p.Voice, p.Audience, [.. p.ProductsToFeature], [.. p.WordsToAvoid], [.. p.ClaimsAllowed]);

        public BrandProfile ToProfile() => BrandProfile.Normalized(Voice, Audience, ProductsToFeature, WordsToAvoid, ClaimsAllowed);
    }

    public async Task<BrandProfile> GetAsync(CancellationToken cancellationToken) =>
        BrandProfile.From(await db.GetOrCreateStoreSettingsAsync(time, cancellationToken));

    /// <summary>Saves the profile; returns the problems instead (nothing saved) when a field is too long or a list too long.</summary>
    public async Task<IReadOnlyDictionary<string, string>> SaveAsync(BrandProfile profile, CancellationToken cancellationToken)
    {
        var problems = profile.Problems();
        if (problems.Count > 0)
        {
            return problems;
        }
        var settings = await db.GetOrCreateStoreSettingsAsync(time, cancellationToken);
        var before = BrandProfile.From(settings);
        if (before.SameAs(profile))
        {
            return problems;
        }
        profile.ApplyTo(settings);
        settings.UpdatedAtUtc = time.GetUtcNow().UtcDateTime;
        audit.Record(new AuditChange("settings.brand_profile_updated", "settings", null, $"Changed the brand profile: {DescribeChanges(before, profile)}.",
            BrandProfileDto.From(before), BrandProfileDto.From(profile)));
        await db.SaveChangesAsync(cancellationToken);
        return problems;
    }

    private static string DescribeChanges(BrandProfile before, BrandProfile after)
    {
        var changed = new List<string>();
        if (before.Voice != after.Voice) changed.Add("voice");
        if (before.Audience != after.Audience) changed.Add("audience");
        if (!before.ProductsToFeature.SequenceEqual(after.ProductsToFeature)) changed.Add($"products to feature ({after.ProductsToFeature.Count})");
        if (!before.WordsToAvoid.SequenceEqual(after.WordsToAvoid)) changed.Add($"words to avoid ({after.WordsToAvoid.Count})");
        if (!before.ClaimsAllowed.SequenceEqual(after.ClaimsAllowed)) changed.Add($"claims allowed ({after.ClaimsAllowed.Count})");
        return string.Join(", ", changed);
    }
}
