using AdIntel.Web.Creatives.Compliance;
using AdIntel.Web.Creatives.Generation;
using AdIntel.Web.Creatives.Scoring;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Audit;
using AdIntel.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Creatives;

/// <summary>A variant's fields as a person or a client sends them, before checking.</summary>
public sealed record VariantInput(string? Product, string? Angle, string? Format, string? PrimaryText, string? Headline, string? Description,
    string? CallToAction, string? Link, string? Origin = null);

/// <summary>The outcome of a write: the stored variant, or the problems by field (nothing written), or not found.</summary>
public sealed record VariantWriteResult(CreativeVariant? Variant, IReadOnlyDictionary<string, string> Problems, bool NotFound = false, string? Refusal = null);

/// <summary>
/// The one writer of the Creative Studio's saved variants: checks the fields, scores the copy and checks it against
/// Meta's Advertising Standards on every save and edit (the stored score and compliance summary are always those of the
/// stored copy), stamps who and when, and audits each change.
/// </summary>
public sealed class CreativeVariantWriter(AdIntelDbContext db, IAuditLog audit, TimeProvider time)
{
    /// <summary>Saved variants a store may keep; past it, old ones must be deleted first.</summary>
    public const int MaxPerStore = 1000;

    public const string DefaultCallToAction = "SHOP_NOW";

    public async Task<VariantWriteResult> CreateAsync(VariantInput input, BrandProfile brand, string actor, CancellationToken cancellationToken)
    {
        var problems = Problems(input, creating: true);
        if (problems.Count > 0)
        {
            return new(null, problems);
        }
        if (await db.CreativeVariants.CountAsync(cancellationToken) >= MaxPerStore)
        {
            return new(null, problems, Refusal: $"A store keeps at most {MaxPerStore:N0} saved variants; delete some first.");
        }
        var now = time.GetUtcNow().UtcDateTime;
        var variant = new CreativeVariant
        {
            Product = "", PrimaryText = "", CallToAction = "", Origin = Normalized(input.Origin) ?? CreativeVariantOrigins.Edited, ComplianceSummary = "",
            CreatedBy = Actor(actor), UpdatedBy = Actor(actor), CreatedAtUtc = now, UpdatedAtUtc = now,
        };
        Apply(variant, input, brand);
        // The audit entry names the new id: the variant and its entry are saved in one transaction.
        await db.Database.InTransactionAsync(async () =>
        {
            db.CreativeVariants.Add(variant);
            await db.SaveChangesAsync(cancellationToken);
            audit.Record(new AuditChange("creatives.variant_saved", "creative_variant", Id(variant),
                $"Saved a variant ({CreativeVariantOrigins.Label(variant.Origin).ToLowerInvariant()}) for {variant.Product}, score {variant.Score}."));
            return await db.SaveChangesAsync(cancellationToken);
        }, cancellationToken);
        return new(variant, problems);
    }

    /// <summary>Replaces the copy of a saved variant (of this store: another store's is not found); the variant becomes "edited".</summary>
    public async Task<VariantWriteResult> UpdateAsync(long id, VariantInput input, BrandProfile brand, string actor, CancellationToken cancellationToken)
    {
        var variant = await db.CreativeVariants.SingleOrDefaultAsync(v => v.Id == id, cancellationToken);
        if (variant is null)
        {
            return new(null, new Dictionary<string, string>(), NotFound: true);
        }
        var problems = Problems(input, creating: false);
        if (problems.Count > 0)
        {
            return new(null, problems);
        }
        var before = new { variant.PrimaryText, variant.Headline, variant.Description, variant.CallToAction, variant.Score };
        Apply(variant, input, brand);
        variant.Origin = CreativeVariantOrigins.Edited;
        variant.UpdatedBy = Actor(actor);
        variant.UpdatedAtUtc = time.GetUtcNow().UtcDateTime;
        audit.Record(new AuditChange("creatives.variant_edited", "creative_variant", Id(variant), $"Edited the variant for {variant.Product} (score {before.Score} → {variant.Score}).",
            before, new { variant.PrimaryText, variant.Headline, variant.Description, variant.CallToAction, variant.Score }));
        await db.SaveChangesAsync(cancellationToken);
        return new(variant, problems);
    }

    public async Task<bool> DeleteAsync(long id, CancellationToken cancellationToken)
    {
        var variant = await db.CreativeVariants.SingleOrDefaultAsync(v => v.Id == id, cancellationToken);
        if (variant is null)
        {
            return false;
        }
        db.CreativeVariants.Remove(variant);
        audit.Record(new AuditChange("creatives.variant_deleted", "creative_variant", Id(variant), $"Deleted the variant for {variant.Product}."));
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>The findings as one line: "Compliant", or their count and each policy with its quoted span.</summary>
    public static string Summary(IReadOnlyList<ComplianceFinding> findings)
    {
        if (findings.Count == 0)
        {
            return "Compliant: no findings against Meta's Advertising Standards.";
        }
        var summary = $"{findings.Count} finding(s): " + string.Join("; ", findings.Select(f => $"{f.Policy} (\"{f.Quote}\")"));
        return summary.Length <= CreativeVariant.MaxSummaryLength ? summary : summary[..(CreativeVariant.MaxSummaryLength - 1)] + "…";
    }

    /// <summary>Every problem of the fields by name (empty when they can be stored).</summary>
    public static Dictionary<string, string> Problems(VariantInput input, bool creating)
    {
        var problems = new Dictionary<string, string>();
        var product = input.Product?.Trim() ?? "";
        if (product.Length == 0) problems["product"] = "is required: the product the copy sells";
        else if (product.Length > CreativeVariant.MaxProductLength) problems["product"] = $"must be at most {CreativeVariant.MaxProductLength} characters (it has {product.Length})";
        if (Normalized(input.Angle) is { } angle && !CreativeAngles.All.Contains(angle)) problems["angle"] = $"must be one of {string.Join(", ", CreativeAngles.All)}, or left out";
        if (Normalized(input.Format) is { } format && !GenerationRequest.Formats.Contains(format)) problems["format"] = $"must be one of {string.Join(", ", GenerationRequest.Formats)}";
        if (string.IsNullOrWhiteSpace(input.PrimaryText)) problems["primaryText"] = "is required";
        foreach (var (field, text) in new[] { ("primaryText", input.PrimaryText), ("headline", input.Headline), ("description", input.Description) })
        {
            if (text?.Trim().Length > AdCreative.MaxTextLength) problems[field] = $"must be at most {AdCreative.MaxTextLength:N0} characters (it has {text.Trim().Length:N0})";
        }
        if (input.CallToAction is { } cta && !string.IsNullOrWhiteSpace(cta) && !CallToActions.ForVariants.Contains(cta.Trim().ToUpperInvariant()))
        {
            problems["callToAction"] = $"must be one of {string.Join(", ", CallToActions.ForVariants)}";
        }
        CopyLimits.NormalizedLink(input.Link, out var linkProblem);
        if (linkProblem is not null) problems["link"] = linkProblem;
        if (creating && Normalized(input.Origin) is { } origin && !CreativeVariantOrigins.Stored.Contains(origin))
        {
            problems["origin"] = $"must be one of {string.Join(", ", CreativeVariantOrigins.Stored)} (default {CreativeVariantOrigins.Edited})";
        }
        return problems;
    }

    private static void Apply(CreativeVariant variant, VariantInput input, BrandProfile brand)
    {
        variant.Product = input.Product!.Trim();
        variant.Angle = Normalized(input.Angle);
        variant.Format = Normalized(input.Format) ?? CreativeFormats.Image;
        variant.PrimaryText = input.PrimaryText!.Trim();
        variant.Headline = Blank(input.Headline);
        variant.Description = Blank(input.Description);
        variant.CallToAction = Blank(input.CallToAction)?.ToUpperInvariant() ?? DefaultCallToAction;
        variant.Link = CopyLimits.NormalizedLink(input.Link, out _);
        var score = CreativeScorer.Score(new AdCopy(variant.PrimaryText, variant.Headline, variant.Description), brand);
        variant.Score = score.Overall;
        variant.PolicyFindings = score.Findings.Count;
        variant.ComplianceSummary = Summary(score.Findings);
    }

    private static string? Normalized(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim().ToLowerInvariant();

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string Actor(string actor) => actor.Length <= CreativeVariant.MaxActorLength ? actor : actor[..CreativeVariant.MaxActorLength];

    private static string Id(CreativeVariant variant) => variant.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
